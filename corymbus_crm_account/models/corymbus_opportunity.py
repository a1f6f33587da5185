from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

# What an accountant picking the opportunity of an invoice may see of it.
PICKER_FIELDS = ("id", "display_name", "name", "partner_id", "stage_id")


class CorymbusOpportunity(models.Model):
    """Opportunities with the invoices and credit notes that bill them.

    Invoiced and paid amounts are untaxed, like the expected revenue they are
    compared with, and converted to the opportunity's currency at the date of
    each invoice. Only posted documents count; a credit note counts against.
    """

    _inherit = "corymbus.opportunity"

    # Invoicing
    invoice_ids = fields.One2many(
        "account.move",
        "corymbus_opportunity_id",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    invoice_count = fields.Integer(compute="_compute_invoicing", compute_sudo=True)
    invoiced_amount = fields.Monetary(
        "Invoiced",
        compute="_compute_invoicing",
        compute_sudo=True,
        currency_field="currency_id",
        help="Posted invoices minus posted credit notes, untaxed, in the "
        "opportunity's currency.",
    )
    paid_amount = fields.Monetary(
        "Paid",
        compute="_compute_invoicing",
        compute_sudo=True,
        currency_field="currency_id",
        help="The paid share of the invoiced amount.",
    )
    amount_to_invoice = fields.Monetary(
        "Left to Invoice",
        compute="_compute_invoicing",
        compute_sudo=True,
        currency_field="currency_id",
        help="Expected revenue minus the invoiced amount; below zero when more "
        "was invoiced than expected.",
    )
    invoiced_rate = fields.Float(
        "Invoiced (%)",
        compute="_compute_invoicing",
        compute_sudo=True,
        help="The invoiced amount as a share of the expected revenue.",
    )

    @api.depends(
        "amount",
        "currency_id",
        "invoice_ids.state",
        "invoice_ids.move_type",
        "invoice_ids.amount_untaxed",
        "invoice_ids.amount_total",
        "invoice_ids.amount_residual",
        "invoice_ids.currency_id",
        "invoice_ids.invoice_date",
    )
    def _compute_invoicing(self):
        moves = self.env["account.move"].search(
            [
                ("corymbus_opportunity_id", "in", self._origin.ids),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        moves_by_opportunity = moves.grouped("corymbus_opportunity_id")
        for opportunity in self:
            own_moves = moves_by_opportunity.get(
                opportunity._origin, self.env["account.move"]
            )
            invoiced = paid = 0.0
            for move in own_moves.filtered(lambda m: m.state == "posted"):
                untaxed, paid_share = opportunity._corymbus_billed_amounts(move)
                invoiced += untaxed
                paid += paid_share
            currency = opportunity.currency_id
            opportunity.invoice_count = len(own_moves)
            opportunity.invoiced_amount = currency.round(invoiced)
            opportunity.paid_amount = currency.round(paid)
            opportunity.amount_to_invoice = currency.round(
                opportunity.amount - invoiced
            )
            opportunity.invoiced_rate = (
                100.0 * invoiced / opportunity.amount if opportunity.amount else 0.0
            )

    def _corymbus_billed_amounts(self, move):
        """The untaxed amount of ``move`` and its paid share, signed.

        Both are in the opportunity's currency, converted at the invoice date;
        a credit note gives negative amounts.
        """
        self.ensure_one()
        sign = -1.0 if move.move_type == "out_refund" else 1.0
        untaxed = move.amount_untaxed
        paid_ratio = (
            (move.amount_total - move.amount_residual) / move.amount_total
            if move.amount_total
            else 0.0
        )
        if move.currency_id != self.currency_id:
            untaxed = move.currency_id._convert(
                untaxed,
                self.currency_id,
                move.company_id,
                move.invoice_date or move.date,
                round=False,
            )
        return sign * untaxed, sign * untaxed * paid_ratio

    @api.model
    def name_search(self, name="", domain=None, operator="ilike", limit=100):
        """Propose the invoice's customer deals; to accountants the billable ones.

        On an invoice form the context names the invoice's customer. A user
        who may read opportunities gets that customer's open and won deals
        first, then its lost ones (a credit note may credit them); an invoice
        links to no other deal. An accountant without sales rights gets the
        open and won deals only, with nothing but their names.
        """
        pick_domain = self._corymbus_invoice_pick_domain()
        if pick_domain is None:
            return super().name_search(name, domain, operator, limit)

        if not self.has_access("read"):
            self._corymbus_check_invoice_picker()
            # sudo: restricted to the invoice customer's deals, names only.
            deals = self.sudo().search_fetch(
                Domain("display_name", operator, name) & pick_domain,
                ["display_name"],
                limit=limit,
            )
            return [(deal.id, deal.display_name) for deal in deals]

        first = super().name_search(
            name, Domain(domain or Domain.TRUE) & pick_domain, operator, limit
        )
        if limit and len(first) >= limit:
            return first
        others = super().name_search(
            name,
            Domain(domain or Domain.TRUE)
            & self._corymbus_invoice_customer_domain()
            & Domain("id", "not in", [deal_id for deal_id, _name in first]),
            operator,
            limit - len(first) if limit else limit,
        )
        return first + others

    @api.model
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        """Let an accountant browse the invoice customer's deals, names only."""
        pick_domain = self._corymbus_invoice_pick_domain()
        if pick_domain is None:
            return super().web_search_read(
                domain, specification, offset, limit, order, count_limit
            )
        if self.has_access("read"):
            # The invoice links to no deal of another customer.
            return super().web_search_read(
                Domain(domain or Domain.TRUE)
                & self._corymbus_invoice_customer_domain(),
                specification,
                offset,
                limit,
                order,
                count_limit,
            )

        self._corymbus_check_invoice_picker()
        domain = Domain(domain or Domain.TRUE)
        if any(
            condition.field_expr.split(".")[0] not in PICKER_FIELDS
            for condition in domain.iter_conditions()
        ):
            raise AccessError(
                self.env._("You may only search opportunities by name here.")
            )
        allowed = {
            name: spec for name, spec in specification.items() if name in PICKER_FIELDS
        }
        # sudo: restricted to the invoice customer's deals and a few fields.
        return super(CorymbusOpportunity, self.sudo()).web_search_read(
            domain & pick_domain, allowed, offset, limit, order, count_limit
        )

    @api.model
    def get_view(self, view_id=None, view_type="form", **options):
        """Give an accountant picking a deal the list and search views."""
        if view_type in ("list", "search") and self._corymbus_picks_for_invoice():
            # sudo: only the views are read; the records stay restricted.
            return super(CorymbusOpportunity, self.sudo()).get_view(
                view_id, view_type, **options
            )
        return super().get_view(view_id, view_type, **options)

    def action_open_invoices(self):
        """List the invoices and credit notes of the opportunity."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [
            ("corymbus_opportunity_id", "=", self.id),
            ("move_type", "in", ("out_invoice", "out_refund")),
        ]
        action["context"] = {
            "default_move_type": "out_invoice",
            "default_corymbus_opportunity_id": self.id,
            "default_partner_id": self.partner_id.id,
            "create": self.env["account.move"].has_access("create"),
        }
        return action

    @api.model
    def _corymbus_billable_domain(self):
        """Deals an invoice may bill: the open and the won ones."""
        return Domain("is_lost", "=", False)

    @api.model
    def _corymbus_invoice_pick_domain(self):
        """The deals proposed first on an invoice, from the form's context:
        the open and won deals of the invoice's customer.

        :return: a domain, or None outside an invoice form
        """
        if "corymbus_invoice_partner_id" not in self.env.context:
            return None
        return (
            self._corymbus_billable_domain() & self._corymbus_invoice_customer_domain()
        )

    @api.model
    def _corymbus_invoice_customer_domain(self):
        """All the deals an invoice could link to, from the form's context:
        those of the invoice's customer company, in the invoice's company.
        """
        partner_id = self.env.context.get("corymbus_invoice_partner_id")
        if not partner_id or not isinstance(partner_id, int):
            return Domain.FALSE
        # sudo: the invoice's customer may be a person of the customer company.
        customer = self.env["res.partner"].sudo().browse(partner_id).exists()
        if not customer:
            return Domain.FALSE
        domain = Domain("partner_id", "=", customer.commercial_partner_id.id)
        company_id = self.env.context.get("corymbus_invoice_company_id")
        if company_id and isinstance(company_id, int):
            domain &= Domain("company_id", "=", company_id)
        return domain

    @api.model
    def _corymbus_picks_for_invoice(self):
        """Whether an accountant without sales rights picks a deal for an invoice."""
        return (
            self._corymbus_invoice_pick_domain() is not None
            and not self.has_access("read")
            and self.env.user.has_group("account.group_account_invoice")
        )

    @api.model
    def _corymbus_check_invoice_picker(self):
        """Only the users who write invoices pick deals without sales rights."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(
                self.env._("You are not allowed to see the opportunities.")
            )

    def _corymbus_billing_sources(self):
        """The invoices and credit notes of the opportunities."""
        sources = super()._corymbus_billing_sources()
        # sudo: each invoice document is checked against its invoice.
        moves = (
            self.env["account.move"]
            .sudo()
            .search([("corymbus_opportunity_id", "in", self.ids)], order="id")
        )
        sources["account.move"] = set(moves.ids)
        return sources
