from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import html2plaintext

STATES = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]

# An all-day activity is a calendar day, kept in date fields that never pass
# through a time zone. Its date-times only place it in the calendar view, which
# reads their date part as is for all-day items; noon keeps that date part
# clear of any midnight rounding.
ALL_DAY_ANCHOR = time(12, 0)

NOTE_PREVIEW_LENGTH = 140

# The records an activity links to. A user may only link records they may read:
# the activity would show their names, and show on their timelines.
LINK_FIELDS = ("opportunity_id", "partner_ids", "company_partner_id")


def command_ids(value):
    """The ids of existing records a relational value names.

    ``value`` is a write value: an id, a record, or x2many commands. Records
    created by the commands are left out: the user makes them, with their
    rights.
    """
    if not value:
        return set()
    if isinstance(value, int):
        return {value}
    if isinstance(value, models.BaseModel):
        return set(value.ids)
    ids = set()
    for command in value:
        if isinstance(command, int):
            ids.add(command)
        elif command[0] == Command.SET:
            ids.update(command[2] or ())
        elif command[0] == Command.LINK:
            ids.add(command[1])
    return ids


class CorymbusActivity(models.Model):
    """An interaction with a customer: a call, a meeting, an e-mail, a note.

    An activity is planned, then done or cancelled; done activities stay in
    the history with everything they hold (notes, outcome, links, files). It
    is linked to contacts, a company and an opportunity, at least one of
    them, and shows on the timelines of all of them.

    Timelines list planned activities first, soonest first, then the others,
    newest first: the stored ``timeline_rank`` and ``timeline_key`` give that
    order to a single ``ORDER BY``.
    """

    _name = "corymbus.activity"
    _description = "Corymbus Activity"
    _inherit = ["mail.thread"]
    _order = "timeline_rank, timeline_key, id desc"

    def _default_type_id(self):
        return self.env.ref(
            "corymbus_crm.corymbus_activity_type_call", raise_if_not_found=False
        ) or self.env["corymbus.activity.type"].search([], limit=1)

    # Description
    name = fields.Char(
        "Subject",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    type_id = fields.Many2one(
        "corymbus.activity.type",
        string="Type",
        required=True,
        default=lambda self: self._default_type_id(),
        ondelete="restrict",
        index=True,
        tracking=True,
    )
    icon = fields.Char(related="type_id.icon")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    state = fields.Selection(
        STATES, default="planned", required=True, tracking=True, copy=False
    )

    # When
    is_all_day = fields.Boolean("All Day")
    date_start = fields.Datetime(
        "Start",
        compute="_compute_date_start",
        store=True,
        readonly=False,
        precompute=True,
    )
    duration = fields.Float(
        compute="_compute_duration",
        store=True,
        readonly=False,
        help="Length in hours.",
    )
    date_stop = fields.Datetime(
        "End", compute="_compute_date_stop", store=True, readonly=False
    )
    all_day_start = fields.Date(
        "Day", default=fields.Date.context_today, help="First day, all-day only."
    )
    all_day_stop = fields.Date(
        "Last Day",
        compute="_compute_all_day_stop",
        store=True,
        readonly=False,
        help="Last day (included), all-day only.",
    )
    date_sort = fields.Datetime(
        "Date", compute="_compute_date_sort", store=True, index=True
    )
    date_day = fields.Date(
        "Day of Activity",
        compute="_compute_date_day",
        store=True,
        index=True,
        help="The calendar day of the activity: its day when all-day, else the "
        "day of its start in the owner's time zone.",
    )
    is_overdue = fields.Boolean(
        "Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Planned and past due.",
    )

    # Completion
    date_done = fields.Datetime("Done On", readonly=True, copy=False)
    done_user_id = fields.Many2one(
        "res.users", string="Done By", readonly=True, copy=False
    )
    outcome = fields.Text(copy=False)

    # Content
    note = fields.Html("Notes")
    note_preview = fields.Char("Notes Preview", compute="_compute_note_preview")
    attachment_summary = fields.Char("Attached", compute="_compute_attachment_summary")
    attachment_ids = fields.One2many(
        "ir.attachment",
        "res_id",
        string="Files and Links",
        context={"default_res_model": "corymbus.activity"},
    )

    # Links
    partner_ids = fields.Many2many(
        "res.partner",
        "corymbus_activity_res_partner_rel",
        "activity_id",
        "partner_id",
        string="Contacts",
        domain=[("is_company", "=", False)],
    )
    company_partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_company_partner_id",
        store=True,
        readonly=False,
        domain=[("is_company", "=", True)],
        index="btree_not_null",
        tracking=True,
    )
    opportunity_id = fields.Many2one(
        "corymbus.opportunity",
        string="Opportunity",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
    )
    opportunity_stage_id = fields.Many2one(
        related="opportunity_id.stage_id", string="Opportunity Stage"
    )

    # Timeline order
    timeline_rank = fields.Integer(compute="_compute_timeline", store=True)
    timeline_key = fields.Float(compute="_compute_timeline", store=True)

    @api.depends("type_id")
    def _compute_name(self):
        # A new activity is named after its type until the user names it.
        for activity in self:
            activity.name = activity.name or activity.type_id.name

    @api.depends("is_all_day", "all_day_start")
    def _compute_date_start(self):
        for activity in self:
            if activity.is_all_day and activity.all_day_start:
                activity.date_start = datetime.combine(
                    activity.all_day_start, ALL_DAY_ANCHOR
                )
            else:
                activity.date_start = activity.date_start or fields.Datetime.now()

    @api.depends("type_id")
    def _compute_duration(self):
        for activity in self:
            activity.duration = activity.type_id.default_duration

    @api.depends("date_start", "duration", "is_all_day", "all_day_stop")
    def _compute_date_stop(self):
        for activity in self:
            if activity.is_all_day and activity.all_day_stop:
                activity.date_stop = datetime.combine(
                    activity.all_day_stop, ALL_DAY_ANCHOR
                )
            elif activity.date_start:
                activity.date_stop = activity.date_start + timedelta(
                    hours=activity.duration or 0.0
                )
            else:
                activity.date_stop = False

    @api.depends("all_day_start")
    def _compute_all_day_stop(self):
        for activity in self:
            if not activity.all_day_stop or (
                activity.all_day_start
                and activity.all_day_stop < activity.all_day_start
            ):
                activity.all_day_stop = activity.all_day_start

    @api.depends("is_all_day", "all_day_start", "date_start")
    def _compute_date_sort(self):
        for activity in self:
            if activity.is_all_day and activity.all_day_start:
                activity.date_sort = datetime.combine(activity.all_day_start, time.min)
            else:
                activity.date_sort = activity.date_start

    @api.depends("is_all_day", "all_day_start", "date_start", "user_id.tz")
    def _compute_date_day(self):
        for activity in self:
            if activity.is_all_day:
                activity.date_day = activity.all_day_start
            elif activity.date_start:
                activity.date_day = fields.Datetime.context_timestamp(
                    activity.with_context(tz=activity.user_id.tz or "UTC"),
                    activity.date_start,
                ).date()
            else:
                activity.date_day = False

    @api.depends_context("tz")
    @api.depends("state", "is_all_day", "all_day_stop", "date_stop")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        for activity in self:
            if activity.state != "planned":
                activity.is_overdue = False
            elif activity.is_all_day:
                activity.is_overdue = bool(
                    activity.all_day_stop and activity.all_day_stop < today
                )
            else:
                activity.is_overdue = bool(
                    activity.date_stop and activity.date_stop < now
                )

    def _search_is_overdue(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        overdue = self._overdue_domain()
        wanted = True in value
        if operator == "not in":
            wanted = not wanted
        return overdue if wanted else ~overdue

    @api.depends("note")
    def _compute_note_preview(self):
        for activity in self:
            text = " ".join(html2plaintext(activity.note or "").split())
            if len(text) > NOTE_PREVIEW_LENGTH:
                text = text[: NOTE_PREVIEW_LENGTH - 1].rstrip() + "…"
            activity.note_preview = text

    @api.depends("attachment_ids.name", "attachment_ids.url")
    def _compute_attachment_summary(self):
        for activity in self:
            labels = []
            for attachment in activity.attachment_ids:
                site = attachment.corymbus_url_site
                labels.append(
                    f"{attachment.name} ({site})" if site else attachment.name
                )
            activity.attachment_summary = ", ".join(labels)

    @api.depends("partner_ids", "opportunity_id")
    def _compute_company_partner_id(self):
        # Fill an empty company only: a company chosen by hand stays.
        for activity in self:
            if activity.company_partner_id:
                continue
            company = activity.opportunity_id.partner_id.commercial_partner_id
            if not company:
                companies = activity.partner_ids.commercial_partner_id.filtered(
                    "is_company"
                )
                company = companies[:1]
            activity.company_partner_id = company

    @api.depends("state", "date_sort")
    def _compute_timeline(self):
        for activity in self:
            stamp = activity.date_sort.timestamp() if activity.date_sort else 0.0
            if activity.state == "planned":
                activity.timeline_rank = 0
                activity.timeline_key = stamp
            else:
                activity.timeline_rank = 1
                activity.timeline_key = -stamp

    @api.constrains("type_id", "partner_ids", "company_partner_id", "opportunity_id")
    def _check_links(self):
        for activity in self:
            if not (
                activity.partner_ids
                or activity.company_partner_id
                or activity.opportunity_id
            ):
                raise ValidationError(
                    self.env._(
                        "Link the activity “%(name)s” to a contact, a company or "
                        "an opportunity.",
                        name=activity.name,
                    )
                )

    @api.constrains("is_all_day", "all_day_start", "all_day_stop")
    def _check_all_day_span(self):
        for activity in self.filtered("is_all_day"):
            if not activity.all_day_start:
                raise ValidationError(self.env._("An all-day activity needs its day."))
            if activity.all_day_stop and activity.all_day_stop < activity.all_day_start:
                raise ValidationError(
                    self.env._("An all-day activity cannot end before it starts.")
                )

    @api.constrains("duration", "date_start", "date_stop")
    def _check_duration(self):
        if any(activity.duration < 0 for activity in self):
            raise ValidationError(self.env._("A duration cannot be negative."))
        for activity in self.filtered(lambda a: not a.is_all_day):
            if (
                activity.date_start
                and activity.date_stop
                and activity.date_stop < activity.date_start
            ):
                raise ValidationError(
                    self.env._("An activity cannot end before it starts.")
                )

    @api.model
    def default_get(self, fields):
        # A note is written after the fact: it is created done.
        values = super().default_get(fields)
        if self.env.context.get("corymbus_activity_is_done") and "state" in fields:
            values["state"] = "done"
        return values

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state") == "done":
                vals.setdefault("date_done", fields.Datetime.now())
                vals.setdefault("done_user_id", self.env.uid)
            self._sync_all_day_from_dates(vals, vals.get("is_all_day"))
        for vals in vals_list:
            self._check_link_access(vals)
        return super().create(vals_list)

    def write(self, vals):
        is_all_day = vals.get("is_all_day")
        if is_all_day is None and self:
            is_all_day = all(self.mapped("is_all_day"))
        self._sync_all_day_from_dates(vals, is_all_day)
        self._check_link_access(vals)
        return super().write(vals)

    def action_open(self):
        """Open the activity's own form (from a timeline row)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_mark_done(self):
        """Ask for the outcome and offer to plan the next activity."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mark Done"),
            "res_model": "corymbus.activity.done",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_activity_id": self.id},
        }

    def action_done(self, outcome=None):
        """Mark the activities done and keep all they hold.

        Nothing is removed: notes, outcome, links and files stay on the
        activity, which remains in the history with its done date and who
        completed it.
        """
        values = {
            "state": "done",
            "date_done": fields.Datetime.now(),
            "done_user_id": self.env.uid,
        }
        if outcome is not None:
            values["outcome"] = outcome
        self.filtered(lambda activity: activity.state != "done").write(values)
        return True

    def action_cancel(self):
        """Cancel planned activities; they stay in the history."""
        self.filtered(lambda activity: activity.state == "planned").write(
            {"state": "cancelled"}
        )
        return True

    def action_reset_to_planned(self):
        """Plan a done or cancelled activity again."""
        self.write({"state": "planned", "date_done": False, "done_user_id": False})
        return True

    def _check_link_access(self, vals):
        """Refuse links to records the user may not read.

        Only the records that ``vals`` newly links are checked: keeping a
        link someone else made is allowed. The error names neither the
        records nor what the user may not read of them.
        """
        if self.env.su:
            return
        for name in LINK_FIELDS:
            if name not in vals:
                continue
            # sudo: the current links are compared, not shown.
            linked = set(self.sudo()[name].ids)
            added = (
                self.env[self._fields[name].comodel_name]
                .browse(command_ids(vals[name]) - linked)
                .exists()
            )
            if added and not added.has_access("read"):
                raise AccessError(self._link_access_message(name))

    def _link_access_message(self, field_name):
        if field_name == "opportunity_id":
            return self.env._(
                "You can only link an activity to an opportunity you may read."
            )
        if field_name == "company_partner_id":
            return self.env._(
                "You can only link an activity to a company you may read."
            )
        return self.env._("You can only link an activity to contacts you may read.")

    @api.model
    def _sync_all_day_from_dates(self, vals, is_all_day):
        """Keep the days of an all-day activity when its date-times are set.

        The calendar view moves an all-day item by writing its day as the
        date part of the date-times; that date part is taken as is, with no
        time-zone conversion.
        """
        if not is_all_day:
            return
        for source, target in (
            ("date_start", "all_day_start"),
            ("date_stop", "all_day_stop"),
        ):
            if vals.get(source) and target not in vals:
                vals[target] = fields.Datetime.to_datetime(vals[source]).date()

    @api.model
    def _overdue_domain(self):
        """Planned activities past due: timed ones past their end, all-day
        ones past their last day in the user's calendar.
        """
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        return Domain("state", "=", "planned") & (
            (Domain("is_all_day", "=", False) & Domain("date_stop", "<", now))
            | (Domain("is_all_day", "=", True) & Domain("all_day_stop", "<", today))
        )

    @api.model
    def _corymbus_linked_domain(self, partners=None, opportunities=None):
        """Domain of the activities shown on these partners and opportunities.

        An activity shows on each contact and company it is linked to, and on
        the opportunities it belongs to; a partner also shows the activities
        of the opportunities it is the customer or a contact of. The caller
        gives the partners already widened (e.g. a company with its people).
        Relations are followed by ids only.
        """
        partners = partners or self.env["res.partner"]
        opportunities = opportunities or self.env["corymbus.opportunity"]
        domain = Domain.FALSE
        if partners:
            # sudo: only ids are collected here; the activities themselves
            # are then searched with the user's rights.
            opportunities |= (
                self.env["corymbus.opportunity"]
                .sudo()
                .with_context(active_test=False)
                .search(
                    Domain("partner_id", "in", partners.ids)
                    | Domain("contact_line_ids.partner_id", "in", partners.ids)
                )
            )
            domain |= Domain("partner_ids", "in", partners.ids)
            domain |= Domain("company_partner_id", "in", partners.ids)
        if opportunities:
            domain |= Domain("opportunity_id", "in", opportunities.ids)
        return domain

    @api.model
    def _corymbus_linked_to(self, partners=None, opportunities=None):
        """The activities shown on these partners and opportunities, within
        the user's rights (see ``_corymbus_linked_domain``).
        """
        return self.search(
            self._corymbus_linked_domain(partners=partners, opportunities=opportunities)
        )

    @api.model
    def _prepare_default_values(self, type_xmlid, **links):
        """Context defaults of a new activity of a type, with its links."""
        activity_type = self.env.ref(type_xmlid, raise_if_not_found=False)
        context = {f"default_{key}": value for key, value in links.items()}
        if activity_type:
            context["default_type_id"] = activity_type.id
        return context

    @api.model
    def _action_new(self, type_xmlid, title, **links):
        """The dialog of a new activity of a type, its links filled in.

        A note records what happened: it starts done.
        """
        context = self._prepare_default_values(type_xmlid, **links)
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
