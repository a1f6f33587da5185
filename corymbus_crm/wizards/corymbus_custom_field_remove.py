from markupsafe import Markup

from odoo import api, fields, models


class CorymbusCustomFieldRemove(models.TransientModel):
    """Tells what uses custom fields before removing them."""

    _name = "corymbus.custom.field.remove"
    _description = "Remove Corymbus Custom Fields"

    field_ids = fields.Many2many("corymbus.custom.field", string="Custom Fields")
    usage_html = fields.Html("Used By", compute="_compute_usages", sanitize=False)
    is_blocked = fields.Boolean(compute="_compute_usages")

    @api.depends("field_ids")
    def _compute_usages(self):
        for wizard in self:
            lines = []
            blocked = False
            for custom_field in wizard.field_ids:
                for usage in custom_field._get_usages():
                    blocked |= usage["blocking"]
                    effect = (
                        self.env._("must be changed first")
                        if usage["blocking"]
                        else self.env._("will be removed too")
                    )
                    lines.append(
                        Markup("<li>%s — %s: %s (%s)</li>")
                        % (custom_field.name, usage["kind"], usage["name"], effect)
                    )
            wizard.is_blocked = blocked
            if lines:
                wizard.usage_html = Markup("<ul>%s</ul>") % Markup("").join(lines)
            else:
                wizard.usage_html = Markup("<p>%s</p>") % self.env._(
                    "Nothing else uses these fields."
                )

    def action_remove(self):
        """Remove the fields, their data and the filters that use them."""
        self.field_ids.unlink()
        return {"type": "ir.actions.act_window_close"}
