from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command, Domain

from .corymbus_prospecting_session_line import CALL_OUTCOMES


class CorymbusProspectingSession(models.Model):
    """Calling the members of a contact group one at a time.

    Starting a session takes the group's members as they are at that moment;
    the session then shows one contact with their company, open
    opportunities, last activities and notes. Logging a call or skipping
    moves to the next contact; the session keeps its place, so a salesperson
    can leave it and resume later where they stopped.
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
    activity_summary = fields.Html(
        "Last Activities", compute="_compute_partner_context", sanitize=False
    )

    # Call being logged
    call_outcome = fields.Selection(CALL_OUTCOMES, "Outcome")
    call_note = fields.Text("What Was Said")
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
                session.activity_summary = False
                continue
            domain = partner._corymbus_opportunity_domain()
            if company and company != partner:
                domain |= Domain("partner_id", "=", company.id)
            session.opportunity_ids = self.env["corymbus.opportunity"].search(
                domain & Domain("is_won", "=", False) & Domain("is_lost", "=", False),
                limit=20,
            )
            session.activity_summary = session._render_last_activities(partner)

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

        outcome = dict(CALL_OUTCOMES)[self.call_outcome]
        self._log_activity(
            line.partner_id,
            summary=self.env._("Call: %(outcome)s", outcome=outcome),
            note=self.call_note,
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
        """Plan the next activity with the current contact."""
        self.ensure_one()
        line = self._current_line()
        if not self.next_date:
            raise UserError(self.env._("Choose the date of the next activity."))
        self._plan_activity(
            line.partner_id,
            summary=self.next_summary or self.env._("Follow-up call"),
            date=self.next_date,
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

    def _has_corymbus_activities(self):
        return "corymbus.activity" in self.env

    def _log_activity(self, partner, summary, note):
        """Keep a done call in the contact's history.

        Salespeople read contacts without editing them: the note is posted on
        their behalf, with them as its author.
        """
        body = Markup("<p><b>%s</b></p>") % summary
        if note:
            body += Markup("<p>%s</p>") % note
        partner.sudo().message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )

    def _plan_activity(self, partner, summary, date):
        """Plan a follow-up with the contact, assigned to the salesperson."""
        partner.sudo().activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=date,
            summary=summary,
            user_id=self.env.uid,
        )

    def _render_last_activities(self, partner):
        """A short HTML list of the contact's last recorded interactions."""
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("message_type", "in", ["comment", "email"]),
            ],
            limit=5,
        )
        if not messages:
            return Markup("<p>%s</p>") % self.env._("Nothing recorded yet.")
        items = Markup("").join(
            Markup("<li>%s: %s</li>")
            % (
                fields.Date.to_string(message.date.date()),
                escape(message.preview or message.subject or ""),
            )
            for message in messages
        )
        return Markup("<ul>%s</ul>") % items
