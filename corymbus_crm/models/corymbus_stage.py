from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CorymbusStage(models.Model):
    """A step of the sales process, with the probability its opportunities follow.

    Won and lost are explicit flags rather than conventions on names or
    probabilities: a won stage is always at 100 %, a lost one at 0 %.
    """

    _name = "corymbus.stage"
    _description = "Corymbus Sales Stage"
    _order = "sequence, id"

    # Identity
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    # Behaviour
    probability = fields.Float(
        default=10.0,
        aggregator=False,
        help="Chance of winning, in percent, given to the opportunities of this stage "
        "unless a salesperson sets their own.",
    )
    is_won = fields.Boolean(
        "Won Stage", help="Opportunities in this stage are won (100 %)."
    )
    is_lost = fields.Boolean(
        "Lost Stage", help="Opportunities in this stage are lost (0 %)."
    )
    fold = fields.Boolean(
        "Folded in Pipeline", help="The pipeline shows this column folded."
    )
    requirements = fields.Text(
        translate=True,
        help="What an opportunity needs before it reaches this stage; shown as a "
        "tooltip on the pipeline column.",
    )

    # Statistics
    opportunity_count = fields.Integer(compute="_compute_opportunity_count")

    _probability_range = models.Constraint(
        "CHECK(probability >= 0 AND probability <= 100)",
        "A stage's probability lies between 0 and 100.",
    )

    @api.depends_context("uid")
    def _compute_opportunity_count(self):
        groups = self.env["corymbus.opportunity"]._read_group(
            [("stage_id", "in", self.ids)], ["stage_id"], ["__count"]
        )
        counts = {stage.id: count for stage, count in groups}
        for stage in self:
            stage.opportunity_count = counts.get(stage.id, 0)

    @api.onchange("is_won", "is_lost")
    def _onchange_terminal_flag(self):
        if self.is_won:
            self.probability = 100.0
        elif self.is_lost:
            self.probability = 0.0

    @api.constrains("probability", "is_won", "is_lost")
    def _check_terminal_probability(self):
        for stage in self:
            if stage.is_won and stage.is_lost:
                raise ValidationError(
                    self.env._(
                        "The stage “%(stage)s” cannot be both won and lost.",
                        stage=stage.name,
                    )
                )
            if stage.is_won and stage.probability != 100.0:
                raise ValidationError(
                    self.env._(
                        "The won stage “%(stage)s” must keep a probability of 100 %%.",
                        stage=stage.name,
                    )
                )
            if stage.is_lost and stage.probability != 0.0:
                raise ValidationError(
                    self.env._(
                        "The lost stage “%(stage)s” must keep a probability of 0 %%.",
                        stage=stage.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._force_terminal_probability(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._force_terminal_probability(vals)
        result = super().write(vals)

        # Deals that follow their stage take its new value; hand-set ones keep
        # theirs, except in a won or lost stage, whose value is fixed. Archived
        # deals follow too, so reopening them shows no stale value.
        if {"probability", "is_won", "is_lost"} & vals.keys():
            deals = (
                self.env["corymbus.opportunity"]
                .sudo()
                .with_context(active_test=False, mail_notrack=True)
                .search([("stage_id", "in", self.ids)])
            )
            for stage in self:
                followers = deals.filtered(
                    lambda o, s=stage: (
                        o.stage_id == s
                        and (s.is_won or s.is_lost or not o.is_probability_manual)
                    )
                )
                followers.write({"probability": stage.probability})
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_holding_opportunities(self):
        holding = (
            self.env["corymbus.opportunity"].sudo().with_context(active_test=False)
        )
        if holding.search_count([("stage_id", "in", self.ids)], limit=1):
            raise UserError(
                self.env._(
                    "This stage still holds opportunities. Use “Remove Stage” to "
                    "move them to another stage first."
                )
            )

    def action_open_remove_wizard(self):
        """Open the wizard that moves a stage's opportunities, then removes it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Remove Stage"),
            "res_model": "corymbus.stage.remove",
            "view_mode": "form",
            "target": "new",
            "context": {"default_stage_id": self.id},
        }

    @api.model
    def _force_terminal_probability(self, vals):
        """Terminal stages carry fixed probabilities; set them when flagged."""
        if vals.get("is_won"):
            vals.setdefault("probability", 100.0)
        elif vals.get("is_lost"):
            vals.setdefault("probability", 0.0)
