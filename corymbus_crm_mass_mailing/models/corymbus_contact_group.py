from odoo import fields, models


class CorymbusContactGroup(models.Model):
    """Contact groups with the mailings sent to them."""

    _inherit = "corymbus.contact.group"

    mailing_ids = fields.One2many("mailing.mailing", "corymbus_contact_group_id")
    mailing_count = fields.Integer(compute="_compute_mailing_count")

    def _compute_mailing_count(self):
        groups = self.env["mailing.mailing"]._read_group(
            [("corymbus_contact_group_id", "in", self.ids)],
            ["corymbus_contact_group_id"],
            ["__count"],
        )
        counts = {group.id: count for group, count in groups}
        for group in self:
            group.mailing_count = counts.get(group.id, 0)

    def action_create_mailing(self):
        """Create a mailing to the group's audience and open it."""
        self.ensure_one()
        wizard = self.env["corymbus.audience.export"].create({"group_id": self.id})
        return wizard.action_create_mailing()

    def action_open_mailings(self):
        """List the mailings sent or prepared for the group."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mass_mailing.mailing_mailing_action_mail"
        )
        action["domain"] = [("corymbus_contact_group_id", "=", self.id)]
        action["context"] = {"default_corymbus_contact_group_id": self.id}
        return action
