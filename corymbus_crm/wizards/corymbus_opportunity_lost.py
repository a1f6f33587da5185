from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.corymbus_activity import command_ids


class CorymbusOpportunityLost(models.TransientModel):
    """Ask why deals were lost before moving them to the lost stage.

    The deals come from the client: the wizard takes only deals the user may
    read and edit.
    """

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
            opportunities = self.env["corymbus.opportunity"].browse(
                context.get("active_ids") or []
            )
            self._check_opportunity_access(opportunities)
            values["opportunity_ids"] = [fields.Command.set(opportunities.ids)]
        return values

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_opportunity_access(
                self.env["corymbus.opportunity"].browse(
                    command_ids(vals.get("opportunity_ids"))
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if "opportunity_ids" in vals:
            self._check_opportunity_access(
                self.env["corymbus.opportunity"].browse(
                    command_ids(vals["opportunity_ids"])
                )
            )
        return super().write(vals)

    def action_mark_lost(self):
        """Move the opportunities to the lost stage with the chosen reason."""
        self.ensure_one()
        self.opportunity_ids.action_mark_lost(self.lost_reason_id)
        if self.note:
            for opportunity in self.opportunity_ids:
                opportunity.message_post(body=self.note)
        return {"type": "ir.actions.act_window_close"}

    @api.model
    def _check_opportunity_access(self, opportunities):
        """Refuse deals the user may not both read and edit, naming none."""
        opportunities = opportunities.with_env(self.env).exists()
        if self.env.su or not opportunities:
            return
        if not (opportunities.has_access("read") and opportunities.has_access("write")):
            raise AccessError(
                self.env._("You can only mark lost the opportunities you may edit.")
            )
