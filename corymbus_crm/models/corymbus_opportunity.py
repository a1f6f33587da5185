from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

CLOSE_STATES = [
    ("overdue", "Overdue"),
    ("this_month", "This Month"),
    ("later", "Later"),
    ("none", "No Date"),
    ("closed", "Closed"),
]


class CorymbusOpportunity(models.Model):
    """A deal with one customer company and the people taking part in it.

    The probability follows the stage unless a salesperson sets it by hand; the
    rule lives in ``create`` and ``write`` so that every path (form, kanban,
    list mass edit, import, RPC, server actions) applies it the same way.
    """

    _name = "corymbus.opportunity"
    _description = "Corymbus Opportunity"
    _inherit = ["mail.thread"]
    _order = "priority desc, date_deadline, id desc"
    _check_company_auto = True

    @api.model
    def _default_stage_id(self):
        return self.env["corymbus.stage"].search(
            [("is_won", "=", False), ("is_lost", "=", False)], limit=1
        )

    # Identity
    name = fields.Char("Opportunity", required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Good"), ("2", "Very Good"), ("3", "Excellent")],
        default="0",
        index=True,
    )
    color = fields.Integer("Color Index")
    description = fields.Html("Notes")

    # People
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="The company the deal is made with.",
    )
    contact_line_ids = fields.One2many(
        "corymbus.opportunity.contact", "opportunity_id", string="Contacts"
    )
    contact_ids = fields.Many2many(
        "res.partner",
        string="Contact People",
        compute="_compute_contact_ids",
        search="_search_contact_ids",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )

    # Money
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        help="Currency of the amount, kept with it so that totals convert it.",
    )
    amount = fields.Monetary(
        "Expected Revenue", currency_field="currency_id", tracking=True
    )
    weighted_amount = fields.Monetary(
        compute="_compute_weighted_amount",
        store=True,
        currency_field="currency_id",
        help="Expected revenue times probability, in the opportunity's currency.",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency", store=True
    )
    amount_company = fields.Monetary(
        "Expected Revenue (Company Currency)",
        compute="_compute_company_amounts",
        store=True,
        currency_field="company_currency_id",
    )
    weighted_amount_company = fields.Monetary(
        "Weighted Revenue",
        compute="_compute_company_amounts",
        store=True,
        currency_field="company_currency_id",
        help="Expected revenue times probability, converted to the company "
        "currency at the rate of the expected closing date.",
    )

    # Pipeline
    stage_id = fields.Many2one(
        "corymbus.stage",
        string="Stage",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        copy=False,
        default=lambda self: self._default_stage_id(),
        group_expand="_read_group_expand_stages",
    )
    probability = fields.Float(
        tracking=True,
        aggregator="avg",
        copy=False,
        help="Chance of winning, in percent. Follows the stage unless set by hand.",
    )
    is_probability_manual = fields.Boolean(
        "Probability Set by Hand",
        copy=False,
        help="The probability was typed by a user and no longer follows the stage "
        "until the opportunity changes stage.",
    )
    stage_probability = fields.Float(
        related="stage_id.probability", string="Stage Probability"
    )
    is_won = fields.Boolean(related="stage_id.is_won", store=True, string="Won")
    is_lost = fields.Boolean(related="stage_id.is_lost", store=True, string="Lost")
    date_deadline = fields.Date("Expected Closing", index=True, tracking=True)
    close_state = fields.Selection(
        CLOSE_STATES,
        string="Closing",
        compute="_compute_close_state",
        search="_search_close_state",
    )
    date_won = fields.Date("Won On", copy=False, readonly=True)
    date_lost = fields.Date("Lost On", copy=False, readonly=True)
    lost_reason_id = fields.Many2one(
        "corymbus.lost.reason",
        string="Lost Reason",
        copy=False,
        tracking=True,
        ondelete="restrict",
    )
    reopen_stage_id = fields.Many2one(
        "corymbus.stage",
        copy=False,
        help="The stage the opportunity was in before it was won or lost; "
        "reopening brings it back there.",
    )

    def _compute_contact_ids(self):
        for opportunity in self:
            opportunity.contact_ids = opportunity.contact_line_ids.partner_id

    def _search_contact_ids(self, operator, value):
        return [("contact_line_ids.partner_id", operator, value)]

    @api.depends("amount", "probability")
    def _compute_weighted_amount(self):
        for opportunity in self:
            opportunity.weighted_amount = opportunity.currency_id.round(
                opportunity.amount * opportunity.probability / 100.0
            )

    @api.depends(
        "amount",
        "probability",
        "currency_id",
        "company_currency_id",
        "date_deadline",
    )
    def _compute_company_amounts(self):
        today = fields.Date.context_today(self)
        for opportunity in self:
            company = opportunity.company_id or self.env.company
            target = opportunity.company_currency_id or company.currency_id
            source = opportunity.currency_id or target
            amount = source._convert(
                opportunity.amount,
                target,
                company,
                opportunity.date_deadline or today,
                round=False,
            )
            opportunity.amount_company = target.round(amount)
            opportunity.weighted_amount_company = target.round(
                amount * opportunity.probability / 100.0
            )

    @api.depends("date_deadline", "is_won", "is_lost")
    @api.depends_context("tz")
    def _compute_close_state(self):
        today = fields.Date.context_today(self)
        for opportunity in self:
            opportunity.close_state = opportunity._close_state_on(today)

    def _close_state_on(self, today):
        if self.is_won or self.is_lost:
            return "closed"
        if not self.date_deadline:
            return "none"
        if self.date_deadline < today:
            return "overdue"
        if (self.date_deadline.year, self.date_deadline.month) == (
            today.year,
            today.month,
        ):
            return "this_month"
        return "later"

    def _search_close_state(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        domain = Domain.OR(self._close_state_domain(state) for state in value)
        return ~domain if operator == "not in" else domain

    @api.model
    def _close_state_domain(self, state):
        """Domain selecting the open opportunities in one closing state."""
        today = fields.Date.context_today(self)
        first_of_month = today.replace(day=1)
        next_month = fields.Date.add(first_of_month, months=1)
        closed = Domain("is_won", "=", True) | Domain("is_lost", "=", True)
        if state == "closed":
            return closed
        open_domain = ~closed
        by_state = {
            "overdue": Domain("date_deadline", "<", today),
            "this_month": Domain("date_deadline", ">=", today)
            & Domain("date_deadline", "<", next_month),
            "later": Domain("date_deadline", ">=", next_month),
            "none": Domain("date_deadline", "=", False),
        }
        return open_domain & by_state.get(state, Domain.FALSE)

    @api.onchange("stage_id")
    def _onchange_stage_id(self):
        self.probability = self.stage_id.probability
        self.is_probability_manual = False

    @api.onchange("probability")
    def _onchange_probability(self):
        self.is_probability_manual = (
            not (self.stage_id.is_won or self.stage_id.is_lost)
            and self.probability != self.stage_id.probability
        )

    @api.model
    def _read_group_expand_stages(self, stages, domain):
        return stages.search([], order=stages._order)

    @api.model_create_multi
    def create(self, vals_list):
        stages = self.env["corymbus.stage"]
        default_stage = stages.browse(self.env.context.get("default_stage_id"))
        for vals in vals_list:
            stage = stages.browse(vals.get("stage_id")) if "stage_id" in vals else None
            if stage is None:
                stage = default_stage.exists() or self._default_stage_id()
                vals["stage_id"] = stage.id
            self._apply_stage_rules(vals, stage, entering=True)
        return super().create(vals_list)

    def write(self, vals):
        if "stage_id" not in vals and "probability" not in vals:
            return super().write(vals)

        # The probability rule depends on each record's stage: write per stage.
        if "stage_id" in vals:
            new_stage = self.env["corymbus.stage"].browse(vals["stage_id"])
            groups = {new_stage: self}
        else:
            groups = defaultdict(lambda: self.browse())
            for opportunity in self:
                groups[opportunity.stage_id] |= opportunity
        for stage, opportunities in groups.items():
            stage_vals = dict(vals)
            if "stage_id" in vals:
                opportunities._remember_stage_before_closing(stage)
                leaving = opportunities.filtered(lambda o, s=stage: o.stage_id != s)
                if leaving:
                    entering_vals = dict(stage_vals)
                    self._apply_stage_rules(entering_vals, stage, entering=True)
                    super(CorymbusOpportunity, leaving).write(entering_vals)
                staying = opportunities - leaving
                if staying:
                    self._apply_stage_rules(stage_vals, stage, entering=False)
                    super(CorymbusOpportunity, staying).write(stage_vals)
            else:
                self._apply_stage_rules(stage_vals, stage, entering=False)
                super(CorymbusOpportunity, opportunities).write(stage_vals)
        return True

    @api.model
    def _apply_stage_rules(self, vals, stage, entering):
        """Complete ``vals`` so probability, won and lost data fit ``stage``.

        ``entering`` tells whether the records arrive in ``stage`` with these
        values (creation or change of stage) or already sit in it.
        """
        today = fields.Date.context_today(self)
        if stage.is_won or stage.is_lost:
            vals["probability"] = stage.probability
            vals["is_probability_manual"] = False
        elif "probability" in vals:
            vals.setdefault(
                "is_probability_manual",
                float(vals["probability"] or 0.0) != stage.probability,
            )
            if not vals["is_probability_manual"]:
                vals["probability"] = stage.probability
        elif entering or vals.get("is_probability_manual") is False:
            vals["probability"] = stage.probability
            vals["is_probability_manual"] = False

        if not entering:
            return
        if stage.is_won:
            vals.setdefault("date_won", today)
        else:
            vals["date_won"] = False
        if stage.is_lost:
            vals.setdefault("date_lost", today)
        else:
            vals["date_lost"] = False
            vals["lost_reason_id"] = False

    def _remember_stage_before_closing(self, stage):
        """Keep the open stage a deal leaves when it is won or lost."""
        if not (stage.is_won or stage.is_lost):
            return
        for opportunity in self:
            previous = opportunity.stage_id
            if previous and not (previous.is_won or previous.is_lost):
                opportunity.reopen_stage_id = previous

    @api.model
    def read_progress_bar(self, domain, group_by, progress_bar):
        """Count the closing states in SQL, as the field itself is not stored."""
        if progress_bar.get("field") != "close_state":
            return super().read_progress_bar(domain, group_by, progress_bar)
        result = defaultdict(lambda: dict.fromkeys(progress_bar["colors"], 0))
        for state in progress_bar["colors"]:
            state_domain = Domain(domain or []) & self._close_state_domain(state)
            for group, count in self._read_group(state_domain, [group_by], ["__count"]):
                key = str(group.id if isinstance(group, models.BaseModel) else group)
                result[key][state] += count
        return result

    def action_mark_won(self):
        """Move the opportunities to the won stage."""
        won_stage = self.env["corymbus.stage"].search([("is_won", "=", True)], limit=1)
        if not won_stage:
            raise UserError(
                self.env._("Create a stage flagged “Won” before winning deals.")
            )
        self.write({"stage_id": won_stage.id})
        return True

    def action_open_mark_lost(self):
        """Ask for the lost reason before moving the deals to the lost stage."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mark Lost"),
            "res_model": "corymbus.opportunity.lost",
            "view_mode": "form",
            "target": "new",
            "context": {"active_ids": self.ids, "active_model": self._name},
        }

    def action_mark_lost(self, lost_reason=None):
        """Move the opportunities to the lost stage, keeping the reason."""
        lost_stage = self.env["corymbus.stage"].search(
            [("is_lost", "=", True)], limit=1
        )
        if not lost_stage:
            raise UserError(
                self.env._("Create a stage flagged “Lost” before losing deals.")
            )
        self.write(
            {
                "stage_id": lost_stage.id,
                "lost_reason_id": lost_reason.id if lost_reason else False,
            }
        )
        return True

    def action_reopen(self):
        """Bring won or lost deals back to the stage they left."""
        first_open = self._default_stage_id()
        for opportunity in self.filtered(lambda o: o.is_won or o.is_lost):
            stage = opportunity.reopen_stage_id or first_open
            opportunity.write({"stage_id": stage.id})
        return True

    def action_reset_probability(self):
        """Make the probability follow the stage again."""
        for opportunity in self:
            opportunity.write(
                {
                    "probability": opportunity.stage_id.probability,
                    "is_probability_manual": False,
                }
            )
        return True
