from odoo import api, fields, models
from odoo.exceptions import UserError


class CorymbusStageRemove(models.TransientModel):
    """Move a stage's opportunities to another stage, then remove it.

    Archived opportunities move too, so that none is left pointing at a stage
    that no longer exists.
    """

    _name = "corymbus.stage.remove"
    _description = "Remove a Sales Stage"

    stage_id = fields.Many2one(
        "corymbus.stage", string="Stage to Remove", required=True, readonly=True
    )
    target_stage_id = fields.Many2one(
        "corymbus.stage",
        string="Move Its Opportunities To",
        domain="[('id', '!=', stage_id)]",
    )
    opportunity_count = fields.Integer(compute="_compute_opportunity_count")

    @api.depends("stage_id")
    def _compute_opportunity_count(self):
        Opportunity = (
            self.env["corymbus.opportunity"].sudo().with_context(active_test=False)
        )
        for wizard in self:
            wizard.opportunity_count = Opportunity.search_count(
                [("stage_id", "=", wizard.stage_id.id)]
            )

    def action_remove(self):
        """Move the opportunities, then delete the stage."""
        self.ensure_one()
        opportunities = (
            self.env["corymbus.opportunity"]
            .sudo()
            .with_context(active_test=False)
            .search([("stage_id", "=", self.stage_id.id)])
        )
        if opportunities:
            if not self.target_stage_id or self.target_stage_id == self.stage_id:
                raise UserError(
                    self.env._(
                        "Choose the stage that receives the %(count)s opportunities "
                        "of “%(stage)s”.",
                        count=len(opportunities),
                        stage=self.stage_id.name,
                    )
                )
            opportunities.write({"stage_id": self.target_stage_id.id})
        self.stage_id.unlink()
        return {"type": "ir.actions.act_window_close"}
