from datetime import timedelta

from odoo import fields
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
        opportunities = self.env["corymbus.opportunity"].create(vals_list)

        # Every third deal has a next step planned, so that the columns mix
        # deals with and without one.
        tomorrow = fields.Datetime.now() + timedelta(days=1)
        self.env["corymbus.activity"].create(
            [
                {
                    "name": f"Follow-up {opportunity.name}",
                    "opportunity_id": opportunity.id,
                    "user_id": self.salesman_all.id,
                    "date_start": tomorrow,
                }
                for opportunity in opportunities[::3]
            ]
        )
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
            "partner_name": {},
            "contact_ids": {"fields": {"display_name": {}}},
            "contact_names": {},
            "user_id": {"fields": {"display_name": {}}},
            "date_deadline": {},
            "priority": {},
            "is_won": {},
            "is_lost": {},
            "color": {},
            "next_activity_id": {"fields": {"display_name": {}}},
            "next_activity_date": {},
            "next_activity_icon": {},
            "is_next_activity_overdue": {},
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
        progress = Opportunity.read_progress_bar(
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
        return result, progress

    def test_same_query_count_for_10_and_200(self):
        self._seed(10)
        self._open_pipeline()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        small, _progress = self._open_pipeline()
        self.assertEqual(sum(group["__count"] for group in small["groups"]), 10)
        small_queries = self.cr.sql_log_count - before

        self._seed(190)
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        large, progress = self._open_pipeline()
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

        # So do the counts and totals of the deals without a planned activity.
        idle = deals.filtered(lambda deal: not deal.next_activity_id)
        self.assertTrue(0 < len(idle) < len(deals))
        column = progress["__no_planned_activity"][str(self.stage_proposal.id)]
        self.assertEqual(column["count"], len(idle))
        self.assertAlmostEqual(
            column["amount_company"], sum(idle.mapped("amount_company")), places=2
        )
        self.assertAlmostEqual(
            column["weighted_amount_company"],
            sum(idle.mapped("weighted_amount_company")),
            places=2,
        )
        self.assertEqual(
            sum(
                column["count"] for column in progress["__no_planned_activity"].values()
            ),
            self.env["corymbus.opportunity"].search_count(
                [
                    ("user_id", "=", self.salesman_all.id),
                    ("next_activity_id", "=", False),
                    ("is_won", "=", False),
                    ("is_lost", "=", False),
                ]
            ),
        )
        self.assertEqual(
            sum(progress[str(self.stage_proposal.id)].values()),
            len(deals.filtered(lambda deal: deal.close_state != "none")),
            "The closing-state counts are left as they were.",
        )

    def test_card_values_match_the_records(self):
        """The names and flags worked out for all the cards at once are those
        the records give one by one: the customer's display name, the people's
        names (with their company when it is not the customer; archived people
        left out), the next activity's icon and
        whether it is late."""
        self._seed(6)
        deals = self.env["corymbus.opportunity"].search(
            [("user_id", "=", self.salesman_all.id)]
        )
        reseller = self.env["res.partner"].create(
            {"name": "Reseller Person", "parent_id": self.customer.id}
        )
        gone = self.env["res.partner"].create({"name": "Gone Person"})
        outsider = self.env["res.partner"].create(
            {
                "name": "Paul Partner",
                "parent_id": self.env["res.partner"]
                .create({"name": "Partner SARL", "is_company": True})
                .id,
            }
        )
        deals[0].contact_line_ids = [
            (0, 0, {"partner_id": reseller.id, "sequence": 1}),
            (0, 0, {"partner_id": gone.id, "sequence": 20}),
            (0, 0, {"partner_id": outsider.id, "sequence": 30}),
        ]
        gone.active = False
        self.env["corymbus.activity"].create(
            {
                "name": "Late call",
                "opportunity_id": deals[1].id,
                "user_id": self.salesman_all.id,
                "date_start": fields.Datetime.now() - timedelta(days=2),
            }
        )
        self.env.flush_all()
        self.env.invalidate_all()

        cards = {
            card["id"]: card
            for card in deals.with_user(self.salesman_all).web_read(
                {
                    "partner_name": {},
                    "contact_names": {},
                    "next_activity_icon": {},
                    "is_next_activity_overdue": {},
                }
            )
        }
        self.env.invalidate_all()
        for deal in deals.with_user(self.salesman_all):
            card = cards[deal.id]
            self.assertEqual(card["partner_name"], deal.partner_id.display_name)
            # The customer's people go by their names, others with their company.
            self.assertEqual(
                card["contact_names"] or [],
                [
                    person.name
                    if person.commercial_partner_id == deal.partner_id
                    else person.display_name
                    for person in deal.contact_ids
                ],
            )
            self.assertEqual(
                card["next_activity_icon"], deal.next_activity_id.sudo().icon
            )
            self.assertEqual(
                card["is_next_activity_overdue"],
                deal.next_activity_id.sudo().is_overdue,
            )
        self.assertEqual(
            cards[deals[0].id]["contact_names"],
            ["Reseller Person", "Lena Brandt", "Partner SARL, Paul Partner"],
        )
        self.assertTrue(cards[deals[1].id]["is_next_activity_overdue"])
        self.assertTrue(cards[deals[1].id]["next_activity_icon"])
