from odoo import api, fields, models
from odoo.fields import Domain


# Kept apart from res_partner.py on purpose: one feature, one file.
class ResPartner(models.Model):
    """Contacts seen from contact groups and custom amount fields."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Groups
    corymbus_contact_group_ids = fields.Many2many(
        "corymbus.contact.group",
        string="Contact Groups",
        compute="_compute_corymbus_contact_group_ids",
        search="_search_corymbus_contact_group_ids",
        help="The groups the contact belongs to, chosen by hand or by a group's "
        "rule as it stands now.",
    )

    # Custom fields
    corymbus_custom_currency_id = fields.Many2one(
        "res.currency",
        string="Custom Amounts Currency",
        compute="_compute_corymbus_custom_currency_id",
        help="Currency of the amounts added as custom fields: the company's.",
    )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_corymbus_contact_group_ids(self):
        partners = self.filtered("id")
        (self - partners).corymbus_contact_group_ids = False
        if not partners:
            return

        # One query per group, whatever the number of contacts shown.
        membership = {partner.id: [] for partner in partners}
        for group in self.env["corymbus.contact.group"].search([]):
            members = self.with_context(active_test=False).search(
                group._get_member_domain() & Domain("id", "in", partners.ids)
            )
            for member in members:
                membership[member.id].append(group.id)
        for partner in partners:
            partner.corymbus_contact_group_ids = [
                fields.Command.set(membership[partner.id])
            ]

    def _search_corymbus_contact_group_ids(self, operator, value):
        Group = self.env["corymbus.contact.group"]
        negative = operator.startswith("not ") or operator == "!="
        if operator in ("in", "not in"):
            groups = Group.browse([v for v in value if isinstance(v, int)])
        elif operator in ("any", "not any"):
            groups = Group.search(value)
        elif operator in ("ilike", "not ilike", "=", "!="):
            if value is False:
                groups = Group.search([])
                negative = not negative
            else:
                positive = {"not ilike": "ilike", "!=": "="}.get(operator, operator)
                groups = Group.search([("name", positive, value)])
        else:
            return NotImplemented

        domain = Domain.OR(group._get_member_domain() for group in groups)
        return ~domain if negative else domain

    @api.model
    def _corymbus_reachable_domain(self):
        """Contacts who did not opt out of mailings (Odoo's blacklist)."""
        return Domain("is_blacklisted", "=", False)

    @api.depends_context("company")
    def _compute_corymbus_custom_currency_id(self):
        self.corymbus_custom_currency_id = self.env.company.currency_id
