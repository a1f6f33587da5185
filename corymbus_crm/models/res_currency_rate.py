from odoo import api, models


class ResCurrencyRate(models.Model):
    """Keep company-currency totals of opportunities in step with the rates."""

    _inherit = "res.currency.rate"

    @api.model_create_multi
    def create(self, vals_list):
        rates = super().create(vals_list)
        rates._refresh_opportunity_amounts()
        return rates

    def write(self, vals):
        result = super().write(vals)
        self._refresh_opportunity_amounts()
        return result

    def unlink(self):
        currencies = self.currency_id
        result = super().unlink()
        self._refresh_opportunity_amounts(currencies)
        return result

    def _refresh_opportunity_amounts(self, currencies=None):
        """Recompute converted amounts of the deals priced in these currencies."""
        currencies = currencies if currencies is not None else self.currency_id
        if not currencies:
            return
        opportunities = (
            self.env["corymbus.opportunity"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("currency_id", "in", currencies.ids),
                    ("company_currency_id", "in", currencies.ids),
                ]
            )
        )
        opportunities.modified(["currency_id"])
