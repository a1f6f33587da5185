from odoo import models
from odoo.exceptions import UserError


class CorymbusAudienceExport(models.TransientModel):
    """Campaign audiences that can become Email Marketing mailings."""

    _inherit = "corymbus.audience.export"

    def action_create_mailing(self):
        """Create a draft mailing whose recipients are the audience at send time.

        A group is referenced, not copied: its members are looked up again
        when the mailing is sent, so contacts who joined or left it in the
        meantime are counted as they are then.
        """
        self.ensure_one()
        if not (self.group_id or self.filter_id):
            raise UserError(self.env._("Choose a contact group or a saved filter."))

        if self.group_id:
            domain = [("corymbus_contact_group_ids", "in", [self.group_id.id])]
        else:
            domain = self.filter_id.domain or "[]"
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": self._audience_label(),
                "mailing_type": "mail",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr(domain) if self.group_id else domain,
                "corymbus_contact_group_id": self.group_id.id,
                "corymbus_filter_id": self.filter_id.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "mailing.mailing",
            "res_id": mailing.id,
            "view_mode": "form",
            "target": "current",
        }
