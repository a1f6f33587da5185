from odoo import api, fields, models


class CorymbusOpportunity(models.Model):
    """Opportunities with their activities and the next one planned."""

    _inherit = "corymbus.opportunity"

    # Activities
    corymbus_activity_ids = fields.One2many(
        "corymbus.activity", "opportunity_id", string="Activities"
    )
    next_activity_id = fields.Many2one(
        "corymbus.activity",
        string="Next Activity",
        compute="_compute_next_activity",
        store=True,
        index="btree_not_null",
    )
    next_activity_date = fields.Date(
        compute="_compute_next_activity",
        store=True,
        help="The calendar day of the next activity.",
    )
    next_activity_icon = fields.Char(related="next_activity_id.icon")
    is_next_activity_overdue = fields.Boolean(
        "Next Activity Overdue", compute="_compute_is_next_activity_overdue"
    )

    @api.depends(
        "corymbus_activity_ids.state",
        "corymbus_activity_ids.date_day",
        "corymbus_activity_ids.timeline_key",
    )
    def _compute_next_activity(self):
        # One query for the whole batch. sudo: whoever reads an opportunity
        # may read all its activities, and the stored value must not depend
        # on who triggered the computation.
        planned = (
            self.env["corymbus.activity"]
            .sudo()
            .search(
                [
                    ("opportunity_id", "in", self.ids),
                    ("state", "=", "planned"),
                ],
                order="timeline_key, id",
            )
        )
        first_by_opportunity = {}
        for activity in planned:
            first_by_opportunity.setdefault(activity.opportunity_id.id, activity)
        for opportunity in self:
            activity = first_by_opportunity.get(opportunity.id)
            opportunity.next_activity_id = activity.id if activity else False
            opportunity.next_activity_date = activity.date_day if activity else False

    @api.depends_context("tz")
    @api.depends("next_activity_id")
    def _compute_is_next_activity_overdue(self):
        for opportunity in self:
            opportunity.is_next_activity_overdue = (
                opportunity.next_activity_id.sudo().is_overdue
            )

    def _open_new_activity(self, type_xmlid, title):
        self.ensure_one()
        context = self.env["corymbus.activity"]._prepare_default_values(
            type_xmlid,
            opportunity_id=self.id,
            company_partner_id=self.partner_id.commercial_partner_id.id,
            partner_ids=self.contact_ids.ids,
        )
        if type_xmlid == "corymbus_crm.corymbus_activity_type_note":
            context["corymbus_activity_is_done"] = True
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "corymbus.activity",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def action_log_call(self):
        """Open a new call on this opportunity, with its links."""
        return self._open_new_activity(
            "corymbus_crm.corymbus_activity_type_call", self.env._("Log a Call")
        )

    def action_schedule_meeting(self):
        """Open a new meeting on this opportunity, with its links."""
        return self._open_new_activity(
            "corymbus_crm.corymbus_activity_type_meeting",
            self.env._("Schedule a Meeting"),
        )

    def action_add_note(self):
        """Open a new note on this opportunity, with its links."""
        return self._open_new_activity(
            "corymbus_crm.corymbus_activity_type_note", self.env._("Add a Note")
        )
