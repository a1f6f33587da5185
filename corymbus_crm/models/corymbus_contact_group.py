from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.safe_eval import datetime, dateutil, safe_eval, time


class CorymbusContactGroup(models.Model):
    """A named set of contacts: members chosen by hand and/or found by a rule.

    The rule is a contact filter (typed in the domain editor or taken from a
    saved filter) evaluated each time the group is used, so a contact who
    starts to match it belongs to the group at once. Contacts who opted out
    of mailings stay members but are never part of the group's audience.
    """

    _name = "corymbus.contact.group"
    _description = "Corymbus Contact Group"
    _order = "name, id"

    # Identity
    name = fields.Char(required=True)
    description = fields.Text()
    active = fields.Boolean(default=True)
    color = fields.Integer("Color Index")

    # Members
    partner_ids = fields.Many2many(
        "res.partner",
        "corymbus_contact_group_partner_rel",
        "group_id",
        "partner_id",
        string="Members Chosen by Hand",
    )
    rule_domain = fields.Char(
        "Rule",
        help="Contacts matching these conditions belong to the group, as they "
        "are when the group is used.",
    )
    rule_filter_id = fields.Many2one(
        "ir.filters",
        string="Saved Filter",
        domain=[("model_id", "=", "res.partner")],
        ondelete="restrict",
        help="A saved contact filter used as the rule instead of the conditions "
        "above; changing the filter changes the group.",
    )

    # Statistics
    member_count = fields.Integer("Members", compute="_compute_counts")
    audience_count = fields.Integer(
        "Audience",
        compute="_compute_counts",
        help="Members who did not opt out of mailings.",
    )

    @api.depends("partner_ids", "rule_domain", "rule_filter_id")
    @api.depends_context("uid")
    def _compute_counts(self):
        Partner = self.env["res.partner"]
        for group in self:
            if not group.id:
                group.member_count = len(group.partner_ids)
                group.audience_count = 0
                continue
            group.member_count = Partner.search_count(group._get_member_domain())
            group.audience_count = Partner.search_count(group._get_audience_domain())

    @api.model_create_multi
    def create(self, vals_list):
        groups = super().create(vals_list)
        self._check_saved_filters(groups.sudo().rule_filter_id.with_env(self.env))
        return groups

    def write(self, vals):
        if vals.get("rule_filter_id"):
            self._check_saved_filters(
                self.env["ir.filters"].browse(vals["rule_filter_id"])
            )
        return super().write(vals)

    @api.model
    def _check_saved_filters(self, filters):
        """Take only saved contact filters the user may read.

        The filters come from the client; the message names none, as the
        user may not know another user's filters.
        """
        if self.env.su or not filters:
            return
        if not filters.has_access("read"):
            raise AccessError(
                self.env._("You can only use a saved filter you may read.")
            )
        if any(saved.sudo().model_id != "res.partner" for saved in filters):
            raise UserError(self.env._("Choose a saved filter of contacts."))

    @api.constrains("rule_domain", "rule_filter_id")
    def _check_rule(self):
        for group in self:
            try:
                domain = group._get_rule_domain()
                if domain is not None:
                    self.env["res.partner"].search_count(domain, limit=1)
            except Exception as error:  # any fault means the rule cannot be used
                raise ValidationError(
                    self.env._(
                        "The rule of the group “%(group)s” cannot be used: %(error)s",
                        group=group.name,
                        error=error,
                    )
                ) from error

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_members(self):
        """List the group's members as they are now."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "corymbus_crm.corymbus_contact_action"
        )
        action["domain"] = [("corymbus_contact_group_ids", "in", [self.id])]
        action["name"] = self.name
        action["context"] = {}
        return action

    def action_open_audience(self):
        """Open the dialog exporting (or mailing) the group's audience."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Campaign Audience"),
            "res_model": "corymbus.audience.export",
            "view_mode": "form",
            "target": "new",
            "context": {"default_group_id": self.id},
        }

    def action_start_prospecting(self):
        """Start a prospecting session calling the group's members one by one."""
        self.ensure_one()
        session = self.env["corymbus.prospecting.session"].create({"group_id": self.id})
        session.action_start()
        return session._action_open()

    # ------------------------------------------------------------------
    # Domains
    # ------------------------------------------------------------------

    @api.model
    def _rule_eval_context(self):
        return {
            "uid": self.env.uid,
            "user": self.env.user,
            "context_today": lambda: fields.Date.context_today(self),
            "datetime": datetime,
            "relativedelta": dateutil.relativedelta.relativedelta,
            "time": time,
        }

    def _get_rule_domain(self):
        """The group's rule as a Domain, or None when it has none."""
        self.ensure_one()
        text = self.rule_filter_id.domain if self.rule_filter_id else self.rule_domain
        if not text or not text.strip():
            return None
        value = safe_eval(text, self._rule_eval_context())
        domain = Domain(value)
        if domain.is_true():
            # An empty rule means "no rule", not "every contact".
            return None
        return domain

    def _get_member_domain(self):
        """Contacts belonging to the group now: chosen by hand or by the rule."""
        self.ensure_one()
        domain = Domain("id", "in", self.partner_ids.ids)
        rule = self._get_rule_domain()
        if rule is not None:
            domain |= rule
        return domain

    def _get_audience_domain(self):
        """Members who may receive campaigns: opted-out contacts never are."""
        self.ensure_one()
        return (
            self._get_member_domain()
            & self.env["res.partner"]._corymbus_reachable_domain()
        )
