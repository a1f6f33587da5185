from odoo.tests import tagged

from .common import CorymbusCase


@tagged("post_install", "-at_install", "corymbus_pipeline", "corymbus_perf")
class TestKanbanQueryCount(CorymbusCase):
    """Opening the pipeline costs the same number of queries at any size."""

    def _seed(self, count):
        stages = (
            self.stage_lead
            | self.stage_qualified
            | self.stage_proposal
            | self.stage_negotiation
        )
        contact_role = self.env.ref("corymbus_crm.corymbus_contact_role_user")
        vals_list = []
        for index in range(count):
            stage = stages[index % len(stages)]
            vals_list.append(
                {
                    "name": f"Deal {index}",
                    "partner_id": self.customer.id,
                    "user_id": self.salesman_all.id,
                    "stage_id": stage.id,
                    "amount": 1000 + index,
                    "date_deadline": f"2026-{index % 12 + 1:02d}-15",
                    "contact_line_ids": [
                        (
                            0,
                            0,
                            {
                                "partner_id": self.customer_contact.id,
                                "role_id": contact_role.id,
                            },
                        )
                    ],
                }
            )
        self.env["corymbus.opportunity"].create(vals_list)
        self.env.flush_all()
        self.env.invalidate_all()

    def _open_pipeline(self):
        """Replay what the web client asks when it opens the kanban."""
        Opportunity = self.env["corymbus.opportunity"].with_user(self.salesman_all)
        view = self.env.ref("corymbus_crm.corymbus_opportunity_view_kanban")
        arch = Opportunity.get_views([(view.id, "kanban")])["views"]["kanban"]
        self.assertIn("close_state", arch["arch"])
        specification = {
            "name": {},
            "amount": {},
            "currency_id": {"fields": {}},
            "partner_id": {"fields": {"display_name": {}}},
            "contact_ids": {"fields": {"display_name": {}}},
            "user_id": {"fields": {"display_name": {}}},
            "date_deadline": {},
            "priority": {},
            "is_won": {},
            "is_lost": {},
            "color": {},
        }
        domain = [("user_id", "=", self.salesman_all.id)]
        result = Opportunity.web_read_group(
            domain,
            ["stage_id"],
            ["__count", "amount_company:sum", "weighted_amount_company:sum"],
            auto_unfold=True,
            unfold_read_specification=specification,
            unfold_read_default_limit=40,
        )
        Opportunity.read_progress_bar(
            domain,
            "stage_id",
            {
                "field": "close_state",
                "colors": {
                    "overdue": "danger",
                    "this_month": "warning",
                    "later": "success",
                },
            },
        )
        return result

    def test_same_query_count_for_10_and_200(self):
        self._seed(10)
        self._open_pipeline()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        small = self._open_pipeline()
        self.assertEqual(sum(group["__count"] for group in small["groups"]), 10)
        small_queries = self.cr.sql_log_count - before

        self._seed(190)
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        large = self._open_pipeline()
        large_queries = self.cr.sql_log_count - before

        self.assertEqual(small_queries, large_queries)
        total = sum(group["__count"] for group in large["groups"])
        self.assertEqual(total, 200)

        # Column totals cover the whole column, not only the loaded cards.
        proposal = next(
            group
            for group in large["groups"]
            if group["stage_id"] and group["stage_id"][0] == self.stage_proposal.id
        )
        deals = self.env["corymbus.opportunity"].search(
            [
                ("stage_id", "=", self.stage_proposal.id),
                ("user_id", "=", self.salesman_all.id),
            ]
        )
        self.assertEqual(proposal["__count"], len(deals))
        self.assertAlmostEqual(
            proposal["weighted_amount_company:sum"],
            sum(deals.mapped("weighted_amount_company")),
            places=2,
        )
