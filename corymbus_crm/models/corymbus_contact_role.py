from odoo import fields, models


class CorymbusContactRole(models.Model):
    """The part a contact plays in a deal: decision maker, user, partner..."""

    _name = "corymbus.contact.role"
    _description = "Corymbus Contact Role"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
