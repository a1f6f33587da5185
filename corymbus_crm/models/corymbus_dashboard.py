from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, date_utils

PERIODS = ("month", "quarter", "year", "custom")
SCOPES = ("me", "user", "all")
DEFAULT_STALLED_DAYS = 14
TOP_LIMIT = 5
MAX_FORECAST_MONTHS = 36


class CorymbusDashboard(models.AbstractModel):
    """The sales dashboard's figures, computed in the database in one call.

    ``get_dashboard_data`` answers a whole refresh of the dashboard for a scope
    (me, one salesperson, everyone the user may see) and a period. Every figure
    comes with the domain of exactly the records it counts: the client opens
    that list when the figure is clicked, and the search applies the same
    record rules as the aggregate, so the figure and the list always agree.

    The aggregates are SQL built on the ORM's own query (``_search``), so the
    record rules and the archived filter are those of a normal search, and
    each figure is filtered by the SQL of its own domain. Totals add up the
    stored per-record amounts converted to the company currency, never an
    amount times an averaged probability. The number of queries does not
    depend on the number of records.
    """

    _name = "corymbus.dashboard"
    _description = "Corymbus Sales Dashboard"

    @api.model
    @api.readonly
    def get_dashboard_data(
        self,
        scope="me",
        period="month",
        user_id=False,
        date_from=False,
        date_to=False,
        with_salespeople=False,
    ):
        """Return every figure of the dashboard for a scope and a period.

        :param scope: ``"me"``, ``"user"`` (then ``user_id`` is the salesperson)
            or ``"all"`` (everything the current user may read)
        :param period: ``"month"``, ``"quarter"``, ``"year"`` or ``"custom"``
            (then ``date_from`` and ``date_to`` bound it, both included)
        :param with_salespeople: also list the salespeople the scope selector
            offers (the client asks for them on its first load only)
        :return: a dict of figures, each with the ``domain`` of its records
        """
        start, end = self._dashboard_period(period, date_from, date_to)
        scope_user = self._dashboard_scope_user(scope, user_id)
        stalled_days = self._dashboard_stalled_days()

        base = Domain("company_id", "=", self.env.company.id)
        if scope_user:
            base &= Domain("user_id", "=", scope_user)
        domains = self._dashboard_domains(start, end, stalled_days)
        data = self._dashboard_opportunity_figures(base, domains, start, end)

        data.update(
            period={
                "key": period,
                "date_from": fields.Date.to_string(start),
                "date_to": fields.Date.to_string(end),
            },
            scope={"key": scope, "user_id": scope_user},
            currency_id=self.env.company.currency_id.id,
            stalled_days=stalled_days,
            can_choose_salesperson=self.env.user.has_group(
                "corymbus_crm.group_corymbus_user_all"
            ),
            salespeople=self._dashboard_salespeople() if with_salespeople else None,
            top=self._dashboard_top(base & domains["open"]),
            activities=self._dashboard_activities(scope_user, start, end),
        )
        return data

    # ------------------------------------------------------------------
    # Scope, period and the domain of each figure
    # ------------------------------------------------------------------

    @api.model
    def _dashboard_period(self, period, date_from, date_to):
        """First and last day of the period, in the user's time zone."""
        if period not in PERIODS:
            raise UserError(self.env._("Unknown period “%(period)s”.", period=period))

        today = fields.Date.context_today(self)
        if period == "month":
            return date_utils.get_month(today)
        if period == "quarter":
            return date_utils.get_quarter(today)
        if period == "year":
            return date_utils.get_fiscal_year(today)

        if not date_from or not date_to:
            raise UserError(self.env._("Choose the first and last day of the period."))
        start = fields.Date.to_date(date_from)
        end = fields.Date.to_date(date_to)
        if start > end:
            raise UserError(
                self.env._(
                    "The period must start before it ends: pick the dates again."
                )
            )
        return start, end

    @api.model
    def _dashboard_scope_user(self, scope, user_id):
        """The salesperson the scope looks at; False for everyone."""
        if scope not in SCOPES:
            raise UserError(self.env._("Unknown scope “%(scope)s”.", scope=scope))
        if scope == "me":
            return self.env.uid
        if scope == "user":
            if not user_id:
                raise UserError(self.env._("Choose the salesperson to look at."))
            return int(user_id)
        return False

    @api.model
    def _dashboard_stalled_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("corymbus_crm.stalled_days", DEFAULT_STALLED_DAYS)
        )
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            return DEFAULT_STALLED_DAYS

    @api.model
    def _dashboard_domains(self, start, end, stalled_days):
        """Domain of the opportunities behind each figure, scope aside.

        The open pipeline and the stalled deals are today's; won, lost and the
        forecast belong to the period.
        """
        start, end = fields.Date.to_string(start), fields.Date.to_string(end)
        is_open = Domain("is_won", "=", False) & Domain("is_lost", "=", False)
        won = (
            Domain("is_won", "=", True)
            & Domain("date_won", ">=", start)
            & Domain("date_won", "<=", end)
        )
        lost = (
            Domain("is_lost", "=", True)
            & Domain("date_lost", ">=", start)
            & Domain("date_lost", "<=", end)
        )
        domains = {
            "open": is_open,
            "won": won,
            "lost": lost,
            "closed": won | lost,
            "forecast": is_open
            & Domain("date_deadline", ">=", start)
            & Domain("date_deadline", "<=", end),
        }
        stalled = self._dashboard_stalled_domain(stalled_days)
        if stalled is not None:
            domains["stalled"] = is_open & stalled
        return domains

    @api.model
    def _dashboard_stalled_domain(self, stalled_days):
        """Opportunities nobody worked on for ``stalled_days``.

        Older than that, with no activity (done, or planned, but not cancelled)
        on a day since then: a planned activity to come keeps a deal alive, an
        activity left overdue for longer does not. None without activities.
        """
        activities = next(
            (
                name
                for name, field in self.env["corymbus.opportunity"]._fields.items()
                if field.type == "one2many"
                and field.comodel_name == "corymbus.activity"
                and field.inverse_name == "opportunity_id"
            ),
            None,
        )
        if not activities:
            return None

        cutoff = fields.Date.context_today(self) - timedelta(days=stalled_days)
        recent = Domain("state", "!=", "cancelled") & Domain(
            "date_day", ">=", fields.Date.to_string(cutoff)
        )
        return Domain("create_date", "<", self._dashboard_day_start(cutoff)) & Domain(
            activities, "not any", recent
        )

    # ------------------------------------------------------------------
    # Opportunity figures
    # ------------------------------------------------------------------

    @api.model
    def _dashboard_opportunity_figures(self, base, domains, start, end):
        """Tiles, pipeline by stage and forecast by month, from one query."""
        tz = self.env.tz.zone

        # Days from the creation to the win, both as days of the user's time
        # zone. A deal recorded with an earlier won date (imported already
        # won) counts as won the day it was created: never a negative cycle.
        def cycle(column):
            created_on = SQL(
                "(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date",
                column("create_date"),
                tz,
            )
            return SQL("GREATEST(%s - %s, 0)", column("date_won"), created_on)

        measures = {
            "open_count": ("count", "open", None),
            "open_amount": ("sum", "open", "amount_company"),
            "open_weighted": ("sum", "open", "weighted_amount_company"),
            "won_count": ("count", "won", None),
            "won_amount": ("sum", "won", "amount_company"),
            "won_cycle": ("avg", "won", cycle),
            "lost_count": ("count", "lost", None),
            "lost_amount": ("sum", "lost", "amount_company"),
            "forecast_count": ("count", "forecast", None),
            "forecast_amount": ("sum", "forecast", "amount_company"),
            "forecast_weighted": ("sum", "forecast", "weighted_amount_company"),
        }
        if "stalled" in domains:
            measures.update(
                stalled_count=("count", "stalled", None),
                stalled_amount=("sum", "stalled", "amount_company"),
                stalled_weighted=("sum", "stalled", "weighted_amount_company"),
            )
        stages = self.env["corymbus.stage"].search_fetch(
            [("is_won", "=", False), ("is_lost", "=", False)], ["name"]
        )
        groups = self._dashboard_aggregate(
            "corymbus.opportunity",
            base,
            domains,
            measures,
            {
                "total": [],
                "stage": ["stage_id"],
                "month": ["date_deadline:month"],
            },
        )
        totals = groups["total"].get((), dict.fromkeys(measures, None))

        def amount(values, name):
            return self._dashboard_round(values.get(name))

        by_stage = []
        for stage in stages:
            values = groups["stage"].get((stage.id,), {})
            by_stage.append(
                {
                    "stage_id": stage.id,
                    "name": stage.name,
                    "count": values.get("open_count") or 0,
                    "amount": amount(values, "open_amount"),
                    "weighted": amount(values, "open_weighted"),
                    "domain": list(
                        base & domains["open"] & Domain("stage_id", "=", stage.id)
                    ),
                }
            )

        forecast = []
        for month in self._dashboard_months(start, end):
            values = groups["month"].get((month,), {})
            month_from = max(month, start)
            month_to = min(date_utils.end_of(month, "month"), end)
            forecast.append(
                {
                    "month": fields.Date.to_string(month),
                    "count": values.get("forecast_count") or 0,
                    "amount": amount(values, "forecast_amount"),
                    "weighted": amount(values, "forecast_weighted"),
                    "domain": list(
                        base
                        & domains["open"]
                        & Domain(
                            "date_deadline", ">=", fields.Date.to_string(month_from)
                        )
                        & Domain("date_deadline", "<=", fields.Date.to_string(month_to))
                    ),
                }
            )

        return {
            "figures": self._dashboard_tiles(base, domains, totals),
            "by_stage": by_stage,
            "forecast": forecast,
        }

    @api.model
    def _dashboard_tiles(self, base, domains, totals):
        """The headline figures, each with the domain of its records."""
        currency = self.env.company.currency_id
        won_count = totals["won_count"] or 0
        lost_count = totals["lost_count"] or 0
        won_amount = self._dashboard_round(totals["won_amount"])
        closed_count = won_count + lost_count
        cycle = totals["won_cycle"]

        def figure(key, **values):
            return dict(values, domain=list(base & domains[key]))

        tiles = {
            "open": figure(
                "open",
                count=totals["open_count"] or 0,
                amount=self._dashboard_round(totals["open_amount"]),
                weighted=self._dashboard_round(totals["open_weighted"]),
            ),
            "won": figure("won", count=won_count, amount=won_amount),
            "lost": figure(
                "lost",
                count=lost_count,
                amount=self._dashboard_round(totals["lost_amount"]),
            ),
            "win_rate": figure(
                "closed",
                count=closed_count,
                value=round(100.0 * won_count / closed_count, 2)
                if closed_count
                else False,
            ),
            "average_won": figure(
                "won",
                count=won_count,
                value=currency.round(won_amount / won_count) if won_count else False,
            ),
            "sales_cycle": figure(
                "won",
                count=won_count,
                value=round(float(cycle), 2) if cycle is not None else False,
            ),
        }
        if "stalled" in domains:
            tiles["stalled"] = figure(
                "stalled",
                count=totals["stalled_count"] or 0,
                amount=self._dashboard_round(totals["stalled_amount"]),
                weighted=self._dashboard_round(totals["stalled_weighted"]),
            )
        return tiles

    @api.model
    def _dashboard_top(self, domain):
        """The open opportunities weighing most, heaviest first."""
        top = self.env["corymbus.opportunity"].search_fetch(
            domain,
            [
                "name",
                "partner_id",
                "user_id",
                "stage_id",
                "amount_company",
                "weighted_amount_company",
                "date_deadline",
            ],
            order="weighted_amount_company desc, id",
            limit=TOP_LIMIT,
        )

        # Only names are shown: fetch them alone rather than whole partner rows.
        top.partner_id.fetch(["name"])
        top.user_id.partner_id.fetch(["name"])
        return [
            {
                "id": opportunity.id,
                "name": opportunity.name,
                "partner": opportunity.partner_id.name or "",
                "user": opportunity.user_id.name or "",
                "stage": opportunity.stage_id.name,
                "amount": opportunity.amount_company,
                "weighted": opportunity.weighted_amount_company,
                "date_deadline": fields.Date.to_string(opportunity.date_deadline),
                "domain": [("id", "=", opportunity.id)],
            }
            for opportunity in top
        ]

    @api.model
    def _dashboard_salespeople(self):
        """Salespeople the scope selector offers; none to who sees only theirs."""
        if not self.env.user.has_group("corymbus_crm.group_corymbus_user_all"):
            return []
        sales_group = self.env.ref("corymbus_crm.group_corymbus_user")
        users = self.env["res.users"].search_fetch(
            [("share", "=", False), ("all_group_ids", "in", sales_group.ids)],
            ["name"],
            order="name, id",
        )
        return [{"id": user.id, "name": user.name} for user in users]

    # ------------------------------------------------------------------
    # Activities
    # ------------------------------------------------------------------

    @api.model
    def _dashboard_activities(self, scope_user, start, end):
        """Activities done in the period, planned in it, and overdue today.

        Counted by type and by owner (the scope's salesperson owns them). An
        overdue activity stays on the dashboard whatever the period until it
        is done or cancelled.
        """
        base = Domain("company_id", "=", self.env.company.id)
        if scope_user:
            base &= Domain("user_id", "=", scope_user)
        domains = {
            "done": Domain("state", "=", "done")
            & Domain("date_done", ">=", self._dashboard_day_start(start))
            & Domain(
                "date_done", "<", self._dashboard_day_start(end + timedelta(days=1))
            ),
            "planned": Domain("state", "=", "planned")
            & Domain("is_overdue", "=", False)
            & Domain("date_day", ">=", fields.Date.to_string(start))
            & Domain("date_day", "<=", fields.Date.to_string(end)),
            "overdue": Domain("is_overdue", "=", True),
        }
        groups = self._dashboard_aggregate(
            "corymbus.activity",
            base,
            domains,
            {state: ("count", state, None) for state in domains},
            {"total": [], "type": ["type_id"], "owner": ["user_id"]},
        )

        def counts(values, extra=Domain.TRUE):
            return {
                state: {
                    "count": values.get(state) or 0,
                    "domain": list(base & domains[state] & extra),
                }
                for state in domains
            }

        type_ids = [type_id for (type_id,) in groups["type"]]
        types = (
            self.env["corymbus.activity.type"]
            .with_context(active_test=False)
            .search_fetch(
                Domain("active", "=", True) | Domain("id", "in", type_ids), ["name"]
            )
        )
        owner_ids = [
            user_id
            for (user_id,), values in groups["owner"].items()
            if any(values.values())
        ]
        owners = self.env["res.users"].browse(owner_ids)
        owners.partner_id.fetch(["name"])
        return {
            "model": "corymbus.activity",
            "totals": counts(groups["total"].get((), {})),
            "by_type": [
                dict(
                    counts(
                        groups["type"].get((activity_type.id,), {}),
                        Domain("type_id", "=", activity_type.id),
                    ),
                    type_id=activity_type.id,
                    name=activity_type.name,
                )
                for activity_type in types
            ],
            "by_owner": [
                dict(
                    counts(
                        groups["owner"].get((owner.id,), {}),
                        Domain("user_id", "=", owner.id),
                    ),
                    user_id=owner.id,
                    name=owner.name,
                )
                for owner in owners.sorted(lambda user: (user.name or "", user.id))
            ],
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _dashboard_aggregate(self, model_name, base, domains, measures, groupings):
        """Aggregate ``measures`` over the records of ``base`` in one query.

        Each measure is ``(function, figure, column)``: ``function`` is
        ``"count"``, ``"sum"`` or ``"avg"``; the records it covers are those of
        ``domains[figure]``, whose SQL filters the aggregate; ``column`` is a
        field name or a function building the SQL of a value from a
        ``column(field_name)`` function. ``groupings`` name the GROUPING SETS,
        each a list of group-by specifications as ``_read_group`` takes them.

        :return: ``{grouping: {group values: {measure: value}}}``
        """
        Model = self.env[model_name]
        result = {key: {} for key in groupings}
        query = Model._search(base)
        if query.is_empty():
            return result

        # Each record is classified once, in an inner query: every figure's
        # condition becomes a column, then aggregates filter on those columns.
        table = Model._table
        inner = {}
        for key, domain in domains.items():
            inner[f"figure_{key}"] = domain.optimize_full(Model)._to_sql(
                Model, table, query
            )

        def column(field_name):
            return Model._field_to_sql(table, field_name, query)

        specs = list(
            dict.fromkeys(spec for specs in groupings.values() for spec in specs)
        )
        for index, spec in enumerate(specs):
            inner[f"group_{index}"] = Model._read_group_groupby(table, spec, query)
        aggregates = []
        for index, (function, figure, value) in enumerate(measures.values()):
            if function == "count":
                aggregate = SQL("COUNT(*)")
            else:
                value = value(column) if callable(value) else column(value)
                inner[f"value_{index}"] = value
                aggregate = SQL(
                    "%s(%s)", SQL(function.upper()), SQL.identifier(f"value_{index}")
                )
            aggregates.append(
                SQL(
                    "%s FILTER (WHERE %s)",
                    aggregate,
                    SQL.identifier(f"figure_{figure}"),
                )
            )

        # GROUPING() tells which set a row belongs to: one bit per expression,
        # set when the expression is not grouped in that row.
        groups = [SQL.identifier(f"group_{index}") for index in range(len(specs))]
        masks = {
            sum(
                1 << (len(specs) - 1 - index)
                for index, spec in enumerate(specs)
                if spec not in grouping
            ): (key, [specs.index(spec) for spec in grouping])
            for key, grouping in groupings.items()
        }
        grouping_sets = SQL(", ").join(
            SQL("(%s)", SQL(", ").join(groups[i] for i in positions))
            for _key, positions in masks.values()
        )
        rows = self.env.execute_query(
            SQL(
                "SELECT GROUPING(%s), %s, %s FROM (%s) AS figures "
                "GROUP BY GROUPING SETS (%s)",
                SQL(", ").join(groups),
                SQL(", ").join(groups),
                SQL(", ").join(aggregates),
                query.select(
                    *(
                        SQL("%s AS %s", sql, SQL.identifier(name))
                        for name, sql in inner.items()
                    )
                ),
                grouping_sets,
            )
        )

        for mask, *values in rows:
            key, positions = masks[mask]
            group = tuple(self._dashboard_group_value(values[i]) for i in positions)
            result[key][group] = dict(zip(measures, values[len(specs) :], strict=True))
        return result

    @staticmethod
    def _dashboard_group_value(value):
        """Plain group values: dates rather than the timestamps of date_trunc."""
        return value.date() if isinstance(value, datetime) else value

    @api.model
    def _dashboard_months(self, start, end):
        """First days of the months the period touches (a bounded number)."""
        months = []
        month = date_utils.start_of(start, "month")
        while month <= end and len(months) < MAX_FORECAST_MONTHS:
            months.append(month)
            month += relativedelta(months=1)
        return months

    @api.model
    def _dashboard_day_start(self, day):
        """Midnight starting ``day`` in the user's time zone, as stored (UTC)."""
        local = self.env.tz.localize(datetime.combine(day, time.min))
        return fields.Datetime.to_string(
            local.astimezone(pytz.utc).replace(tzinfo=None)
        )

    @api.model
    def _dashboard_round(self, value):
        """A sum from the database, in the company currency's digits.

        The summed amounts are stored rounded, so their sum only needs its
        floating-point noise removed.
        """
        return round(value or 0.0, self.env.company.currency_id.decimal_places)
