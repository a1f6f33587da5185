from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.corymbus_crm.tests.test_document_common import CorymbusDocumentCase


@tagged("post_install", "-at_install", "corymbus_account")
class TestInvoiceLink(CorymbusDocumentCase):
    """Invoices bill opportunities; accountants link them without sales rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = cls._new_user(
            "corymbus_accountant", "Ada Ledger", "account.group_account_invoice"
        )
        cls.tax = cls.env["account.tax"].create(
            {"name": "Corymbus VAT 20%", "amount": 20.0, "type_tax_use": "sale"}
        )
        cls.deal_omar.amount = 5000.0
        cls.deal_lost = cls._create_opportunity(
            name="Nordlicht Lost Deal", stage_id=cls.stage_lost.id
        )
        cls.deal_won = cls._create_opportunity(
            name="Nordlicht Won Deal", stage_id=cls.stage_won.id
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Kite Dynamics", "is_company": True}
        )
        cls.other_deal = cls._create_opportunity(
            name="Kite Deal", partner_id=cls.other_customer.id
        )

    @classmethod
    def _invoice(cls, opportunity=None, amount=1000.0, post=True, **values):
        values.setdefault("move_type", "out_invoice")
        values.setdefault("partner_id", cls.customer.id)
        values.setdefault("invoice_date", fields.Date.today())
        move = cls.env["account.move"].create(
            {
                "corymbus_opportunity_id": opportunity.id if opportunity else False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Consulting",
                            "quantity": 1.0,
                            "price_unit": amount,
                            "tax_ids": [Command.set(cls.tax.ids)],
                        }
                    )
                ],
                **values,
            }
        )
        if post:
            move.action_post()
        return move

    def _pay(self, invoice, amount):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount}).action_create_payments()

    # Amounts

    def test_invoiced_amount_counts_posted_documents_only(self):
        deal = self.deal_omar
        self._invoice(deal, 1000.0)
        self._invoice(deal, 500.0, post=False)
        cancelled = self._invoice(deal, 300.0, post=False)
        cancelled.button_cancel()
        self._invoice(deal, 200.0, move_type="out_refund")

        self.assertEqual(deal.invoice_count, 4)
        self.assertAlmostEqual(deal.invoiced_amount, 800.0)
        self.assertAlmostEqual(deal.amount_to_invoice, 4200.0)
        self.assertAlmostEqual(deal.invoiced_rate, 16.0)
        self.assertEqual(deal.paid_amount, 0.0)

        # The salesperson sees the figures without reading any invoice.
        for_omar = deal.with_user(self.salesman)
        for_omar.invalidate_recordset()
        self.assertAlmostEqual(for_omar.invoiced_amount, 800.0)
        with self.assertRaises(AccessError):
            for_omar.invoice_ids.read(["name"])

    def test_paid_amount_is_the_paid_share(self):
        deal = self.deal_omar
        invoice = self._invoice(deal, 1000.0)
        self.assertAlmostEqual(invoice.amount_total, 1200.0)
        self._pay(invoice, 600.0)
        deal.invalidate_recordset()
        self.assertAlmostEqual(deal.invoiced_amount, 1000.0)
        self.assertAlmostEqual(deal.paid_amount, 500.0)

    def test_amounts_in_the_opportunity_currency(self):
        euro = self.euro
        euro.active = True
        # Today's rates of both currencies, whatever rates the database holds.
        self.env["res.currency.rate"].create(
            [
                {
                    "name": fields.Date.today(),
                    "currency_id": currency.id,
                    "company_id": self.company.id,
                    "rate": rate,
                }
                for currency, rate in ((euro, 0.5), (self.company.currency_id, 1.0))
            ]
        )
        deal = self._create_opportunity(
            name="Euro deal", currency_id=euro.id, amount=1000.0
        )
        self.assertNotEqual(self.company.currency_id, euro)
        self._invoice(deal, 1000.0)
        self.assertAlmostEqual(deal.invoiced_amount, 500.0)
        self.assertAlmostEqual(deal.invoiced_rate, 50.0)

    def test_credit_note_from_invoice_keeps_the_opportunity(self):
        invoice = self._invoice(self.deal_omar, 1000.0)
        credit_note = invoice._reverse_moves()
        self.assertEqual(credit_note.corymbus_opportunity_id, self.deal_omar)
        credit_note.action_post()
        self.assertAlmostEqual(self.deal_omar.invoiced_amount, 0.0)

    def test_only_customer_documents_bill_an_opportunity(self):
        with self.assertRaises(ValidationError):
            self._invoice(self.deal_omar, 100.0, move_type="in_invoice", post=False)

    # Accountants

    def test_accountant_links_without_sales_rights(self):
        accountant = self.accountant
        invoice = self._invoice(post=False).with_user(accountant)
        Opportunity = self.env["corymbus.opportunity"].with_user(accountant)
        with self.assertRaises(AccessError):
            Opportunity.search([])
        with self.assertRaises(AccessError):
            self.deal_omar.with_user(accountant).read(["amount"])

        picker = Opportunity.with_context(
            corymbus_invoice_partner_id=self.lena.id,
            corymbus_invoice_company_id=self.company.id,
        )
        proposed = dict(picker.name_search("Nordlicht"))
        self.assertEqual(
            set(proposed),
            {self.deal_omar.id, self.deal_pia.id, self.deal_won.id},
            "open and won deals of the customer company only",
        )
        self.assertNotIn(self.other_deal.id, dict(picker.name_search("Kite")))

        page = picker.web_search_read(
            [], {"name": {}, "amount": {}, "partner_id": {"fields": {}}}
        )
        self.assertEqual(page["length"], 3)
        self.assertNotIn("amount", page["records"][0])
        with self.assertRaises(AccessError):
            picker.web_search_read([("amount", ">", 1000)], {"name": {}})
        with self.assertRaises(AccessError):
            Opportunity.name_search("Nordlicht")

        # The form names the chosen deal; the link is saved and tracked.
        invoice.with_context(
            tracking_disable=False
        ).corymbus_opportunity_id = self.deal_omar
        self.env.cr.precommit.run()
        tracked = invoice.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name.startswith("corymbus_opportunity")
        )
        # Tracked once: the opportunity, not its name besides.
        self.assertEqual(tracked.field_id.mapped("name"), ["corymbus_opportunity_id"])
        self.assertEqual(tracked.new_value_char, "Nordlicht Solar")
        values = invoice.web_read(
            {"corymbus_opportunity_id": {"fields": {"display_name": {}}}}
        )
        self.assertEqual(
            values[0]["corymbus_opportunity_id"]["display_name"], "Nordlicht Solar"
        )
        self.assertEqual(invoice.corymbus_opportunity_id, self.deal_omar)
        found = (
            self.env["account.move"]
            .with_user(accountant)
            .search([("corymbus_opportunity_name", "ilike", "Solar")])
        )
        self.assertEqual(found, invoice, "searchable by opportunity name")
        # The "Search more" dialog opens on the picking list.
        views = picker.with_context(
            list_view_ref="corymbus_crm_account.corymbus_opportunity_view_list_invoice_pick"
        ).get_views([(False, "list"), (False, "search")])
        self.assertIn("stage_id", views["views"]["list"]["arch"])
        self.assertNotIn("amount", views["views"]["list"]["arch"])
        with self.assertRaises(AccessError):
            Opportunity.get_views([(False, "form")])

    def test_accountant_form(self):
        with Form(
            self.env["account.move"]
            .with_user(self.accountant)
            .with_context(default_move_type="out_invoice")
        ) as form:
            form.partner_id = self.customer
            form.corymbus_opportunity_id = self.deal_won
            with form.invoice_line_ids.new() as line:
                line.name = "Support"
                line.price_unit = 100.0
        self.assertEqual(form.record.corymbus_opportunity_id, self.deal_won)

    def test_other_internal_users_cannot_pick(self):
        picker = (
            self.env["corymbus.opportunity"]
            .with_user(self.internal_user)
            .with_context(corymbus_invoice_partner_id=self.customer.id)
        )
        with self.assertRaises(AccessError):
            picker.name_search("Nordlicht")

    def test_salespeople_get_the_customer_deals_first(self):
        picker = (
            self.env["corymbus.opportunity"]
            .with_user(self.salesman_all)
            .with_context(corymbus_invoice_partner_id=self.customer.id)
        )
        proposed = [deal_id for deal_id, _name in picker.name_search("")]
        first = {self.deal_omar.id, self.deal_pia.id, self.deal_won.id}
        self.assertEqual(set(proposed[:3]), first)
        # Then the customer's lost deals, which credit notes may credit; the
        # deals of other customers are not proposed, as they are refused.
        self.assertEqual(proposed[3:], [self.deal_lost.id])
        self.assertNotIn(self.other_deal.id, proposed)
        page = picker.web_search_read([], {"name": {}})
        self.assertEqual(
            {record["id"] for record in page["records"]},
            first | {self.deal_lost.id},
        )

    def test_invoices_to_link(self):
        to_link = self._invoice()
        linked = self._invoice(self.deal_omar)
        draft = self._invoice(post=False)
        no_deal_customer = self.env["res.partner"].create({"name": "Lone Buyer"})
        without_deals = self._invoice(partner_id=no_deal_customer.id)
        lost_only = self.env["res.partner"].create(
            {"name": "Lost Co", "is_company": True}
        )
        self._create_opportunity(
            name="Gone", partner_id=lost_only.id, stage_id=self.stage_lost.id
        )
        lost_invoice = self._invoice(partner_id=lost_only.id)

        action = self.env["ir.actions.act_window"]._for_xml_id(
            "corymbus_crm_account.account_move_action_corymbus_to_link"
        )
        found = (
            self.env["account.move"]
            .with_user(self.accountant)
            .search(safe_eval(action["domain"]))
        )
        self.assertIn(to_link, found)
        for move in (linked, draft, without_deals, lost_invoice):
            self.assertNotIn(move, found)

        to_link.with_user(self.accountant).corymbus_opportunity_id = self.deal_pia
        self.assertNotIn(
            to_link, self.env["account.move"].search(safe_eval(action["domain"]))
        )

    def test_files_of_existing_invoices_get_typed(self):
        invoice = self._invoice(self.deal_omar)
        old_pdf = self._attach(invoice, "old-invoice.pdf")
        old_pdf.corymbus_document_type_id = False
        self.env["ir.attachment"]._corymbus_type_existing_invoice_files()
        self.assertEqual(
            old_pdf.corymbus_document_type_id,
            self.env.ref("corymbus_crm.corymbus_document_type_invoice"),
        )

    # Which deal an invoice may bill

    def test_accountant_links_only_the_customer_deals(self):
        invoice = self._invoice(post=False)
        as_accountant = invoice.with_user(self.accountant)
        for deal in (self.other_deal, self.deal_lost):
            with (
                self.subTest(deal=deal.name),
                self.assertRaises(ValidationError) as caught,
                self.cr.savepoint(),
            ):
                as_accountant.corymbus_opportunity_id = deal
            # The refusal names no deal: ids cannot be tried to learn names.
            self.assertNotIn(deal.name, str(caught.exception))
        self.assertEqual(
            str(self._refusal(as_accountant, self.other_deal)),
            f"The opportunity of {invoice.display_name} must be a deal of its "
            "customer, Nordlicht GmbH.",
        )
        self.assertEqual(
            str(self._refusal(as_accountant, self.deal_lost)),
            f"{invoice.display_name} cannot bill a lost opportunity: choose an "
            "open or won deal of its customer.",
        )
        # A deal that does not exist gets the same answer as another
        # customer's: which ids exist cannot be learnt either.
        missing = self.env["corymbus.opportunity"].browse(self.other_deal.id + 10**6)
        self.assertEqual(
            str(self._refusal(as_accountant, missing)),
            str(self._refusal(as_accountant, self.other_deal)),
        )
        self.assertFalse(invoice.corymbus_opportunity_id)
        self.assertEqual(self.other_deal.invoice_count, 0)

        # A deal of the customer company bills, also when the invoice names a
        # person of that company.
        as_accountant.write(
            {"partner_id": self.lena.id, "corymbus_opportunity_id": self.deal_won.id}
        )
        self.assertEqual(invoice.corymbus_opportunity_id, self.deal_won)

        # A credit note may credit a deal lost since it was invoiced.
        refund = self._invoice(post=False, move_type="out_refund")
        refund.with_user(self.accountant).corymbus_opportunity_id = self.deal_lost
        self.assertEqual(refund.corymbus_opportunity_id, self.deal_lost)

    def _refusal(self, move, deal):
        with self.assertRaises(ValidationError) as caught, self.cr.savepoint():
            move.corymbus_opportunity_id = deal
        return caught.exception

    def test_full_rights_obey_the_same_rule(self):
        self.manager.group_ids |= self.env.ref("account.group_account_invoice")
        Move = self.env["account.move"].with_user(self.manager)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            Move.create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "corymbus_opportunity_id": self.other_deal.id,
                }
            )
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._invoice(self.other_deal, post=False)
        no_customer = self._create_opportunity(name="Nobody's deal", partner_id=False)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._invoice(no_customer, post=False)
        invoice = Move.create(
            {
                "move_type": "out_invoice",
                "partner_id": self.other_customer.id,
                "corymbus_opportunity_id": self.other_deal.id,
            }
        )
        self.assertEqual(invoice.corymbus_opportunity_id, self.other_deal)

    def test_new_customer_drops_the_former_deal(self):
        invoice = self._invoice(self.deal_omar, post=False).with_context(
            tracking_disable=False
        )
        # The invoice is created in an earlier transaction.
        self.env.cr.precommit.run()

        # Another person of the same company keeps the deal.
        invoice.partner_id = self.lena
        self.assertEqual(invoice.corymbus_opportunity_id, self.deal_omar)

        # Another customer drops it, and the chatter says so.
        invoice.with_user(self.accountant).partner_id = self.other_customer
        self.assertFalse(invoice.corymbus_opportunity_id)
        self.env.cr.precommit.run()
        tracked = invoice.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "corymbus_opportunity_id"
        )
        self.assertEqual(tracked.old_value_char, "Nordlicht Solar")
        self.assertFalse(tracked.new_value_char)

        # A change that names the new customer's deal links it; a deal of the
        # former customer is refused.
        invoice.write(
            {
                "partner_id": self.customer.id,
                "corymbus_opportunity_id": self.deal_pia.id,
            }
        )
        self.assertEqual(invoice.corymbus_opportunity_id, self.deal_pia)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            invoice.write(
                {
                    "partner_id": self.other_customer.id,
                    "corymbus_opportunity_id": self.deal_pia.id,
                }
            )
        self.assertEqual(invoice.corymbus_opportunity_id, self.deal_pia)

    def test_new_customer_on_the_form_drops_the_deal(self):
        invoice = self._invoice(self.deal_omar, post=False)
        with Form(invoice.with_user(self.accountant)) as form:
            form.partner_id = self.lena
            self.assertEqual(form.corymbus_opportunity_id, self.deal_omar)
            form.partner_id = self.other_customer
            self.assertFalse(form.corymbus_opportunity_id)
            form.corymbus_opportunity_id = self.other_deal
        self.assertEqual(invoice.corymbus_opportunity_id, self.other_deal)

    def test_copies_bill_no_lost_deal(self):
        invoice = self._invoice(self.deal_omar)
        self.deal_omar.action_mark_lost(self.lost_reason)
        self.assertTrue(self.deal_omar.is_lost)
        self.assertFalse(invoice.copy().corymbus_opportunity_id)
        refund = invoice._reverse_moves()
        self.assertEqual(refund.corymbus_opportunity_id, self.deal_omar)

    # Documents

    def test_invoice_pdf_among_the_documents(self):
        invoice = self._invoice(self.deal_omar, 1000.0)
        pdf = self.env["ir.attachment"].create(
            {
                "name": "INV-0001.pdf",
                "raw": b"%PDF-1.4 invoice",
                "mimetype": "application/pdf",
                "res_model": "account.move",
                "res_id": invoice.id,
                "res_field": "invoice_pdf_report_file",
            }
        )
        invoice_type = self.env.ref("corymbus_crm.corymbus_document_type_invoice")
        self.assertEqual(pdf.corymbus_document_type_id, invoice_type)
        self.assertEqual(pdf.corymbus_origin_kind, "invoice")

        for record in (self.deal_omar, self.customer, self.lena, self.rita):
            self.assertIn(pdf, self._documents(record))
        for record in (self.customer, self.lena, self.rita):
            self.assertIn(pdf, self._documents(record, self.accountant))
        self.assertDocuments(self.deal_omar, self.file_contract | self.file_spec | pdf)

        # The accountant sees the invoice, not the contract of the deal.
        self.assertDocuments(
            self.customer,
            self.file_company | self.file_lena | pdf,
            user=self.accountant,
        )
        # A salesperson without invoicing rights sees the deal, not the invoice.
        self.assertDocuments(
            self.customer,
            self.file_company
            | self.file_lena
            | self.file_contract
            | self.file_quote
            | self.file_spec
            | self.file_call,
            user=self.salesman_all,
        )
        # The Documents menu lists the files of invoices of opportunities only.
        other = self._invoice(partner_id=self.other_customer.id)
        bill_scan = self._attach(other, "unrelated-invoice.pdf")
        menu = (
            self.env["ir.attachment"]
            .with_user(self.accountant)
            .search([("corymbus_is_document", "=", True)])
        )
        self.assertIn(pdf, menu)
        self.assertNotIn(bill_scan, menu)
        self.assertTrue(pdf.corymbus_is_document)
        self.assertFalse(bill_scan.corymbus_is_document)

        # Counts equal lists for every entity and role.
        for user in (self.manager, self.accountant, self.salesman, self.salesman_all):
            for record in (self.customer, self.lena, self.rita, self.reseller):
                with self.subTest(user=user.name, record=record.name):
                    self.assertEqual(
                        self._count(record, user), len(self._documents(record, user))
                    )
