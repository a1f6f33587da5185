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
        # The opportunity itself is tracked; its name would log the change twice.
        tracking=False,
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

    @api.constrains("corymbus_opportunity_id", "partner_id")
    def _check_corymbus_opportunity_customer(self):
        """An invoice bills a deal of its own customer, and only such a deal.

        The deal's customer company is the invoice's commercial partner. The
        message names no deal: whoever links one may not be allowed to read
        the others.
        """
        # sudo: the deal's customer is compared, not shown. A deal that does
        # not exist gets the same answer as another customer's, so that ids
        # cannot be tried to learn which deals exist.
        for move in self.sudo().filtered("corymbus_opportunity_id"):
            deal_customer = move.corymbus_opportunity_id.exists().partner_id
            if (
                not deal_customer
                or deal_customer.commercial_partner_id != move.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "The opportunity of %(move)s must be a deal of its "
                        "customer, %(customer)s.",
                        move=move.display_name,
                        customer=move.commercial_partner_id.display_name,
                    )
                )

    @api.constrains("corymbus_opportunity_id")
    def _check_corymbus_opportunity_billable(self):
        """An invoice bills an open or won deal; a credit note may credit a
        deal lost since it was invoiced.
        """
        # sudo: only whether the deal is lost is read.
        for move in self.sudo():
            deal = move.corymbus_opportunity_id.exists()
            if move.move_type == "out_invoice" and deal.is_lost:
                raise ValidationError(
                    self.env._(
                        "%(move)s cannot bill a lost opportunity: choose an open "
                        "or won deal of its customer.",
                        move=move.display_name,
                    )
                )

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

    @api.onchange("partner_id")
    def _onchange_partner_id_corymbus_opportunity(self):
        # A deal of the former customer is no longer the one this invoice bills.
        for move in self:
            if not move._corymbus_bills_own_customer():
                move.corymbus_opportunity_id = False

    def write(self, vals):
        # A new customer drops the deal of the former one, unless the same
        # write names the deal: the invoice then bills it, if it may.
        if "partner_id" in vals and "corymbus_opportunity_id" not in vals:
            customer = self.env["res.partner"].browse(vals["partner_id"])
            stale = self.filtered(
                lambda move: not move._corymbus_bills_own_customer(customer)
            )
            if stale:
                super(AccountMove, stale).write({"corymbus_opportunity_id": False})
        return super().write(vals)

    def copy_data(self, default=None):
        # A copied invoice does not bill a deal lost since; a credit note of
        # it still credits that deal.
        vals_list = super().copy_data(default=default)
        for move, vals in zip(self, vals_list, strict=True):
            if (
                vals.get("move_type", move.move_type) == "out_invoice"
                and "corymbus_opportunity_id" not in (default or {})
                and move.sudo().corymbus_opportunity_id.is_lost
            ):
                vals["corymbus_opportunity_id"] = False
        return vals_list

    def _corymbus_bills_own_customer(self, customer=None):
        """Whether the invoice's deal, if any, belongs to ``customer``.

        :param customer: the partner to compare with, by default the
            invoice's customer
        """
        self.ensure_one()
        # sudo: the deal's customer is compared, not shown.
        deal = self.sudo().corymbus_opportunity_id
        if not deal:
            return True
        customer = customer if customer is not None else self.partner_id
        return (
            deal.partner_id.commercial_partner_id
            == customer.sudo().commercial_partner_id
            and bool(deal.partner_id)
        )
