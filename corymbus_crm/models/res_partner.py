from odoo import api, fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    """Contacts and companies seen from the sales pipeline."""

    _inherit = "res.partner"

    # Pipeline
    corymbus_opportunity_line_ids = fields.One2many(
        "corymbus.opportunity.contact", "partner_id", string="Opportunity Roles"
    )
    corymbus_opportunity_count = fields.Integer(
        "Opportunities", compute="_compute_corymbus_pipeline"
    )
    corymbus_currency_id = fields.Many2one(
        "res.currency", compute="_compute_corymbus_pipeline"
    )
    corymbus_open_amount = fields.Monetary(
        "Open Pipeline",
        compute="_compute_corymbus_pipeline",
        currency_field="corymbus_currency_id",
    )
    corymbus_weighted_amount = fields.Monetary(
        "Weighted Pipeline",
        compute="_compute_corymbus_pipeline",
        currency_field="corymbus_currency_id",
    )
    corymbus_won_amount = fields.Monetary(
        "Won Amount",
        compute="_compute_corymbus_pipeline",
        currency_field="corymbus_currency_id",
    )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_corymbus_pipeline(self):
        Opportunity = self.env["corymbus.opportunity"]
        currency = self.env.company.currency_id
        for partner in self:
            partner.corymbus_currency_id = currency
            if not partner.id:
                partner.corymbus_opportunity_count = 0
                partner.corymbus_open_amount = 0.0
                partner.corymbus_weighted_amount = 0.0
                partner.corymbus_won_amount = 0.0
                continue

            # One grouped query per partner: the figures are shown on its form.
            domain = partner._corymbus_opportunity_domain()
            groups = Opportunity._read_group(
                domain & Domain("company_id", "=", self.env.company.id),
                ["is_won", "is_lost"],
                ["__count", "amount_company:sum", "weighted_amount_company:sum"],
            )
            partner.corymbus_opportunity_count = Opportunity.search_count(domain)
            open_amount = weighted = won = 0.0
            for is_won, is_lost, _count, amount, weighted_amount in groups:
                if is_won:
                    won += amount
                elif not is_lost:
                    open_amount += amount
                    weighted += weighted_amount
            partner.corymbus_open_amount = open_amount
            partner.corymbus_weighted_amount = weighted
            partner.corymbus_won_amount = won

    def _corymbus_opportunity_domain(self):
        """Opportunities a partner takes part in, by id, never by name.

        A company holds the deals it is the customer of and those its people
        take part in (as partner contacts of another company's deal, say); a
        person holds the deals they are a contact of.
        """
        self.ensure_one()
        if self.is_company:
            return Domain("partner_id", "=", self.id) | Domain(
                "contact_line_ids.partner_id.parent_id", "=", self.id
            )
        return Domain("contact_line_ids.partner_id", "=", self.id)

    def action_open_corymbus_opportunities(self):
        """List the opportunities counted on the partner's smart button."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "corymbus_crm.corymbus_opportunity_action"
        )
        action["domain"] = list(self._corymbus_opportunity_domain())
        context = {"search_default_filter_open": 0}
        if self.is_company:
            context["default_partner_id"] = self.id
        else:
            context["default_partner_id"] = self.parent_id.id
            context["default_contact_line_ids"] = [
                fields.Command.create({"partner_id": self.id})
            ]
        action["context"] = context
        return action
