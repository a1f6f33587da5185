from datetime import timedelta

from odoo import fields
from odoo.tests import Form, HttpCase, tagged

from .common import CorymbusCase


class PipelineTourCase(HttpCase):
    """Known stages and an empty pipeline, so that tours can check exact totals."""

    def setUp(self):
        super().setUp()
        self.Opportunity = self.env["corymbus.opportunity"]
        self.admin = self.env.ref("base.user_admin")
        self.company = self.admin.company_id
        self.stage_lead = self.env.ref("corymbus_crm.corymbus_stage_lead")
        self.stage_qualified = self.env.ref("corymbus_crm.corymbus_stage_qualified")
        self.stage_proposal = self.env.ref("corymbus_crm.corymbus_stage_proposal")
        self.stage_negotiation = self.env.ref("corymbus_crm.corymbus_stage_negotiation")
        self.stage_won = self.env.ref("corymbus_crm.corymbus_stage_won")
        self.stage_lost = self.env.ref("corymbus_crm.corymbus_stage_lost")
        self.stage_qualified.write(
            {"probability": 25.0, "requirements": "Tour: budget is known."}
        )
        self.stage_proposal.probability = 50.0

        # Demo or earlier data would change the column totals the tours read.
        self.Opportunity.search([]).action_archive()

    def _create_opportunity(self, **values):
        values.setdefault("user_id", self.admin.id)
        values.setdefault("company_id", self.company.id)
        values.setdefault("currency_id", self.company.currency_id.id)
        return self.Opportunity.create(values)

    def _tracked_values(self, opportunity, field_name, kind):
        """The (old, new) pairs tracked on a field, oldest first."""
        trackings = opportunity.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == field_name
        ).sorted("id")
        return [(t[f"old_value_{kind}"], t[f"new_value_{kind}"]) for t in trackings]


@tagged("post_install", "-at_install", "corymbus_tour")
class TestPipelineTour(PipelineTourCase):
    def setUp(self):
        super().setUp()
        self.lost_reason = self.env["corymbus.lost.reason"].create(
            {"name": "Budget frozen by the board"}
        )
        self.seeded = self._create_opportunity(
            name="Seeded proposal",
            stage_id=self.stage_proposal.id,
            amount=20000.0,
            date_deadline=fields.Date.today() - timedelta(days=10),
        )

        # Negotiation mixes a deal with a next step planned and one without.
        self.stage_negotiation.probability = 75.0
        self.idle = self._create_opportunity(
            name="Idle negotiation", stage_id=self.stage_negotiation.id, amount=4000.0
        )
        self.busy = self._create_opportunity(
            name="Busy negotiation", stage_id=self.stage_negotiation.id, amount=6000.0
        )
        self.env["corymbus.activity"].create(
            {
                "name": "Send the revised offer",
                "opportunity_id": self.busy.id,
                "user_id": self.admin.id,
                "date_start": fields.Datetime.now() + timedelta(days=2),
            }
        )

        # More deals than a column loads at first: its header must still sum
        # them all.
        self.stage_lead.probability = 10.0
        self.Opportunity.create(
            [
                {
                    "name": f"Cold lead {index}",
                    "stage_id": self.stage_lead.id,
                    "amount": 100.0,
                    "user_id": self.admin.id,
                    "company_id": self.company.id,
                    "currency_id": self.company.currency_id.id,
                }
                for index in range(81)
            ]
        )

    def test_pipeline_tour(self):
        """Quick create, drag, lose, reopen, set and reset the probability.

        Also filter a column to its deals without a planned activity, and drop
        a deal on the Lost column, which asks the reason before moving it.
        """
        self.start_tour("/odoo", "corymbus_pipeline_tour", login="admin")

        deal = self.Opportunity.search([("name", "=", "Tour deal: Atelier Brun")])
        self.assertRecordValues(
            deal,
            [
                {
                    "stage_id": self.stage_proposal.id,
                    "amount": 12000.0,
                    "amount_company": 12000.0,
                    "probability": 50.0,
                    "is_probability_manual": False,
                    "weighted_amount_company": 6000.0,
                    "user_id": self.admin.id,
                    "is_lost": False,
                    "lost_reason_id": False,
                    "date_lost": False,
                    "active": True,
                }
            ],
        )
        self.assertRecordValues(
            self.seeded,
            [
                {
                    "stage_id": self.stage_lost.id,
                    "probability": 0.0,
                    "lost_reason_id": self.lost_reason.id,
                    "date_lost": fields.Date.today(),
                    "reopen_stage_id": self.stage_proposal.id,
                }
            ],
        )
        # Discarding the wizard the first time moved nothing.
        self.assertEqual(
            self._tracked_values(self.seeded, "stage_id", "integer"),
            [(self.stage_proposal.id, self.stage_lost.id)],
        )
        self.assertEqual((self.idle | self.busy).stage_id, self.stage_negotiation)

        # The chatter keeps the whole story, the lost reason included.
        self.assertEqual(
            self._tracked_values(deal, "stage_id", "integer"),
            [
                (self.stage_qualified.id, self.stage_proposal.id),
                (self.stage_proposal.id, self.stage_lost.id),
                (self.stage_lost.id, self.stage_proposal.id),
            ],
        )
        self.assertEqual(
            self._tracked_values(deal, "lost_reason_id", "integer"),
            [(0, self.lost_reason.id), (self.lost_reason.id, 0)],
        )
        self.assertEqual(
            [new for _old, new in self._tracked_values(deal, "probability", "float")],
            [50.0, 0.0, 50.0, 65.0, 50.0],
        )


