from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .test_document_common import CorymbusDocumentCase


@tagged("post_install", "-at_install", "corymbus_documents")
class TestDocumentRelations(CorymbusDocumentCase):
    """The documents of a record: its own and those of every record below it."""

    def test_company_holds_contacts_and_deals(self):
        self.assertDocuments(
            self.customer,
            self.file_company
            | self.file_lena
            | self.file_contract
            | self.file_quote
            | self.file_spec
            | self.file_call,
        )

    def test_contact_holds_the_deals_they_take_part_in(self):
        self.assertDocuments(
            self.lena,
            self.file_lena | self.file_contract | self.file_spec | self.file_call,
        )
        self.assertDocuments(self.jonas, self.file_quote)

    def test_partner_contact_holds_the_deal_without_copy(self):
        self.assertDocuments(
            self.rita, self.file_rita | self.file_contract | self.file_spec
        )
        # The reseller holds its people, and so the deal Rita takes part in.
        self.assertDocuments(
            self.reseller,
            self.file_reseller | self.file_rita | self.file_contract | self.file_spec,
        )
        contracts = self.env["ir.attachment"].search([("name", "=", "contract.pdf")])
        self.assertEqual(contracts, self.file_contract, "the contract is never copied")

    def test_opportunity_holds_its_own_documents(self):
        self.assertDocuments(self.deal_omar, self.file_contract | self.file_spec)
        self.assertDocuments(self.deal_pia, self.file_quote)

    def test_activity_holds_its_files_and_links(self):
        reference = f"corymbus.activity,{self.activity_deal.id}"
        documents = self.env["ir.attachment"].search(
            [("corymbus_document_of", "=", reference)]
        )
        self.assertEqual(documents, self.file_spec)
        self.assertEqual(self.file_spec.corymbus_origin_kind, "activity")

    def test_activity_on_a_deal_shows_on_its_people(self):
        activity = self.env["corymbus.activity"].create(
            {"name": "Demo", "opportunity_id": self.deal_pia.id}
        )
        demo = self._attach(activity, "demo-slides.pdf")
        self.assertDocuments(self.jonas, self.file_quote | demo)
        self.assertIn(demo, self._documents(self.customer))

    def test_new_link_shows_at_once(self):
        self.deal_pia.contact_line_ids = [Command.create({"partner_id": self.rita.id})]
        self.assertDocuments(
            self.rita,
            self.file_rita | self.file_contract | self.file_spec | self.file_quote,
        )

    def test_technical_attachments_are_not_documents(self):
        Attachment = self.env["ir.attachment"]
        avatars = Attachment.search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.lena.id),
                ("res_field", "!=", False),
            ]
        )
        self.assertTrue(avatars, "the avatar of Lena is stored as attachments")
        documents = self._documents(self.lena)
        self.assertFalse(documents & avatars)

        # A public asset-like attachment on a view is no document either.
        asset = Attachment.create(
            {
                "name": "style.css",
                "raw": b"body {}",
                "res_model": "ir.ui.view",
                "public": True,
            }
        )
        all_documents = Attachment.search([("corymbus_is_document", "=", True)])
        self.assertNotIn(asset, all_documents)
        self.assertFalse(all_documents & avatars)
        self.assertIn(self.file_contract, all_documents)

    def test_types_group_the_list(self):
        groups = self.env["ir.attachment"]._read_group(
            self.customer.action_open_corymbus_documents()["domain"],
            ["corymbus_document_type_id"],
            ["__count"],
        )
        counts = dict(groups)
        self.assertEqual(counts[self.type_contract], 1)
        self.assertEqual(counts[self.type_quote], 1)
        self.assertEqual(counts[self.DocumentType], 4)

    def test_default_types(self):
        names = self.DocumentType.search([]).mapped("name")
        for name in ("Quote", "Invoice", "Contract", "Report", "Other"):
            self.assertIn(name, names)

    def test_filter_by_origin(self):
        Attachment = self.env["ir.attachment"]
        domain = self.customer.action_open_corymbus_documents()["domain"]
        on_deals = Attachment.search(
            domain + [("corymbus_origin_kind", "=", "opportunity")]
        )
        self.assertEqual(on_deals, self.file_contract | self.file_quote)
        on_companies = Attachment.search(
            domain + [("corymbus_origin_kind", "=", "company")]
        )
        self.assertEqual(on_companies, self.file_company)
        on_contacts = Attachment.search(
            domain + [("corymbus_origin_kind", "=", "contact")]
        )
        self.assertEqual(on_contacts, self.file_lena)
        on_activities = Attachment.search(
            domain + [("corymbus_origin_kind", "=", "activity")]
        )
        self.assertEqual(on_activities, self.file_spec | self.file_call)
        by_name = Attachment.search(
            domain + [("corymbus_origin_name", "ilike", "Storage")]
        )
        self.assertEqual(by_name, self.file_quote)
        self.assertEqual(self.file_quote.corymbus_origin_kind, "opportunity")
        self.assertEqual(self.file_quote.corymbus_origin_name, "Nordlicht Storage")
        self.assertEqual(self.file_company.corymbus_origin_kind, "company")
        self.assertEqual(self.file_lena.corymbus_origin_kind, "contact")

    def test_outside_link_on_an_opportunity(self):
        action = self.deal_pia.with_user(self.salesman_all).action_add_corymbus_link()
        Attachment = (
            self.env["ir.attachment"]
            .with_user(self.salesman_all)
            .with_context(**action["context"])
        )
        with Form(Attachment, view=action["views"][0][0]) as form:
            form.url = "https://drive.example.com/offer"
            form.name = "Offer on the drive"
            form.corymbus_document_type_id = self.type_quote
        link = form.record
        self.assertEqual(
            (link.res_model, link.res_id), (self.deal_pia._name, self.deal_pia.id)
        )
        self.assertEqual(link.type, "url")
        self.assertIn(link, self._documents(self.customer, self.salesman_all))
        self.assertEqual(link.action_corymbus_download()["url"], link.url)

        for url in ("javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd"):
            with self.subTest(url=url), self.assertRaises(ValidationError):
                Attachment.create({"name": "Bad", "url": url})

    def test_download_selection(self):
        documents = self.file_contract | self.file_quote
        action = documents.action_corymbus_download()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"ids={self.file_contract.id}", action["url"])
        single = self.file_contract.action_corymbus_download()
        self.assertEqual(
            single["url"], f"/web/content/{self.file_contract.id}?download=true"
        )


