import base64
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .test_document_common import PIXEL_PNG, CorymbusDocumentCase


@tagged("post_install", "-at_install", "corymbus_documents")
class TestDocumentCases(CorymbusDocumentCase):
    """Reported cases BR-15 (file before the first save) and BR-16 (relations
    by text, technical files counted)."""

    def _upload_unsaved(self, user, name, model="corymbus.opportunity"):
        """A file uploaded by the form's upload widget before the first save.

        The upload route creates it with the model of the form and res_id 0.
        """
        return (
            self.env["ir.attachment"]
            .with_user(user)
            .create(
                {
                    "name": name,
                    "raw": f"%PDF-1.4 {name}".encode(),
                    "res_model": model,
                    "res_id": 0,
                }
            )
        )

    # BR-15

    def test_br15_file_before_first_save_lands_on_the_record(self):
        omar, pia = self.salesman, self.salesman_all
        company = self.env["res.partner"].create(
            {"name": "Nordlicht Solar Kunden GmbH", "is_company": True}
        )
        quote = self._upload_unsaved(omar, "quote-v1.pdf")

        with Form(self.env["corymbus.opportunity"].with_user(omar)) as form:
            form.name = "Nordlicht Solar"
            form.partner_id = company
            form.corymbus_file_ids.add(quote)
        opportunity = form.record

        self.assertEqual(quote.res_model, "corymbus.opportunity")
        self.assertEqual(quote.res_id, opportunity.id)
        self.assertTrue(quote.res_id)

        # The colleague with read access opens and downloads it.
        quote_for_pia = quote.with_user(pia)
        quote_for_pia.check_access("read")
        self.assertEqual(quote_for_pia.raw, b"%PDF-1.4 quote-v1.pdf")
        self.assertDocuments(opportunity, quote, user=pia)

        # It appears on the related company, counted once.
        self.assertDocuments(company, quote, user=pia)
        self.assertEqual(self._count(company, pia), 1)

    def test_br15_client_set_command_and_partner_form(self):
        omar = self.salesman
        omar.group_ids += self.env.ref("base.group_partner_manager")
        card = self._upload_unsaved(omar, "card.pdf", model="res.partner")
        contact = (
            self.env["res.partner"]
            .with_user(omar)
            .create(
                {
                    "name": "Nina Holm",
                    "parent_id": self.customer.id,
                    "corymbus_file_ids": [Command.set(card.ids)],
                }
            )
        )
        self.assertEqual((card.res_model, card.res_id), ("res.partner", contact.id))
        self.assertIn(card, self._documents(self.customer, self.salesman_all))

    def test_br15_discarded_upload_is_visible_nowhere(self):
        omar, pia = self.salesman, self.salesman_all
        orphan = self._upload_unsaved(omar, "draft-quote.pdf")
        before = self._count(self.customer, self.manager)

        # The form is discarded: nothing links the file to any record.
        self.assertEqual(self._count(self.customer, self.manager), before)
        for user in (pia, self.manager):
            documents = (
                self.env["ir.attachment"]
                .with_user(user)
                .search([("corymbus_is_document", "=", True)])
            )
            self.assertNotIn(orphan, documents)
        with self.assertRaises(AccessError):
            orphan.with_user(pia).check_access("read")
        mine = (
            self.env["ir.attachment"]
            .with_user(omar)
            .search([("corymbus_is_document", "=", True)])
        )
        self.assertNotIn(orphan, mine, "not even its uploader lists it")

        # The garbage collector removes it once it is old enough.
        recent = self._upload_unsaved(omar, "still-editing.pdf")
        self.env.cr.execute(
            "UPDATE ir_attachment SET create_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=2), orphan.id),
        )
        self.env["ir.attachment"].invalidate_model(["create_date"])
        self.env["ir.attachment"]._gc_corymbus_pending_documents()
        self.assertFalse(orphan.exists())
        self.assertTrue(recent.exists())
        self.assertTrue(self.file_contract.exists())

    def test_br15_cannot_take_someone_elses_file(self):
        omar, pia = self.salesman, self.salesman_all
        pias_upload = self._upload_unsaved(pia, "pia.pdf")
        with self.assertRaises(UserError):
            self.env["corymbus.opportunity"].with_user(omar).create(
                {
                    "name": "Stolen",
                    "corymbus_file_ids": [Command.link(pias_upload.id)],
                }
            )
        # A document already attached elsewhere is not moved either.
        with self.assertRaises(UserError):
            self.env["corymbus.opportunity"].with_user(pia).create(
                {
                    "name": "Moved",
                    "corymbus_file_ids": [Command.link(self.file_quote.id)],
                }
            )
        self.assertEqual(self.file_quote.res_id, self.deal_pia.id)

    def test_br15_removing_a_file_from_the_widget_deletes_it(self):
        contract = self._attach(self.deal_omar, "old-contract.pdf")
        self.deal_omar.with_user(self.salesman).corymbus_file_ids = [
            Command.unlink(contract.id)
        ]
        self.assertFalse(contract.exists())
        self.assertTrue(self.file_contract.exists())

    # BR-16

    def test_br16_relations_by_ids_never_by_text(self):
        Partner = self.env["res.partner"]
        alpha = Partner.create({"name": "Alpha Freight", "is_company": True})
        max_tern = Partner.create(
            {"name": "Max Tern", "email": "max@alphafreight.example.com"}
        )
        beta = Partner.create({"name": "Beta Mills", "is_company": True})
        jo = Partner.create({"name": "Jo Pike", "parent_id": beta.id})
        eve = Partner.create(
            {"name": "Eve Sand", "image_1920": base64.b64encode(PIXEL_PNG)}
        )
        deal = self._create_opportunity(
            name="Alpha shipping",
            partner_id=False,
            user_id=self.manager.id,
            contact_line_ids=[Command.create({"partner_id": max_tern.id})],
        )
        nda = self._attach(deal, "nda.pdf")
        brochure = self._attach(jo, "brochure.pdf")

        self.assertDocuments(alpha, self.env["ir.attachment"])
        self.assertEqual(self._count(alpha), 0)
        self.assertDocuments(max_tern, nda)
        self.assertEqual(self._count(max_tern), 1)
        self.assertDocuments(beta, brochure)
        self.assertDocuments(jo, brochure)

        # Eve's avatar is stored as attachments, none of them a document.
        technical = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", eve.id),
                ("res_field", "!=", False),
            ]
        )
        self.assertTrue(technical)
        self.assertDocuments(eve, self.env["ir.attachment"])
        self.assertEqual(self._count(eve), 0)

        for user in (self.manager, self.salesman, self.salesman_all):
            for record in (alpha, max_tern, beta, jo, eve, deal):
                with self.subTest(user=user.name, record=record.display_name):
                    if not record.with_user(user).has_access("read"):
                        continue
                    self.assertEqual(
                        self._count(record, user), len(self._documents(record, user))
                    )
