import base64

from odoo.fields import Command

from .common import CorymbusCase

# The smallest valid PNG (one transparent pixel): an avatar for a contact.
PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)


class CorymbusDocumentCase(CorymbusCase):
    """A small business graph with files on every kind of record.

    Nordlicht GmbH (customer) employs Lena and Jonas; Rita works for the
    reseller Vogel Systems and takes part in Nordlicht's first deal, owned by
    Omar (own opportunities only); the second deal belongs to Pia. Omar has a
    kick-off activity on his deal (with a link) and a call with Lena (with
    notes).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.DocumentType = cls.env["corymbus.document.type"]
        cls.type_contract = cls.env.ref("corymbus_crm.corymbus_document_type_contract")
        cls.type_quote = cls.env.ref("corymbus_crm.corymbus_document_type_quote")
        cls.internal_user = cls._new_user(
            "corymbus_internal", "Ivo Internal", "base.group_user"
        )

        # People
        cls.lena = cls.customer_contact
        cls.lena.image_1920 = base64.b64encode(PIXEL_PNG)
        cls.jonas = Partner.create({"name": "Jonas Berg", "parent_id": cls.customer.id})
        cls.reseller = Partner.create({"name": "Vogel Systems", "is_company": True})
        cls.rita = Partner.create({"name": "Rita Vogel", "parent_id": cls.reseller.id})

        # Deals
        cls.deal_omar = cls._create_opportunity(
            name="Nordlicht Solar",
            user_id=cls.salesman.id,
            contact_line_ids=[
                Command.create({"partner_id": cls.lena.id}),
                Command.create({"partner_id": cls.rita.id}),
            ],
        )
        cls.deal_pia = cls._create_opportunity(
            name="Nordlicht Storage",
            user_id=cls.salesman_all.id,
            contact_line_ids=[Command.create({"partner_id": cls.jonas.id})],
        )

        # Activities
        Activity = cls.env["corymbus.activity"]
        cls.activity_deal = Activity.create(
            {
                "name": "Kick-off",
                "opportunity_id": cls.deal_omar.id,
                "user_id": cls.salesman.id,
            }
        )
        cls.activity_lena = Activity.create(
            {
                "name": "Call Lena",
                "partner_ids": [Command.link(cls.lena.id)],
                "user_id": cls.salesman.id,
            }
        )

        # Files
        cls.file_company = cls._attach(cls.customer, "company-profile.pdf")
        cls.file_lena = cls._attach(cls.lena, "lena-card.pdf")
        cls.file_rita = cls._attach(cls.rita, "rita-card.pdf")
        cls.file_reseller = cls._attach(cls.reseller, "reseller-terms.pdf")
        cls.file_contract = cls._attach(
            cls.deal_omar, "contract.pdf", cls.type_contract
        )
        cls.file_quote = cls._attach(cls.deal_pia, "quote.pdf", cls.type_quote)
        cls.file_spec = cls.env["ir.attachment"].create(
            {
                "name": "Specification",
                "type": "url",
                "url": "https://drive.example.com/spec",
                "res_model": cls.activity_deal._name,
                "res_id": cls.activity_deal.id,
            }
        )
        cls.file_call = cls._attach(cls.activity_lena, "call-notes.pdf")

    @classmethod
    def _new_user(cls, login, name, groups):
        return cls.env["res.users"].create(
            {
                "login": login,
                "name": name,
                "email": f"{login}@example.com",
                "group_ids": [Command.set([cls.env.ref(groups).id])],
            }
        )

    @classmethod
    def _attach(cls, record, name, document_type=None, **values):
        return cls.env["ir.attachment"].create(
            {
                "name": name,
                "raw": f"%PDF-1.4 {name}".encode(),
                "mimetype": "application/pdf",
                "res_model": record._name,
                "res_id": record.id,
                "corymbus_document_type_id": document_type and document_type.id,
                **values,
            }
        )

    def _documents(self, record, user=None):
        """The documents listed by the record's smart button, as ``user``."""
        if user is not None:
            record = record.with_user(user)
        action = record.action_open_corymbus_documents()
        return (
            self.env["ir.attachment"].with_user(record.env.uid).search(action["domain"])
        )

    def _count(self, record, user=None):
        if user is not None:
            record = record.with_user(user)
        record.invalidate_recordset(["corymbus_document_count"])
        return record.corymbus_document_count

    def assertDocuments(self, record, expected, user=None):
        """The list of ``record`` holds ``expected``; its count says as many."""
        documents = self._documents(record, user)
        self.assertEqual(
            set(documents.mapped("name")),
            {attachment.name for attachment in expected},
            f"documents of {record.display_name}",
        )
        self.assertEqual(
            self._count(record, user),
            len(documents),
            f"count of {record.display_name} differs from its list",
        )