@tagged("post_install", "-at_install", "corymbus_documents")
class TestDocumentAccess(CorymbusDocumentCase):
    """Relations never widen access: each document is checked on its record."""

    def test_salesman_sees_own_deals_only(self):
        visible = (
            self.file_company
            | self.file_lena
            | self.file_contract
            | self.file_spec
            | self.file_call
        )
        self.assertDocuments(self.customer, visible, user=self.salesman)
        self.assertDocuments(self.jonas, self.env["ir.attachment"], user=self.salesman)
        with self.assertRaises(AccessError):
            self.file_quote.with_user(self.salesman).check_access("read")

    def test_salesman_all_and_manager_see_everything(self):
        everything = (
            self.file_company
            | self.file_lena
            | self.file_contract
            | self.file_quote
            | self.file_spec
            | self.file_call
        )
        for user in (self.salesman_all, self.manager):
            with self.subTest(user=user.name):
                self.assertDocuments(self.customer, everything, user=user)
                self.assertDocuments(
                    self.rita,
                    self.file_rita | self.file_contract | self.file_spec,
                    user=user,
                )

    def test_activity_of_a_colleague_deal_stays_hidden(self):
        # Pia's activity on Pia's deal: Omar reads neither.
        activity = self.env["corymbus.activity"].create(
            {
                "name": "Pia's visit",
                "opportunity_id": self.deal_pia.id,
                "user_id": self.salesman_all.id,
            }
        )
        report = self._attach(activity, "visit-report.pdf")
        self.assertIn(report, self._documents(self.customer, self.salesman_all))
        self.assertNotIn(report, self._documents(self.customer, self.salesman))

    def test_internal_user_without_sales_rights(self):
        # Contacts are readable by every employee, opportunities are not.
        self.assertDocuments(
            self.customer, self.file_company | self.file_lena, user=self.internal_user
        )
        documents = (
            self.env["ir.attachment"]
            .with_user(self.internal_user)
            .search([("corymbus_is_document", "=", True)])
        )
        self.assertFalse(documents & (self.file_contract | self.file_quote))

    def test_portal_sees_nothing(self):
        Attachment = self.env["ir.attachment"].with_user(self.portal_user)
        domain = self.customer.action_open_corymbus_documents()["domain"]
        with self.assertRaises(AccessError):
            Attachment.search(domain)
        with self.assertRaises(AccessError):
            Attachment.search([("corymbus_is_document", "=", True)])
        with self.assertRaises(AccessError):
            self.file_contract.with_user(self.portal_user).check_access("read")

    def test_menu_lists_what_the_user_may_read(self):
        Attachment = self.env["ir.attachment"]
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "corymbus_crm.corymbus_document_action"
        )
        domain = safe_eval(action["domain"])
        mine = Attachment.with_user(self.salesman).search(domain)
        self.assertIn(self.file_contract, mine)
        self.assertNotIn(self.file_quote, mine)
        everything = Attachment.with_user(self.manager).search(domain)
        self.assertIn(self.file_quote, everything)

    def test_download_checks_access(self):
        documents = (self.file_contract | self.file_quote).with_user(self.salesman)
        with self.assertRaises(AccessError):
            documents.action_corymbus_download()
