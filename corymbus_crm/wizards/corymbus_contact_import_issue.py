from odoo import api, fields, models


class CorymbusContactImportIssue(models.TransientModel):
    """A problem met on one entry of an imported file, or on the whole file.

    An error means the entry was not imported; a warning that it was, with
    what was guessed or left out.
    """

    _name = "corymbus.contact.import.issue"
    _description = "Contact Import Problem"
    _order = "number, id"

    wizard_id = fields.Many2one(
        "corymbus.contact.import", required=True, ondelete="cascade", index=True
    )
    number = fields.Integer(help="Card number in a vCard file, line in a CSV file.")
    location = fields.Char("Where")
    severity = fields.Selection(
        [("error", "Not Imported"), ("warning", "Warning")],
        required=True,
        default="warning",
    )
    message = fields.Char("Reason", required=True)
    partner_id = fields.Many2one("res.partner", string="Contact", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        # A contact named in a problem must be one the user may read: the
        # name would show through the problem otherwise.
        partner_ids = {
            vals["partner_id"] for vals in vals_list if vals.get("partner_id")
        }
        self.env["res.partner"].browse(partner_ids).check_access("read")
        return super().create(vals_list)
