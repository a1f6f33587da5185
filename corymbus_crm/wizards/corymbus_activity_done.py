from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError


class CorymbusActivityDone(models.TransientModel):
    """Mark an activity done and, in the same step, plan the next one.

    The next activity is pre-filled with the type, a date one working day
    later and the links (contacts, company, opportunity) of the one done.

    The activity comes from the client: the wizard takes only an activity the
    user may read and edit, before it shows anything of it.
    """

    _name = "corymbus.activity.done"
    _description = "Mark a Corymbus Activity Done"

    # Completion
    activity_id = fields.Many2one(
        "corymbus.activity", string="Activity", required=True, ondelete="cascade"
    )
    # The computes read the activity as the user, who must be allowed to.
    outcome = fields.Text(
        compute="_compute_outcome", compute_sudo=False, store=True, readonly=False
    )

    # Next activity
    next_type_id = fields.Many2one(
        "corymbus.activity.type",
        string="Next Type",
        compute="_compute_next",
        compute_sudo=False,
        store=True,
        readonly=False,
    )
    next_name = fields.Char(
        "Next Subject",
        compute="_compute_next",
        compute_sudo=False,
        store=True,
        readonly=False,
    )
    next_date = fields.Datetime(
        compute="_compute_next", compute_sudo=False, store=True, readonly=False
    )
    next_user_id = fields.Many2one(
        "res.users",
        string="Next Owner",
        compute="_compute_next",
        compute_sudo=False,
        store=True,
        readonly=False,
    )

    @api.depends("activity_id")
    def _compute_outcome(self):
        self._check_activity_access(self.activity_id)
        for wizard in self:
            wizard.outcome = wizard.activity_id.outcome

    @api.depends("activity_id")
    def _compute_next(self):
        self._check_activity_access(self.activity_id)
        now = fields.Datetime.now()
        for wizard in self:
            activity = wizard.activity_id
            wizard.next_type_id = activity.type_id
            wizard.next_name = activity.name
            wizard.next_date = max(activity.date_start or now, now) + timedelta(days=1)
            wizard.next_user_id = activity.user_id or self.env.user

    @api.model
    def default_get(self, fields):
        values = super().default_get(fields)
        if values.get("activity_id"):
            self._check_activity_access(
                self.env["corymbus.activity"].browse(values["activity_id"])
            )
        return values

    @api.model_create_multi
    def create(self, vals_list):
        activity_ids = [
            vals["activity_id"] for vals in vals_list if vals.get("activity_id")
        ]
        self._check_activity_access(self.env["corymbus.activity"].browse(activity_ids))
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("activity_id"):
            self._check_activity_access(
                self.env["corymbus.activity"].browse(vals["activity_id"])
            )
        return super().write(vals)

    def action_done(self):
        """Mark the activity done, keeping its notes, links and files."""
        self.ensure_one()
        self.activity_id.action_done(outcome=self.outcome or False)
        return {"type": "ir.actions.act_window_close"}

    def action_done_and_plan_next(self):
        """Mark the activity done and open the next one, already saved."""
        self.ensure_one()
        self.activity_id.action_done(outcome=self.outcome or False)
        next_activity = self.env["corymbus.activity"].create(self._prepare_next())
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Next Activity"),
            "res_model": "corymbus.activity",
            "res_id": next_activity.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _prepare_next(self):
        activity = self.activity_id
        return {
            "name": self.next_name or activity.name,
            "type_id": (self.next_type_id or activity.type_id).id,
            "user_id": (self.next_user_id or self.env.user).id,
            "date_start": self.next_date,
            "partner_ids": [fields.Command.set(activity.partner_ids.ids)],
            "company_partner_id": activity.company_partner_id.id,
            "opportunity_id": activity.opportunity_id.id,
            "company_id": activity.company_id.id,
        }

    @api.model
    def _check_activity_access(self, activities):
        """Refuse activities the user may not both read and edit.

        The message names no activity: the user may not know its title.
        """
        activities = activities._origin.exists()
        if self.env.su or not activities:
            return
        activities = activities.with_env(self.env)
        if not (activities.has_access("read") and activities.has_access("write")):
            raise AccessError(
                self.env._("You can only mark done the activities you may edit.")
            )
