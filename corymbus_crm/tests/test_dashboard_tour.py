from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "corymbus_tour", "corymbus_dashboard")
class TestDashboardTour(HttpCase):
    """The dashboard in the browser: tiles open exactly the records they count."""

    def setUp(self):
        super().setUp()
        Opportunity = self.env["corymbus.opportunity"]
        admin = self.env.ref("base.user_admin")
        company = admin.company_id
        colleague = self.env["res.users"].create(
            {
                "name": "Tour Colleague",
                "login": "corymbus_tour_colleague",
                "group_ids": [(4, self.env.ref("corymbus_crm.group_corymbus_user").id)],
            }
        )
        stage = self.env.ref("corymbus_crm.corymbus_stage_proposal")
        won = self.env.ref("corymbus_crm.corymbus_stage_won")

        # Demo or earlier data would change the counts the tour reads.
        Opportunity.search([]).action_archive()

        common = {"company_id": company.id, "currency_id": company.currency_id.id}
        deals = {}
        for name, amount, user in (
            ("Tour deal Alpha", 90000, admin),
            ("Tour deal Beta", 2000, admin),
            ("Tour deal Gamma", 1000, admin),
            ("Tour colleague deal", 500, colleague),
        ):
            deals[name] = Opportunity.create(
                dict(
                    common, name=name, amount=amount, stage_id=stage.id, user_id=user.id
                )
            )
        for name in ("Tour won Delta", "Tour won Epsilon"):
            Opportunity.create(
                dict(common, name=name, amount=700, stage_id=won.id, user_id=admin.id)
            )

        self.env["corymbus.activity"].create(
            {
                "name": "Tour call with Alpha",
                "type_id": self.env.ref("corymbus_crm.corymbus_activity_type_call").id,
                "user_id": admin.id,
                "opportunity_id": deals["Tour deal Alpha"].id,
                "state": "done",
                "date_done": fields.Datetime.now(),
            }
        )

    def test_dashboard_tour(self):
        self.start_tour("/odoo", "corymbus_dashboard_tour", login="admin")
