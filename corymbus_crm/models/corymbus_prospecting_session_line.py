from odoo import fields, models

CALL_OUTCOMES = [
    ("interested", "Interested"),
    ("call_back", "Call Back Later"),
    ("not_interested", "Not Interested"),
    ("no_answer", "No Answer"),
    ("voicemail", "Left a Voicemail"),
    ("wrong_number", "Wrong Number"),
]


class CorymbusProspectingSessionLine(models.Model):
    """One contact to call in a prospecting session, and how the call went."""

    _name = "corymbus.prospecting.session.line"
    _description = "Corymbus Prospecting Session Contact"
    _order = "session_id, sequence, id"

    session_id = fields.Many2one(
        "corymbus.prospecting.session",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, ondelete="cascade"
    )
    state = fields.Selection(
        [("pending", "To Call"), ("called", "Called"), ("skipped", "Skipped")],
        required=True,
        default="pending",
    )
    outcome = fields.Selection(CALL_OUTCOMES)
    note = fields.Text()
    date_done = fields.Datetime("Handled On", readonly=True)