@tagged("post_install", "-at_install", "corymbus_tour")
class TestPipelineStagesTour(PipelineTourCase):
    def setUp(self):
        super().setUp()
        self.negotiated = self._create_opportunity(
            name="Negotiated deal", stage_id=self.stage_negotiation.id, amount=5000.0
        )
        self.shelved = self._create_opportunity(
            name="Shelved negotiation", stage_id=self.stage_negotiation.id
        )
        self.dormant = self._create_opportunity(
            name="Dormant lead", stage_id=self.stage_lead.id
        )
        (self.shelved | self.dormant).action_archive()

    def test_pipeline_stages_tour(self):
        """Add, delete, rename and reorder columns; removing one moves its deals."""
        self.start_tour("/odoo", "corymbus_pipeline_stages_tour", login="admin")

        Stage = self.env["corymbus.stage"]
        self.assertFalse(Stage.search([("name", "=", "Tour stage")]))
        self.assertFalse(self.stage_negotiation.exists())
        self.assertEqual(
            (self.negotiated | self.shelved).stage_id,
            self.stage_proposal,
            "The removed stage's deals, archived ones included, moved to Proposal.",
        )
        self.assertEqual(self.stage_proposal.name, "Proposal sent")
        self.assertTrue(self.stage_lead.exists(), "Discarding the wizard keeps it.")
        self.assertEqual(self.dormant.stage_id, self.stage_lead)
        self.assertLess(self.stage_qualified.sequence, self.stage_lead.sequence)


@tagged("post_install", "-at_install", "corymbus_pipeline")
class TestPipelineKanban(CorymbusCase):
    def test_quick_create_takes_column_probability(self):
        """The quick-create form in a column gives the deal that stage's value."""
        Opportunity = self.env["corymbus.opportunity"].with_user(self.salesman)
        column = Opportunity.with_context(default_stage_id=self.stage_qualified.id)
        form = Form(
            column,
            view="corymbus_crm.corymbus_opportunity_view_form_quick_create",
        )
        form.name = "Column deal"
        form.amount = 4000.0
        deal = form.save()

        self.assertRecordValues(
            deal,
            [
                {
                    "stage_id": self.stage_qualified.id,
                    "probability": self.stage_qualified.probability,
                    "is_probability_manual": False,
                    "weighted_amount": 4000.0 * self.stage_qualified.probability / 100,
                }
            ],
        )

    def test_column_actions_follow_stage_rights(self):
        """Only stage administrators get the column create, edit and delete."""
        attributes = ("group_create", "group_edit", "group_delete")
        for user, allowed in ((self.salesman_all, False), (self.manager, True)):
            views = (
                self.env["corymbus.opportunity"]
                .with_user(user)
                .get_views([(False, "kanban")])
            )
            arch = views["views"]["kanban"]["arch"]
            for attribute in attributes:
                with self.subTest(user=user.login, attribute=attribute):
                    self.assertEqual(
                        f'{attribute}="False"' in arch,
                        not allowed,
                    )
