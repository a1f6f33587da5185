from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command, Domain
from odoo.tools import plaintext2html

from .corymbus_prospecting_session_line import CALL_OUTCOMES

CALL_TYPE_XMLID = "corymbus_crm.corymbus_activity_type_call"
LAST_ACTIVITY_LIMIT = 10


class CorymbusProspectingSession(models.Model):
    """Calling the members of a contact group one at a time.

    Starting a session takes the group's members as they are at that moment;
    the session then shows one contact with their company, open
    opportunities, last activities and notes. Logging a call or skipping
    moves to the next contact; the session keeps its place, so a salesperson
    can leave it and resume later where they stopped.

    Calls and follow-ups are Corymbus activities: a logged call is a done
    activity of type Call, a planned follow-up a planned activity, both
    linked to the contact, their company and the opportunity talked about,
    so they show on the same timelines and dashboard as any other activity.
    """

    _name = "corymbus.prospecting.session"
    _description = "Corymbus Prospecting Session"
    _order = "state_sequence, write_date desc, id desc"

    # Identity
    name = fields.Char(compute="_compute_name", store=True, readonly=False)
    group_id = fields.Many2one(
        "corymbus.contact.group", string="Contact Group", required=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("draft", "Not Started"), ("running", "In Progress"), ("done", "Done")],
        required=True,
        default="draft",
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)

    # Progress
    line_ids = fields.One2many(
        "corymbus.prospecting.session.line", "session_id", string="Contacts"
    )
    current_line_id = fields.Many2one(
        "corymbus.prospecting.session.line", string="Current Line", readonly=True
    )
    total_count = fields.Integer("Contacts to Call", compute="_compute_progress")
    done_count = fields.Integer("Handled", compute="_compute_progress")
    position = fields.Integer(compute="_compute_progress")
    progress_label = fields.Char("Progress", compute="_compute_progress")
    progress_percent = fields.Float(compute="_compute_progress")

    # Current contact
    partner_id = fields.Many2one(related="current_line_id.partner_id", string="Contact")
    partner_function = fields.Char(related="partner_id.function")
    partner_phone = fields.Char(related="partner_id.phone")
    partner_email = fields.Char(related="partner_id.email")
    partner_company_id = fields.Many2one(
        "res.partner",
        string="Contact's Company",
        compute="_compute_partner_context",
    )
    partner_comment = fields.Html(related="partner_id.comment", string="Notes")
    opportunity_ids = fields.Many2many(
        "corymbus.opportunity",
        string="Open Opportunities",
        compute="_compute_partner_context",
    )
    last_activity_ids = fields.Many2many(
        "corymbus.activity",
        string="Last Activities",
        compute="_compute_partner_context",
    )

    # Call being logged
    call_outcome = fields.Selection(CALL_OUTCOMES, "Outcome")
    call_note = fields.Text("What Was Said")
    call_opportunity_id = fields.Many2one(
        "corymbus.opportunity",
        string="About the Opportunity",
        compute="_compute_call_opportunity_id",
        store=True,
        readonly=False,
        domain="[('id', 'in', opportunity_ids)]",
        help="The logged call and the planned activity are linked to it. "
        "Filled in when the contact has a single open opportunity.",
    )
    next_type_id = fields.Many2one(
        "corymbus.activity.type",
        string="Next Activity Type",
        default=lambda self: self.env.ref(CALL_TYPE_XMLID, raise_if_not_found=False),
    )
    next_date = fields.Date("Next Activity On")
    next_summary = fields.Char("Next Activity")

    @api.depends("group_id")
    def _compute_name(self):
        for session in self:
            if not session.name and session.group_id:
                session.name = self.env._(
                    "%(group)s, %(date)s",
                    group=session.group_id.name,
                    date=fields.Date.to_string(fields.Date.context_today(self)),
                )

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"running": 0, "draft": 1, "done": 2}
        for session in self:
            session.state_sequence = order.get(session.state, 3)

    @api.depends("line_ids.state", "state")
    def _compute_progress(self):
        for session in self:
            total = len(session.line_ids)
            done = len(session.line_ids.filtered(lambda line: line.state != "pending"))
            position = done if session.state == "done" else min(done + 1, total)
            session.total_count = total
            session.done_count = done
            session.position = position
            session.progress_label = self.env._(
                "%(position)s of %(total)s", position=position, total=total
            )
            session.progress_percent = 100.0 * done / total if total else 0.0

    @api.depends("current_line_id")
    def _compute_partner_context(self):
        for session in self:
            partner = session.partner_id
            company = partner if partner.is_company else partner.parent_id
            session.partner_company_id = company
            if not partner:
                session.opportunity_ids = False
                session.last_activity_ids = False
                continue
            session.opportunity_ids = session._open_opportunities()
            session.last_activity_ids = self.env["corymbus.activity"].search(
                partner._corymbus_timeline_domain(), limit=LAST_ACTIVITY_LIMIT
            )

    @api.depends("current_line_id")
    def _compute_call_opportunity_id(self):
        # Only an obvious choice is made for the salesperson: the contact's
        # single open opportunity.
        for session in self:
            opportunities = session._open_opportunities()
            session.call_opportunity_id = (
                opportunities if len(opportunities) == 1 else False
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_client_links(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_client_links(vals)
        return super().write(vals)

    def _check_client_links(self, vals):
        """Refuse what the client may not point a session at.

        A session shows only its own contact lines, and a call is logged
        about an opportunity the user may read. The messages name nothing.
        """
        if self.env.su:
            return
        if vals.get("current_line_id"):
            # sudo: the line's session is compared, not shown.
            line = self.env["corymbus.prospecting.session.line"].sudo()
            line = line.browse(vals["current_line_id"])
            if not self or any(session != line.session_id for session in self):
                raise AccessError(
                    self.env._("A session can only show one of its own contacts.")
                )
        if vals.get("call_opportunity_id"):
            opportunity = self.env["corymbus.opportunity"].browse(
                vals["call_opportunity_id"]
            )
            if not opportunity.has_access("read"):
                raise AccessError(
                    self.env._(
                        "You can only log a call about an opportunity you may read."
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_start(self):
        """Take the group's members as they are now and show the first one."""
        for session in self:
            if session.state != "draft":
                continue
            members = self.env["res.partner"].search(
                session.group_id._get_member_domain(), order="name, id"
            )
            if not members:
                raise UserError(
                    self.env._(
                        "The group “%(group)s” has no member to call.",
                        group=session.group_id.name,
                    )
                )
            session.write(
                {
                    "state": "running",
                    "line_ids": [
                        Command.create({"partner_id": partner.id, "sequence": index})
                        for index, partner in enumerate(members)
                    ],
                }
            )
            session._move_to_next()
        return True

    def action_resume(self):
        """Reopen the session on the contact where it stopped."""
        self.ensure_one()
        if self.state == "draft":
            self.action_start()
        return self._action_open()

    def action_leave(self):
        """Leave the session; it keeps its place for later."""
        return self.env["ir.actions.act_window"]._for_xml_id(
            "corymbus_crm.corymbus_prospecting_session_action"
        )

    def action_log_call(self):
        """Record the call with its outcome and move to the next contact."""
        self.ensure_one()
        line = self._current_line()
        if not self.call_outcome:
            raise UserError(self.env._("Choose how the call went before logging it."))

        outcome = dict(self._fields["call_outcome"]._description_selection(self.env))[
            self.call_outcome
        ]
        self.env["corymbus.activity"].create(
            {
                **self._prepare_activity_links(line.partner_id),
                "type_id": self._call_type().id,
                "name": self.env._("Call: %(outcome)s", outcome=outcome),
                "state": "done",
                "outcome": outcome,
                "note": plaintext2html(self.call_note) if self.call_note else False,
            }
        )
        line.write(
            {
                "state": "called",
                "outcome": self.call_outcome,
                "note": self.call_note,
                "date_done": fields.Datetime.now(),
            }
        )
        self._move_to_next()
        return True

    def action_plan_next(self):
        """Plan the next activity with the current contact, on a day.

        The activity is planned for the whole day chosen, in the salesperson's
        name, with the links a logged call would have.
        """
        self.ensure_one()
        line = self._current_line()
        if not self.next_date:
            raise UserError(self.env._("Choose the date of the next activity."))

        activity_type = self.next_type_id or self._call_type()
        self.env["corymbus.activity"].create(
            {
                **self._prepare_activity_links(line.partner_id),
                "type_id": activity_type.id,
                "name": self.next_summary or activity_type.name,
                "state": "planned",
                "is_all_day": True,
                "all_day_start": self.next_date,
            }
        )
        self.write({"next_date": False, "next_summary": False})
        return True

    def action_create_opportunity(self):
        """Create an opportunity with the current contact and open it."""
        self.ensure_one()
        partner = self._current_line().partner_id
        company = partner if partner.is_company else partner.parent_id
        values = {
            "name": self.env._("Opportunity with %(name)s", name=partner.name),
            "partner_id": company.id or False,
            "user_id": self.env.uid,
        }
        if not partner.is_company:
            values["contact_line_ids"] = [Command.create({"partner_id": partner.id})]
        opportunity = self.env["corymbus.opportunity"].create(values)

        # The call being made is now about this opportunity.
        self.call_opportunity_id = opportunity
        return {
            "type": "ir.actions.act_window",
            "res_model": "corymbus.opportunity",
            "res_id": opportunity.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_skip(self):
        """Pass the current contact without calling and show the next one."""
        self.ensure_one()
        self._current_line().write(
            {"state": "skipped", "date_done": fields.Datetime.now()}
        )
        self._move_to_next()
        return True

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def _current_line(self):
        self.ensure_one()
        if self.state != "running" or not self.current_line_id:
            raise UserError(self.env._("This session has no contact left to call."))
        return self.current_line_id

    def _move_to_next(self):
        """Point the session at its first pending contact, or close it."""
        self.ensure_one()
        pending = self.line_ids.filtered(lambda line: line.state == "pending")
        values = {"call_outcome": False, "call_note": False}
        if pending:
            values["current_line_id"] = pending.sorted("sequence")[0].id
        else:
            values.update(current_line_id=False, state="done")
        self.write(values)

    def _call_type(self):
        """The Call activity type, or the first type if it was removed."""
        return self.env["corymbus.activity"]._default_type_id()

    def _open_opportunities(self):
        """The open opportunities of the current contact and of their company."""
        self.ensure_one()
        partner = self.partner_id
        if not partner:
            return self.env["corymbus.opportunity"]
        company = partner if partner.is_company else partner.parent_id
        domain = partner._corymbus_opportunity_domain()
        if company and company != partner:
            domain |= Domain("partner_id", "=", company.id)
        return self.env["corymbus.opportunity"].search(
            domain & Domain("is_won", "=", False) & Domain("is_lost", "=", False),
            limit=20,
        )

    def _prepare_activity_links(self, partner):
        """Owner and links of an activity with ``partner``.

        A person is the activity's contact and their company its customer; a
        company is the customer itself. The opportunity is the one the call
        is about, if any.
        """
        self.ensure_one()
        company = partner.commercial_partner_id
        values = {
            "user_id": self.env.uid,
            "company_id": self.company_id.id,
            "opportunity_id": self.call_opportunity_id.id,
        }
        if not partner.is_company:
            values["partner_ids"] = [Command.set(partner.ids)]
        if company.is_company:
            values["company_partner_id"] = company.id
        return values
