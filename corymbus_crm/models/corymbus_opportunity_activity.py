from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

# Key of the read_progress_bar answer holding, per column, the opportunities
# without a planned activity. Column keys are ids, dates or "False": no clash.
NO_PLANNED_ACTIVITY_KEY = "__no_planned_activity"


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
    next_activity_icon = fields.Char(
        "Icon",
        compute="_compute_next_activity_card",
        help="Font Awesome class shown beside the activity, e.g. fa-phone.",
    )
    is_next_activity_overdue = fields.Boolean(
        "Next Activity Overdue", compute="_compute_next_activity_card"
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
    @api.depends("next_activity_id.type_id.icon")
    def _compute_next_activity_card(self):
        # Every card of the pipeline shows both: one query over the next
        # activities, with the activity's own overdue rule, rather than
        # loading each activity and its type; the values go to the cache at
        # once. sudo: whoever sees the deal sees how its next step looks.
        saved = self.browse(id_ for id_ in self._ids if isinstance(id_, int))
        flags = saved._next_activity_flags()
        values = [flags.get(id_, (False, False)) for id_ in saved._ids]
        self._fields["next_activity_icon"]._insert_cache(
            saved, [icon for icon, _overdue in values]
        )
        self._fields["is_next_activity_overdue"]._insert_cache(
            saved, [overdue for _icon, overdue in values]
        )
        for opportunity in self - saved:
            activity = opportunity.next_activity_id.sudo()
            opportunity.next_activity_icon = activity.type_id.icon or False
            opportunity.is_next_activity_overdue = activity.is_overdue

    def _next_activity_flags(self):
        """The icon and the overdue flag of the opportunities' next activity.

        :return: ``{opportunity id: (icon, overdue)}``, for those with one
        """
        next_ids = {
            opportunity.id: activity_id
            for opportunity in self
            if (activity_id := opportunity.next_activity_id.id)
        }
        if not next_ids:
            return {}
        Activity = self.env["corymbus.activity"].sudo().with_context(active_test=False)
        Type = self.env["corymbus.activity.type"]
        Type.flush_model(["icon"])
        query = Activity._search([("id", "in", list(set(next_ids.values())))])
        overdue = (
            Activity._overdue_domain()
            .optimize_full(Activity)
            ._to_sql(Activity, Activity._table, query)
        )
        rows = self.env.execute_query(
            query.select(
                SQL.identifier(Activity._table, "id"),
                SQL(
                    "(SELECT icon FROM %s WHERE id = %s)",
                    SQL.identifier(Type._table),
                    Activity._field_to_sql(Activity._table, "type_id", query),
                ),
                SQL("COALESCE(%s, FALSE)", overdue),
            )
        )
        flags = {id_: (icon or False, is_overdue) for id_, icon, is_overdue in rows}
        return {
            opportunity_id: flags.get(activity_id, (False, False))
            for opportunity_id, activity_id in next_ids.items()
        }

    @api.model
    def _no_planned_activity_domain(self):
        """Domain of the open opportunities with nothing planned next.

        Won and lost deals need no next step, so they are left out.
        """
        return (
            Domain("next_activity_id", "=", False)
            & Domain("is_won", "=", False)
            & Domain("is_lost", "=", False)
        )

    @api.model
    def read_progress_bar(self, domain, group_by, progress_bar):
        """Add the pipeline columns' opportunities without a planned activity.

        The column header shows how many there are and, once the user filters
        the column to them, their totals. They travel with the progress bar so
        that they refresh whenever it does, counted in the progress bar's own
        pass over the records (see ``_progress_bar_column_figures``). Columns
        where every opportunity has something planned are left out.
        """
        result = super().read_progress_bar(domain, group_by, progress_bar)
        if NO_PLANNED_ACTIVITY_KEY in result:
            result[NO_PLANNED_ACTIVITY_KEY] = {
                column: totals
                for column, totals in result[NO_PLANNED_ACTIVITY_KEY].items()
                if totals["count"]
            }
        return result

    @api.model
    def _progress_bar_column_figures(self, query):
        figures = super()._progress_bar_column_figures(query)
        idle = (
            self._no_planned_activity_domain()
            .optimize_full(self)
            ._to_sql(self, self._table, query)
        )
        figures[NO_PLANNED_ACTIVITY_KEY] = {
            "count": SQL("COUNT(*) FILTER (WHERE %s)", idle),
            **{
                name: SQL(
                    "SUM(%s) FILTER (WHERE %s)",
                    self._field_to_sql(self._table, name, query),
                    idle,
                )
                for name in ("amount_company", "weighted_amount_company")
            },
        }
        return figures

    def _open_new_activity(self, type_xmlid, title):
        self.ensure_one()
        return self.env["corymbus.activity"]._action_new(
            type_xmlid,
            title,
            opportunity_id=self.id,
            company_partner_id=self.partner_id.commercial_partner_id.id,
            partner_ids=self.contact_ids.ids,
        )

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
