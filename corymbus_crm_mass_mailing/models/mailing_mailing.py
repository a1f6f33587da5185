from odoo import fields, models
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval


class MailingMailing(models.Model):
    """Mailings whose recipients are a Corymbus audience at send time."""

    _inherit = "mailing.mailing"

    corymbus_contact_group_id = fields.Many2one(
        "corymbus.contact.group",
        string="Contact Group",
        ondelete="restrict",
        help="The recipients are the group's members when the mailing is sent, "
        "except those who opted out.",
    )
    corymbus_filter_id = fields.Many2one(
        "ir.filters",
        string="Saved Contact Filter",
        ondelete="restrict",
        help="The recipients are the contacts this filter finds when the mailing "
        "is sent, except those who opted out.",
    )

    def _get_recipients_domain(self):
        """Narrow the recipients to the Corymbus audience, evaluated now."""
        domain = super()._get_recipients_domain()
        if self.mailing_model_real != "res.partner":
            return domain
        if self.corymbus_contact_group_id:
            domain &= self.corymbus_contact_group_id._get_audience_domain()
        if self.corymbus_filter_id:
            context = self.env["corymbus.contact.group"]._rule_eval_context()
            domain &= Domain(safe_eval(self.corymbus_filter_id.domain or "[]", context))
            domain &= self.env["res.partner"]._corymbus_reachable_domain()
        return domain
