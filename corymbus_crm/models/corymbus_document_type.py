from odoo import fields, models


class CorymbusDocumentType(models.Model):
    """A kind of document, such as a quote or a contract, used to sort files.

    Every file or link attached to a contact, a company, an opportunity or an
    activity may carry one; the documents lists are grouped by it.
    """

    _name = "corymbus.document.type"
    _description = "Corymbus Document Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer("Color Index")
