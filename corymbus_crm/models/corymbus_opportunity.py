from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, float_compare

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
    partner_name = fields.Char(
        "Customer Name",
        compute="_compute_partner_name",
        help="The customer's full name, as the pipeline's cards show it.",
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
    contact_names = fields.Json(
        compute="_compute_contact_names",
        help="The contact people's full names, as the pipeline's cards show them.",
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

    # The pipeline opens each column with the first cards in the model's order:
    # this index serves them without sorting the whole stage.
    _stage_order_idx = models.Index(
        "(stage_id, priority DESC, date_deadline, id DESC) WHERE active IS TRUE"
    )

    @api.constrains("probability")
    def _check_probability(self):
        for opportunity in self:
            if not 0.0 <= opportunity.probability <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The probability of “%(deal)s” must lie between 0 and 100 %%.",
                        deal=opportunity.name,
                    )
                )

    @api.constrains("name")
    def _check_name(self):
        for opportunity in self:
            if not (opportunity.name or "").strip():
                raise ValidationError(self.env._("An opportunity needs a name."))

    @api.constrains("amount")
    def _check_amount(self):
        # A negative expected revenue would lower every pipeline total.
        for opportunity in self:
            if opportunity.currency_id.compare_amounts(opportunity.amount, 0) < 0:
                raise ValidationError(
                    self.env._(
                        "The expected revenue of “%(deal)s” cannot be negative.",
                        deal=opportunity.name,
                    )
                )

    @api.depends("partner_id.complete_name")
    def _compute_partner_name(self):
        # Every card of the pipeline shows it: one query for the customers'
        # stored full names, read as a related field would be (as superuser),
        # rather than loading each company to work its display name out anew.
        saved = self.browse(id_ for id_ in self._ids if isinstance(id_, int))
        names = {}
        if saved:
            saved.flush_recordset(["partner_id"])
            Partner = self.env["res.partner"]
            Partner.flush_model(["complete_name"])
            names = dict(
                self.env.execute_query(
                    SQL(
                        """SELECT opportunity.id, (
                            SELECT complete_name FROM %s
                            WHERE id = opportunity.partner_id
                        )
                        FROM %s opportunity
                        WHERE opportunity.id IN %s""",
                        SQL.identifier(Partner._table),
                        SQL.identifier(self._table),
                        tuple(saved._ids),
                    )
                )
            )
        self._fields["partner_name"]._insert_cache(
            saved, [names.get(id_) or False for id_ in saved._ids]
        )
        for opportunity in self - saved:
            opportunity.partner_name = (
                opportunity.partner_id.sudo().complete_name or False
            )

    def _compute_contact_ids(self):
        # The pipeline shows the contacts of every card: read the saved
        # opportunities' lines in one query and put the values in the cache
        # at once (the field is neither stored nor written: no write to go
        # through). Opportunities being edited follow the lines in their form.
        saved = self.browse(id_ for id_ in self._ids if isinstance(id_, int))
        partner_ids = saved._contact_partner_ids()
        self._fields["contact_ids"]._insert_cache(
            saved, [tuple(partner_ids[id_]) for id_ in saved._ids]
        )
        for opportunity in self - saved:
            opportunity.contact_ids = opportunity.contact_line_ids.partner_id

    @api.depends(
        "contact_line_ids.sequence",
        "contact_line_ids.partner_id.complete_name",
        "contact_line_ids.partner_id.active",
    )
    def _compute_contact_names(self):
        # Every card of the pipeline shows them: one query for the lines and
        # the people's stored full names, rather than loading the lines, then
        # the people, then working out each one's display name anew.
        saved = self.browse(id_ for id_ in self._ids if isinstance(id_, int))
        names = saved._contact_full_names()
        self._fields["contact_names"]._insert_cache(
            saved, [names.get(id_) or None for id_ in saved._ids]
        )
        for opportunity in self - saved:
            opportunity.contact_names = [
                person.name
                if person.commercial_partner_id == opportunity.partner_id
                else person.complete_name
                for person in opportunity.contact_line_ids.partner_id.sudo()
                if person.active
            ] or False

    def _contact_full_names(self):
        """The names of the active contact people of each opportunity.

        The lines are searched as ``_contact_partner_ids`` does. A person of
        the customer goes by their name; anyone else, such as a partner's
        contact, by their stored ``complete_name``, which names their company.
        Both are read as a related field would be.
        """
        names = defaultdict(list)
        if not self:
            return names
        Lines = self.env["corymbus.opportunity.contact"]
        Partner = self.env["res.partner"]
        Partner.flush_model(
            ["name", "complete_name", "commercial_partner_id", "active"]
        )
        self.flush_model(["partner_id"])
        query = Lines._search([("opportunity_id", "in", self.ids)], order=Lines._order)
        rows = self.env.execute_query(
            query.select(
                Lines._field_to_sql(Lines._table, "opportunity_id", query),
                SQL(
                    """(SELECT CASE WHEN person.commercial_partner_id = deal.partner_id
                                    THEN person.name ELSE person.complete_name END
                          FROM %s person, %s deal
                         WHERE person.id = %s AND deal.id = %s
                           AND person.active IS TRUE)""",
                    SQL.identifier(Partner._table),
                    SQL.identifier(self._table),
                    Lines._field_to_sql(Lines._table, "partner_id", query),
                    Lines._field_to_sql(Lines._table, "opportunity_id", query),
                ),
            )
        )
        for opportunity_id, name in rows:
            # An archived person has no name here: left out, as the contact
            # people leave archived partners out.
            if name is not None:
                names[opportunity_id].append(name)
        return names

    def _contact_partner_ids(self):
        """The contact people of each opportunity, in the order of its lines.

        The lines are searched as the user may read them, as reading
        ``contact_line_ids`` would.
        """
        partner_ids = defaultdict(list)
        if not self:
            return partner_ids
        Lines = self.env["corymbus.opportunity.contact"]
        query = Lines._search([("opportunity_id", "in", self.ids)], order=Lines._order)
        rows = self.env.execute_query(
            query.select(
                Lines._field_to_sql(Lines._table, "opportunity_id", query),
                Lines._field_to_sql(Lines._table, "partner_id", query),
            )
        )
        for opportunity_id, partner_id in rows:
            partner_ids[opportunity_id].append(partner_id)
        return partner_ids

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
            self._check_fixed_probability(vals, stage, name=vals.get("name"))
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
            opportunities._check_fixed_probability(vals, stage)
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

    def _check_fixed_probability(self, vals, stage, name=None):
        """Refuse a probability that contradicts a won or lost stage.

        Won and lost stages fix the probability (100 and 0). Storing another
        value than the one asked for would hide the caller's mistake, so a
        different value given explicitly is refused; the same value passes, and
        so does none at all (an empty import cell sends ``False``). ``self``
        holds the deals written, ``name`` names a deal being created.
        """
        if not (stage.is_won or stage.is_lost):
            return
        value = vals.get("probability")
        if value is None or value is False:
            return
        if float_compare(float(value), stage.probability, precision_digits=2) == 0:
            return

        names = [name] if name else self[:3].mapped("display_name")
        if len(self) > 3:
            names.append("…")
        raise ValidationError(
            self.env._(
                "Opportunities in the stage “%(stage)s” always have a probability "
                "of %(fixed)s %%, so “%(deals)s” cannot take %(probability)s %%. "
                "Leave the probability out, or move the opportunity to an open "
                "stage first.",
                stage=stage.display_name,
                fixed=f"{stage.probability:g}",
                deals=", ".join(names),
                probability=f"{float(value):g}",
            )
        )

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
        """Count the closing states per column in one grouped query.

        The field is not stored: SQL works it out from the stored columns with
        the rule of ``_close_state_on``, in a single pass over the records.
        """
        if progress_bar.get("field") != "close_state":
            return super().read_progress_bar(domain, group_by, progress_bar)
        colors = progress_bar["colors"]
        result = defaultdict(lambda: dict.fromkeys(colors, 0))

        # Every record of the columns, in every state: the same pass also
        # gives the extra figures of the columns (see the hook below).
        query = self._search(Domain(domain or []))
        group_sql = self._read_group_groupby(self._table, group_by, query)
        state_sql = self._close_state_sql(query)
        extras = self._progress_bar_column_figures(query)
        figures = [
            (key, name, aggregate)
            for key, by_name in extras.items()
            for name, aggregate in by_name.items()
        ]
        query.groupby = SQL("%s, %s", group_sql, state_sql)
        rows = self.env.execute_query(
            query.select(
                group_sql,
                state_sql,
                SQL("COUNT(*)"),
                *(aggregate for _key, _name, aggregate in figures),
            )
        )
        groups = self._read_group_postprocess_groupby(
            group_by, [row[0] for row in rows]
        )
        for key in extras:
            result[key] = {}
        for group, (_value, state, count, *values) in zip(groups, rows, strict=True):
            column = str(group.id if isinstance(group, models.BaseModel) else group)
            if state in colors:
                result[column][state] += count
            for (key, name, _aggregate), value in zip(figures, values, strict=True):
                totals = result[key].setdefault(column, {})
                totals[name] = totals.get(name, 0) + (value or 0)
        return result

    @api.model
    def _progress_bar_column_figures(self, query):
        """More figures per column, computed in the progress bar's own pass.

        :param query: the query of the progress bar's records
        :return: ``{answer key: {figure name: SQL aggregate}}``; the answer
            of ``read_progress_bar`` then maps each key to ``{column: {figure
            name: total}}``
        """
        return {}

    @api.model
    def _close_state_sql(self, query):
        """SQL expression of ``close_state``, the rule of ``_close_state_on``."""
        today = fields.Date.context_today(self)
        next_month = fields.Date.add(today.replace(day=1), months=1)
        deadline = self._field_to_sql(self._table, "date_deadline", query)
        return SQL(
            """CASE
                WHEN %(won)s IS TRUE OR %(lost)s IS TRUE THEN 'closed'
                WHEN %(deadline)s IS NULL THEN 'none'
                WHEN %(deadline)s < %(today)s THEN 'overdue'
                WHEN %(deadline)s < %(next_month)s THEN 'this_month'
                ELSE 'later'
            END""",
            won=self._field_to_sql(self._table, "is_won", query),
            lost=self._field_to_sql(self._table, "is_lost", query),
            deadline=deadline,
            today=today,
            next_month=next_month,
        )

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
