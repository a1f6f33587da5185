from odoo.tests import tagged

from .common import CorymbusCase


@tagged("post_install", "-at_install", "corymbus_pipeline")
class TestWeightedAmounts(CorymbusCase):
    """BR-06 and BR-08: weighted totals are sums of converted per-record values."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_own_company("Corymbus Montants", cls.euro)
        cls.usd.active = True
        cls.env["res.currency.rate"].search(
            [("currency_id", "in", (cls.usd | cls.euro).ids)]
        ).unlink()
        # 1 USD = 0.90 EUR, so 1 EUR = 1/0.9 USD.
        cls.env["res.currency.rate"].create(
            {
                "name": "2026-03-01",
                "currency_id": cls.usd.id,
                "rate": 1 / 0.9,
                "company_id": cls.company.id,
            }
        )

    def _weighted_total(self, domain):
        return self.env["corymbus.opportunity"]._read_group(
            domain, [], ["amount_company:sum", "weighted_amount_company:sum"]
        )[0]

    def test_br06_sum_of_products(self):
        fjord = self._create_opportunity(name="Fjord Glass", amount=100)
        fjord.probability = 99.0
        kestrel = self._create_opportunity(name="Kestrel Print", amount=200)
        kestrel.probability = 0.0
        deals = fjord | kestrel
        self.assertFalse(any(deals.mapped("is_lost")))

        _amount, weighted = self._weighted_total([("id", "in", deals.ids)])
        self.assertAlmostEqual(weighted, 99.0, places=2)

        # Grouped by stage, each group is the sum of its records' products.
        by_stage = self.env["corymbus.opportunity"]._read_group(
            [("id", "in", deals.ids)], ["stage_id"], ["weighted_amount_company:sum"]
        )
        for stage, weighted_sum in by_stage:
            records = deals.filtered(lambda d, s=stage: d.stage_id == s)
            self.assertAlmostEqual(
                weighted_sum,
                sum(d.amount * d.probability / 100 for d in records),
                places=2,
            )

        cormorant = self._create_opportunity(name="C", amount=50)
        cormorant.probability = 50.0
        _amount, weighted = self._weighted_total(
            [("id", "in", (deals | cormorant).ids)]
        )
        self.assertAlmostEqual(weighted, 124.0, places=2)

    def test_br08_currencies_are_converted(self):
        closing = "2026-03-01"
        d1 = self._create_opportunity(
            name="D1", amount=50, currency_id=self.usd.id, date_deadline=closing
        )
        d1.probability = 50.0
        d2 = self._create_opportunity(
            name="D2", amount=50, currency_id=self.euro.id, date_deadline=closing
        )
        d2.probability = 50.0
        deals = d1 | d2

        amount, weighted = self._weighted_total([("id", "in", deals.ids)])
        self.assertAlmostEqual(amount, 95.0, places=2)
        self.assertAlmostEqual(weighted, 47.5, places=2)
        self.assertEqual(d1.amount, 50.0)
        self.assertEqual(d1.currency_id, self.usd)
        self.assertEqual(d1.weighted_amount, 25.0)

    def test_br08_rate_change_refreshes_totals(self):
        deal = self._create_opportunity(
            name="D1", amount=100, currency_id=self.usd.id, date_deadline="2026-03-01"
        )
        self.assertAlmostEqual(deal.amount_company, 90.0, places=2)
        rate = self.env["res.currency.rate"].search(
            [("currency_id", "=", self.usd.id), ("name", "=", "2026-03-01")]
        )
        rate.rate = 1 / 0.8
        self.assertAlmostEqual(deal.amount_company, 80.0, places=2)

    def test_br08_currency_is_stored_with_the_amount(self):
        other_company = self.env["res.company"].create(
            {"name": "Helvetia Sales", "currency_id": self.euro.id}
        )
        deal = self.env["corymbus.opportunity"].create(
            {"name": "Alpine", "amount": 1000, "company_id": other_company.id}
        )
        self.assertEqual(deal.currency_id, self.euro)

        chf = self.env.ref("base.CHF")
        chf.active = True
        other_company.currency_id = chf
        self.assertEqual(deal.currency_id, self.euro)
        self.assertEqual(deal.amount, 1000.0)
        self.assertEqual(deal.company_currency_id, chf)

        # Another viewer reads the same currency.
        self.assertEqual(deal.with_user(self.manager).currency_id, self.euro)
