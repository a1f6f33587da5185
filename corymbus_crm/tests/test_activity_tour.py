from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "corymbus_activity", "corymbus_tour")
class TestActivityTour(HttpCase):
    """Log a call from an opportunity, mark it done, plan the next one."""

    def test_activity_tour(self):
        admin = self.env.ref("base.user_admin")
        customer = self.env["res.partner"].create(
            {"name": "Quarry Lane Ltd", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Ivo Marsh", "parent_id": customer.id}
        )
        opportunity = self.env["corymbus.opportunity"].create(
            {
                "name": "Quarry Lane pilot",
                "partner_id": customer.id,
                "user_id": admin.id,
                "contact_line_ids": [Command.create({"partner_id": contact.id})],
            }
        )

        self.start_tour(
            f"/odoo/corymbus.opportunity/{opportunity.id}",
            "corymbus_activity_tour",
            login="admin",
        )

        activities = opportunity.corymbus_activity_ids
        call = activities.filtered(lambda a: a.name == "Call about the pilot")
        self.assertEqual(call.state, "done")
        self.assertEqual(call.outcome, "Pilot agreed")
        self.assertIn("Ask for volume tiers", call.note)
        self.assertEqual(call.done_user_id, admin)
        self.assertEqual(call.partner_ids, contact)
        self.assertEqual(call.company_partner_id, customer)
        self.assertEqual(
            call.attachment_ids.mapped("url"),
            ["https://drive.google.com/file/d/pilot-plan/view"],
        )
        self.assertEqual(call.attachment_ids.corymbus_url_site, "drive.google.com")

        following = activities.filtered(lambda a: a.name == "Send the pilot contract")
        self.assertEqual(following.state, "planned")
        self.assertEqual(following.type_id, call.type_id)
        self.assertEqual(following.partner_ids, contact)
        self.assertEqual(opportunity.next_activity_id, following)
