from datetime import date, datetime, time, timedelta

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

    The aggregates are SQL built from the ORM's own query (``_search``), so the
    record rules and the archived filter are those of a normal search, and the
    condition of each figure is the SQL of its domain. Totals add up the stored
    per-record amounts converted to the company currency, never an amount
    times an averaged probability. The number of queries does not depend on
    the number of records.
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
        :return: a dict of figures; each figure holds its ``domain``
        """
        start, end = self._dashboard_period(period, date_from, date_to)
        base = self._dashboard_scope_domain(scope, user_id)
        currency = self.env.company.currency_id
        stalled_days = self._dashboard_stalled_days()

        domains = self._dashboard_domains(start, end, stalled_days)
        totals, by_stage, forecast = self._dashboard_opportunity_figures(
            base, domains, start, end
        )

        return {
            "period": {
                "key": period,
                "date_from": fields.Date.to_string(start),
                "date_to": fields.Date.to_string(end),
            },
            "scope": {
                "key": scope,
                "user_id": self._dashboard_scope_user(scope, user_id),
            },
            "currency_id": currency.id,
            "stalled_days": stalled_days,
            "can_choose_salesperson": self.env.user.has_group(
                "corymbus_crm.group_corymbus_user_all"
            ),
            "salespeople": self._dashboard_salespeople() if with_salespeople else None,
            "figures": self._dashboard_tiles(base, domains, totals, currency),
            "by_stage": by_stage,
            "forecast": forecast,
            "top": self._dashboard_top(base & domains["open"], currency),
            "activities": self._dashboard_activities(scope, user_id, start, end),
        }

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
            return date_utils.start_of(today, "month"), date_utils.end_of(
                today, "month"
            )
        if period == "quarter":
            return date_utils.get_quarter(today)
        if period == "year":
            return date_utils.start_of(today, "year"), date_utils.end_of(today, "year")

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
    def _dashboard_scope_domain(self, scope, user_id):
        """Opportunities of the scope, in the company the user works in.

        Amounts are added up in the company currency, so the dashboard covers
        one company at a time; record rules restrict it further.
        """
        domain = Domain("company_id", "=", self.env.company.id)
        scope_user = self._dashboard_scope_user(scope, user_id)
        if scope_user:
            domain &= Domain("user_id", "=", scope_user)
        return domain

    @api.model
    def _dashboard_stalled_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("corymbus_crm.stalled_days", DEFAULT_STALLED_DAYS)
        )
        try:
            days = int(value)
        except (TypeError, ValueError):
            days = DEFAULT_STALLED_DAYS
        return max(days, 1)

    @api.model
    def _dashboard_domains(self, start, end, stalled_days):
        """Domain of the records behind each figure, scope not included."""
        start_str = fields.Date.to_string(start)
        end_str = fields.Date.to_string(end)
        is_open = Domain("is_won", "=", False) & Domain("is_lost", "=", False)
        won = (
            Domain("is_won", "=", True)
            & Domain("date_won", ">=", start_str)
            & Domain("date_won", "<=", end_str)
        )
        lost = (
            Domain("is_lost", "=", True)
            & Domain("date_lost", ">=", start_str)
            & Domain("date_lost", "<=", end_str)
        )
        domains = {
            "open": is_open,
            "won": won,
            "lost": lost,
            "closed": won | lost,
            "forecast": is_open
            & Domain("date_deadline", ">=", start_str)
            & Domain("date_deadline", "<=", end_str),
        }
        stalled = self._dashboard_stalled_domain(stalled_days)
        if stalled is not None:
            domains["stalled"] = is_open & stalled
        return domains

    @api.model
    def _dashboard_stalled_domain(self, stalled_days):
        """Opportunities nobody worked on for ``stalled_days``; None without
        activities to tell."""
        return None

    # ------------------------------------------------------------------
    # Opportunity aggregates
    # ------------------------------------------------------------------

    @api.model
    def _dashboard_opportunity_figures(self, base, domains, start, end):
        """Totals, pipeline by stage and forecast by month in one query.

        One pass over the opportunities of the scope: each figure is an
        aggregate filtered by the SQL of its domain, and GROUPING SETS give the
        overall row, the rows per stage and the rows per closing month at once.
        """
        Opportunity = self.env["corymbus.opportunity"]
        stages = self.env["corymbus.stage"].search_fetch(
            [("is_won", "=", False), ("is_lost", "=", False)], ["name"]
        )
        totals = dict.fromkeys(self._dashboard_measures(), 0)
        per_stage = {}
        per_month = {}

        query = Opportunity._search(base)
        if not query.is_empty():
            table = Opportunity._table
            conditions = {
                key: domain.optimize_full(Opportunity)._to_sql(
                    Opportunity, table, query
                )
                for key, domain in domains.items()
            }
            column = {
                name: Opportunity._field_to_sql(table, name, query)
                for name in (
                    "stage_id",
                    "date_deadline",
                    "amount_company",
                    "weighted_amount_company",
                    "date_won",
                    "create_date",
                )
            }
            month = SQL("date_trunc('month', %s)::date", column["date_deadline"])
            cycle = SQL(
                "%s - (%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date",
                column["date_won"],
                column["create_date"],
                self.env.tz.zone,
            )
            measures = self._dashboard_measures(conditions, column, cycle)
            query.groupby = SQL(
                "GROUPING SETS ((), (%s), (%s))", column["stage_id"], month
            )
            rows = self.env.execute_query(
                query.select(
                    SQL("GROUPING(%s, %s)", column["stage_id"], month),
                    column["stage_id"],
                    month,
                    *measures.values(),
                )
            )
            for grouping, stage_id, month_start, *values in rows:
                measured = dict(zip(measures, values))
                if grouping == 3:
                    totals = measured
                elif grouping == 1:
                    per_stage[stage_id] = measured
                elif month_start is not None:
                    per_month[month_start] = measured

        digits = self.env.company.currency_id.decimal_places
        by_stage = [
            {
                "stage_id": stage.id,
                "name": stage.name,
                "count": per_stage.get(stage.id, {}).get("open_count", 0),
                "amount": round(
                    per_stage.get(stage.id, {}).get("open_amount") or 0.0,
                    digits,
                ),
                "weighted": round(
                    per_stage.get(stage.id, {}).get("open_weighted") or 0.0,
                    digits,
                ),
                "domain": list(
                    base & domains["open"] & Domain("stage_id", "=", stage.id)
                ),
            }
            for stage in stages
        ]
        forecast = []
        for month_start in self._dashboard_months(start, end):
            month_from = max(month_start, start)
            month_to = min(date_utils.end_of(month_start, "month"), end)
            measured = per_month.get(month_start, {})
            forecast.append(
                {
                    "month": fields.Date.to_string(month_start),
                    "count": measured.get("forecast_count", 0),
                    "amount": round(measured.get("forecast_amount") or 0.0, digits),
                    "weighted": round(measured.get("forecast_weighted") or 0.0, digits),
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
        return totals, by_stage, forecast

    @api.model
    def _dashboard_measures(self, conditions=None, column=None, cycle=None):
        """The aggregates of the main query, by name.

        Without arguments, only the names matter (to build empty totals).
        """
        names = [
            ("open_count", "count", "open", None),
            ("open_amount", "sum", "open", "amount_company"),
            ("open_weighted", "sum", "open", "weighted_amount_company"),
            ("won_count", "count", "won", None),
            ("won_amount", "sum", "won", "amount_company"),
            ("won_cycle", "avg", "won", "cycle"),
            ("lost_count", "count", "lost", None),
            ("lost_amount", "sum", "lost", "amount_company"),
            ("forecast_count", "count", "forecast", None),
            ("forecast_amount", "sum", "forecast", "amount_company"),
            ("forecast_weighted", "sum", "forecast", "weighted_amount_company"),
            ("stalled_count", "count", "stalled", None),
            ("stalled_amount", "sum", "stalled", "amount_company"),
            ("stalled_weighted", "sum", "stalled", "weighted_amount_company"),
        ]
        if conditions is None:
            return [name for name, _func, key, _column in names]

        measures = {}
        for name, func, key, column_name in names:
            if key not in conditions:
                measures[name] = SQL("NULL")
                continue
            condition = conditions[key]
            if func == "count":
                measures[name] = SQL("COUNT(*) FILTER (WHERE %s)", condition)
                continue
            value = cycle if column_name == "cycle" else column[column_name]
            aggregate = SQL("SUM") if func == "sum" else SQL("AVG")
            measures[name] = SQL(
                "%s(%s) FILTER (WHERE %s)", aggregate, value, condition
            )
        return measures

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
    def _dashboard_tiles(self, base, domains, totals, currency):
        """The headline figures, each with the domain of its records."""
        won_count = totals.get("won_count") or 0
        lost_count = totals.get("lost_count") or 0
        won_amount = currency.round(totals.get("won_amount") or 0.0)
        closed_count = won_count + lost_count
        cycle = totals.get("won_cycle")

        tiles = {
            "open": {
                "count": totals.get("open_count") or 0,
                "amount": currency.round(totals.get("open_amount") or 0.0),
                "weighted": currency.round(totals.get("open_weighted") or 0.0),
                "domain": list(base & domains["open"]),
            },
            "won": {
                "count": won_count,
                "amount": won_amount,
                "domain": list(base & domains["won"]),
            },
            "lost": {
                "count": lost_count,
                "amount": currency.round(totals.get("lost_amount") or 0.0),
                "domain": list(base & domains["lost"]),
            },
            "win_rate": {
                "count": closed_count,
                "value": round(100.0 * won_count / closed_count, 2)
                if closed_count
                else False,
                "domain": list(base & domains["closed"]),
            },
            "average_won": {
                "count": won_count,
                "value": currency.round(won_amount / won_count) if won_count else False,
                "domain": list(base & domains["won"]),
            },
            "sales_cycle": {
                "count": won_count,
                "value": round(float(cycle), 2) if cycle is not None else False,
                "domain": list(base & domains["won"]),
            },
        }
        if "stalled" in domains:
            tiles["stalled"] = {
                "count": totals.get("stalled_count") or 0,
                "amount": currency.round(totals.get("stalled_amount") or 0.0),
                "weighted": currency.round(totals.get("stalled_weighted") or 0.0),
                "domain": list(base & domains["stalled"]),
            }
        return tiles

    @api.model
    def _dashboard_top(self, domain, currency):
        """The open opportunities weighing most, heaviest first."""
        top = self.env["corymbus.opportunity"].search_fetch(
            domain,
            ["name", "partner_id", "user_id", "stage_id", "amount_company"]
            + ["weighted_amount_company", "date_deadline"],
            order="weighted_amount_company desc, id",
            limit=TOP_LIMIT,
        )

        # Only the names are shown: fetch them alone, not whole partner rows.
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
        users = self.env["res.users"].search_fetch(
            [
                ("share", "=", False),
                (
                    "all_group_ids",
                    "in",
                    self.env.ref("corymbus_crm.group_corymbus_user").ids,
                ),
            ],
            ["name"],
            order="name, id",
        )
        return [{"id": user.id, "name": user.name} for user in users]

    # ------------------------------------------------------------------
    # Activities
    # ------------------------------------------------------------------

    @api.model
    def _dashboard_activities(self, scope, user_id, start, end):
        """Activities done, planned and overdue, by type and by owner."""
        return None
