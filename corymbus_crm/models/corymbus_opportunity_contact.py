from odoo import fields, models


class CorymbusOpportunityContact(models.Model):
    """A person involved in a deal, with the role they play in it.

    The person may work for the customer or for another company, such as a
    reseller or an integrator taking part in the deal.
    """

    _name = "corymbus.opportunity.contact"
    _description = "Corymbus Opportunity Contact"
    _order = "sequence, id"

    opportunity_id = fields.Many2one(
        "corymbus.opportunity", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', False)]",
    )
    role_id = fields.Many2one("corymbus.contact.role", string="Role")
    partner_company_id = fields.Many2one(
        related="partner_id.parent_id", string="Works For"
    )
    email = fields.Char(related="partner_id.email")
    phone = fields.Char(related="partner_id.phone")

    _contact_once = models.Constraint(
        "UNIQUE(opportunity_id, partner_id)",
        "A contact takes part in an opportunity only once.",
    )
