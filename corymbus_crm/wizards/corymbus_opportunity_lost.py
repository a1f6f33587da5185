from odoo import api, fields, models


class CorymbusOpportunityLost(models.TransientModel):
    """Ask why deals were lost before moving them to the lost stage."""

    _name = "corymbus.opportunity.lost"
    _description = "Mark Opportunities Lost"

    opportunity_ids = fields.Many2many(
        "corymbus.opportunity", string="Opportunities", required=True
    )
    lost_reason_id = fields.Many2one(
        "corymbus.lost.reason", string="Lost Reason", required=True
    )
    note = fields.Html("Closing Note")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if (
            "opportunity_ids" in fields_list
            and context.get("active_model") == "corymbus.opportunity"
        ):
            values["opportunity_ids"] = [
                fields.Command.set(context.get("active_ids") or [])
            ]
        return values

    def action_mark_lost(self):
        """Move the opportunities to the lost stage with the chosen reason."""
        self.ensure_one()
        self.opportunity_ids.action_mark_lost(self.lost_reason_id)
        if self.note:
            for opportunity in self.opportunity_ids:
                opportunity.message_post(body=self.note)
        return {"type": "ir.actions.act_window_close"}
