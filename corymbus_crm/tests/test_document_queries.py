from odoo.fields import Command
from odoo.tests import tagged, users, warmup

from .test_document_common import CorymbusDocumentCase

# A ceiling on the queries a company's documents take (its count, then the
# first page of the list it opens), whatever addons of the suite are installed.
MAX_QUERIES = 45


@tagged("post_install", "-at_install", "corymbus_documents")
class TestDocumentQueries(CorymbusDocumentCase):
    """A company's documents load in as many queries for 5 and 200 deals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.small_company = cls._company_with_deals("Small Deals GmbH", 5)
        cls.large_company = cls._company_with_deals("Large Deals GmbH", 200)

    @classmethod
    def _company_with_deals(cls, name, count):
        Partner = cls.env["res.partner"]
        company = Partner.create({"name": name, "is_company": True})
        contact = Partner.create({"name": f"Buyer at {name}", "parent_id": company.id})
        deals = cls.env["corymbus.opportunity"].create(
            [
                {
                    "name": f"{name} deal {index}",
                    "partner_id": company.id,
                    "user_id": cls.salesman_all.id,
                    "contact_line_ids": [Command.create({"partner_id": contact.id})],
                }
                for index in range(count)
            ]
        )
        cls.env["ir.attachment"].create(
            [
                {
                    "name": f"offer-{deal.id}.pdf",
                    "raw": b"%PDF-1.4 offer",
                    "res_model": deal._name,
                    "res_id": deal.id,
                    "corymbus_document_type_id": cls.type_quote.id,
                }
                for deal in deals
            ]
        )
        return company

    def _load_documents(self, company):
        """What the form and the smart button do: count, then the first page."""
        company = company.with_env(self.env)
        count = company.corymbus_document_count
        action = company.action_open_corymbus_documents()
        page = self.env["ir.attachment"].web_search_read(
            action["domain"],
            {
                "name": {},
                "type": {},
                "corymbus_document_type_id": {"fields": {"display_name": {}}},
                "corymbus_origin_kind": {},
                "corymbus_origin_name": {},
                "create_uid": {"fields": {"display_name": {}}},
                "create_date": {},
            },
            # A page both lists fill, so that both count their total.
            limit=5,
        )
        return count, page

    @users("corymbus_salesman_all")
    @warmup
    def test_company_documents_query_count(self):
        self.env.flush_all()
        queries_before = self.cr.sql_log_count
        count, page = self._load_documents(self.small_company)
        small_queries = self.cr.sql_log_count - queries_before
        self.assertEqual(count, 5)
        self.assertEqual(page["length"], 5)
        if self.warm:
            self.assertLessEqual(small_queries, MAX_QUERIES)

        self.env.invalidate_all()
        with self.assertQueryCount(small_queries):
            count, page = self._load_documents(self.large_company)
        self.assertEqual(count, 200)
        self.assertEqual(len(page["records"]), 5)
        self.assertEqual(page["length"], 200)
