from odoo import api, fields, models


class ResPartner(models.Model):
    """Contacts and companies with the timeline of their activities.

    A company's timeline gathers its own activities, those of its people and
    those of the opportunities any of them takes part in. It is searched with
    the user's rights, so an activity they may not read is neither listed nor
    counted.
    """

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Activities
    corymbus_activity_ids = fields.Many2many(
        "corymbus.activity",
        string="Timeline",
        compute="_compute_corymbus_activity_ids",
    )
    corymbus_activity_count = fields.Integer(
        "Activity Count", compute="_compute_corymbus_activity_ids"
    )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_corymbus_activity_ids(self):
        Activity = self.env["corymbus.activity"]
        for partner in self:
            if not partner._origin.id:
                partner.corymbus_activity_ids = Activity
                partner.corymbus_activity_count = 0
                continue
            activities = Activity.search(partner._origin._corymbus_timeline_domain())
            partner.corymbus_activity_ids = activities
            partner.corymbus_activity_count = len(activities)

    def _corymbus_timeline_domain(self):
        """Domain of the activities on the timeline of these partners."""
        # sudo: only the ids of the people below the partners are collected.
        partners = (
            self.sudo()
            .with_context(active_test=False)
            .search([("id", "child_of", self.ids)])
        )
        return self.env["corymbus.activity"]._corymbus_linked_domain(
            partners=self.browse(partners.ids)
        )

    def action_open_corymbus_activities(self):
        """List the activities of the timeline, with all the views."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "corymbus_crm.corymbus_activity_action"
        )
        action["domain"] = [("id", "in", self.corymbus_activity_ids.ids)]
        action["context"] = self._corymbus_activity_context()
        return action

    def _corymbus_activity_links(self):
        """The links of a new activity with this contact or company."""
        self.ensure_one()
        if self.is_company:
            return {"company_partner_id": self.id}
        links = {"partner_ids": self.ids}
        if self.commercial_partner_id.is_company:
            links["company_partner_id"] = self.commercial_partner_id.id
        return links

    def _corymbus_activity_context(self):
        return {
            f"default_{key}": value
            for key, value in self._corymbus_activity_links().items()
        }

    def _open_new_corymbus_activity(self, type_xmlid, title):
        return self.env["corymbus.activity"]._action_new(
            type_xmlid, title, **self._corymbus_activity_links()
        )

    def action_corymbus_log_call(self):
        """Open a new call with this contact or company."""
        return self._open_new_corymbus_activity(
            "corymbus_crm.corymbus_activity_type_call", self.env._("Log a Call")
        )

    def action_corymbus_schedule_meeting(self):
        """Open a new meeting with this contact or company."""
        return self._open_new_corymbus_activity(
            "corymbus_crm.corymbus_activity_type_meeting",
            self.env._("Schedule a Meeting"),
        )

    def action_corymbus_add_note(self):
        """Open a new note on this contact or company."""
        return self._open_new_corymbus_activity(
            "corymbus_crm.corymbus_activity_type_note", self.env._("Add a Note")
        )
