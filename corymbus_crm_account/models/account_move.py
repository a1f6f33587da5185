from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")


class AccountMove(models.Model):
    """Customer invoices and credit notes linked to the deal they bill."""

    _inherit = "account.move"

    # Opportunity
    corymbus_opportunity_id = fields.Many2one(
        "corymbus.opportunity",
        string="Opportunity",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        help="The Corymbus deal this invoice or credit note bills. Credit notes "
        "made from an invoice keep its opportunity.",
    )
    corymbus_opportunity_name = fields.Char(
        "Opportunity Name",
        related="corymbus_opportunity_id.name",
        help="Searches invoices by the name of their opportunity, also for "
        "accountants who may not read opportunities.",
    )
    corymbus_customer_has_opportunity = fields.Boolean(
        "Customer Has Opportunities",
        compute="_compute_corymbus_customer_has_opportunity",
        search="_search_corymbus_customer_has_opportunity",
        help="The customer has open or won opportunities an invoice could bill.",
    )

    def _compute_corymbus_customer_has_opportunity(self):
        # sudo: accountants learn only whether such deals exist.
        groups = (
            self.env["corymbus.opportunity"]
            .sudo()
            ._read_group(
                self.env["corymbus.opportunity"]._corymbus_billable_domain()
                & Domain("partner_id", "in", self.commercial_partner_id.ids),
                ["partner_id"],
            )
        )
        customers = {partner for (partner,) in groups}
        for move in self:
            move.corymbus_customer_has_opportunity = (
                move.commercial_partner_id in customers
            )

    def _search_corymbus_customer_has_opportunity(self, operator, value):
        if operator not in ("in", "not in", "=", "!="):
            return NotImplemented
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        wanted = any(values)
        if operator in ("!=", "not in"):
            wanted = not wanted

        # sudo: only the customers of billable deals are selected.
        deals = (
            self.env["corymbus.opportunity"]
            .sudo()
            ._search(self.env["corymbus.opportunity"]._corymbus_billable_domain())
        )
        customers = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            ._search([("id", "in", deals.subselect("partner_id"))])
        )
        domain = Domain(
            "commercial_partner_id", "in", customers.subselect("commercial_partner_id")
        )
        return domain if wanted else ~domain

    @api.constrains("corymbus_opportunity_id", "move_type")
    def _check_corymbus_opportunity_move_type(self):
        for move in self:
            if (
                move.corymbus_opportunity_id
                and move.move_type not in CUSTOMER_MOVE_TYPES
            ):
                raise ValidationError(
                    self.env._(
                        "Only customer invoices and credit notes can be linked "
                        "to an opportunity (%(move)s).",
                        move=move.display_name,
                    )
                )
