from odoo import fields, models


class CorymbusLostReason(models.Model):
    """Why a deal was lost, chosen when marking an opportunity lost."""

    _name = "corymbus.lost.reason"
    _description = "Corymbus Lost Reason"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
