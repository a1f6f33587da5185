from odoo import fields
from odoo.tests import TransactionCase, tagged

DEMO_MARKER = "corymbus_crm.corymbus_demo_opportunity_brasserie_port_kitchen"
SALESPEOPLE = {
    "camille": "corymbus_crm.group_corymbus_user",
    "julien": "corymbus_crm.group_corymbus_user_all",
    "sofia": "corymbus_crm.group_corymbus_user_all",
}
STAGES = ["lead", "qualified", "proposal", "negotiation", "won", "lost"]


@tagged("post_install", "-at_install", "corymbus_demo")
class TestDemoData(TransactionCase):
    """The demo set: a French small business with a lively, multi-currency pipeline.

    The checks only make sense on a database installed with demo data; on any
    other database every test is skipped.
    """

    def setUp(self):
        super().setUp()
        if not self.env.ref(DEMO_MARKER, raise_if_not_found=False):
            self.skipTest("corymbus_crm was installed without its demo data")

        self.company = self.env.ref("base.main_company")
        self.partners = self._demo_records("res.partner", "partner")
        self.companies = self.partners.filtered("is_company")
        self.persons = self.partners - self.companies
        self.opportunities = self._demo_records("corymbus.opportunity", "opportunity")
        self.users = self.env["res.users"].search(
            [("login", "in", [*SALESPEOPLE, "nathalie"])]
        )

    def _demo_records(self, model, kind):
        """The records of ``model`` that the demo files of corymbus_crm created.

        Only XML ids named after ``kind``: the partners Odoo creates for the demo
        users are not part of the contacts set.
        """
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "corymbus_crm"),
                ("model", "=", model),
                ("name", "=like", f"corymbus_demo_{kind}_%"),
            ]
        )
        return self.env[model].browse(data.mapped("res_id")).exists()

    def _rate(self, currency, date):
        """The rate of ``currency`` on ``date``, read from the rate records.

        Independent of ``res.currency._convert``: the latest rate of the main
        company on or before the date, else its earliest rate, else 1.
        """
        rates = self.env["res.currency.rate"].search(
            [
                ("currency_id", "=", currency.id),
                ("company_id", "in", (False, self.company.id)),
            ],
            order="name",
        )
        own_rates = rates.filtered("company_id") or rates
        earlier = own_rates.filtered(lambda r: r.name <= date)
        if earlier:
            return earlier[-1].rate
        return own_rates[:1].rate or 1.0

    def test_companies_and_people(self):
        self.assertGreaterEqual(len(self.companies), 20)
        self.assertGreaterEqual(len(self.persons), 50)

        for company in self.companies:
            self.assertEqual(company.country_id, self.env.ref("base.fr"))
            self.assertTrue(company.phone.startswith("+33 "), company.name)
            self.assertRegex(company.website, r"\.example\.(fr|com)$")
        self.assertTrue(self.companies.industry_id, "some companies have an industry")

        # Every person works for a demo company and has its e-mail domain.
        for person in self.persons:
            self.assertIn(person.parent_id, self.companies, person.name)
            domain = person.parent_id.website.removeprefix("https://www.")
            self.assertTrue(person.email.endswith("@" + domain), person.email)
            self.assertTrue(person.function, person.name)
            self.assertTrue(person.phone.startswith("+33 "), person.name)

    def test_partner_contacts_on_other_companies_deals(self):
        partner_role = self.env.ref("corymbus_crm.corymbus_contact_role_partner")
        lines = self.opportunities.contact_line_ids.filtered(
            lambda line: line.role_id == partner_role
        )
        self.assertGreaterEqual(len(lines), 5)
        for line in lines:
            self.assertNotEqual(
                line.partner_id.parent_id, line.opportunity_id.partner_id
            )

        # A partner company sees the deals its people take part in.
        installer = self.env.ref("corymbus_crm.corymbus_demo_partner_froid_atlantique")
        deals = self.env["corymbus.opportunity"].search(
            installer._corymbus_opportunity_domain()
        )
        self.assertGreater(len(deals.partner_id - installer), 3)

    def test_salespeople(self):
        installed_languages = [
            code for code, _name in self.env["res.lang"].get_installed()
        ]
        self.assertEqual(len(self.users), 4)
        for user in self.users:
            self.assertEqual(user.tz, "Europe/Paris")
            self.assertEqual(user.company_id, self.company)
            auth = (
                user.with_user(user)
                .sudo()
                ._check_credentials(
                    {"login": user.login, "password": user.login, "type": "password"},
                    {"interactive": True},
                )
            )
            self.assertEqual(auth["uid"], user.id)
            self.assertIn(user.lang, installed_languages)

        salespeople = self.opportunities.user_id
        self.assertEqual(sorted(salespeople.mapped("login")), sorted(SALESPEOPLE))
        for user in salespeople:
            self.assertTrue(user.has_group(SALESPEOPLE[user.login]))
        camille = salespeople.filtered(lambda u: u.login == "camille")
        self.assertFalse(camille.has_group("corymbus_crm.group_corymbus_user_all"))
        manager = self.users - salespeople
        self.assertTrue(manager.has_group("corymbus_crm.group_corymbus_manager"))
        self.assertTrue(self.opportunities.filtered(lambda o: not o.user_id))

    def test_pipeline_covers_every_stage(self):
        self.assertGreaterEqual(len(self.opportunities), 60)
        for code in STAGES:
            stage = self.env.ref(f"corymbus_crm.corymbus_stage_{code}")
            self.assertIn(stage, self.opportunities.stage_id, code)
        self.assertEqual(set(self.opportunities.mapped("company_id")), {self.company})
        for opportunity in self.opportunities:
            self.assertGreaterEqual(opportunity.amount, 2000.0, opportunity.name)
            self.assertLessEqual(opportunity.amount, 150000.0, opportunity.name)
            self.assertTrue(opportunity.contact_line_ids, opportunity.name)

        # The pipeline looks alive whatever the day: late, due and later deals.
        open_deals = self.opportunities.filtered(lambda o: not (o.is_won or o.is_lost))
        self.assertEqual(
            set(open_deals.mapped("close_state")), {"overdue", "this_month", "later"}
        )

    def test_won_and_lost_deals(self):
        today = fields.Date.context_today(self.env["corymbus.opportunity"])
        won = self.opportunities.filtered("is_won")
        lost = self.opportunities.filtered("is_lost")
        self.assertGreaterEqual(len(won), 5)
        self.assertGreaterEqual(len(lost), 5)
        for opportunity in won:
            self.assertTrue(opportunity.date_won, opportunity.name)
            self.assertLessEqual(opportunity.date_won, today)
            self.assertFalse(opportunity.date_lost)
            self.assertEqual(opportunity.probability, 100.0)
        for opportunity in lost:
            self.assertTrue(opportunity.date_lost, opportunity.name)
            self.assertLessEqual(opportunity.date_lost, today)
            self.assertTrue(opportunity.lost_reason_id, opportunity.name)
            self.assertFalse(opportunity.date_won)
            self.assertEqual(opportunity.probability, 0.0)

    def test_probabilities_follow_stages_unless_set_by_hand(self):
        manual = self.opportunities.filtered("is_probability_manual")
        self.assertGreaterEqual(len(manual), 3)
        for opportunity in manual:
            self.assertFalse(opportunity.is_won or opportunity.is_lost)
            self.assertNotEqual(
                opportunity.probability, opportunity.stage_id.probability
            )
        for opportunity in self.opportunities - manual:
            self.assertEqual(
                opportunity.probability,
                opportunity.stage_id.probability,
                opportunity.name,
            )

    def test_currencies(self):
        euro = self.env.ref("base.EUR")
        # Invoicing, when it comes in the same install, gives a company without a
        # chart of accounts Odoo's generic chart, in US dollars.
        if "chart_template" not in self.company._fields:
            self.assertEqual(self.company.currency_id, euro)
        currencies = self.opportunities.currency_id
        for code in ("USD", "GBP"):
            currency = self.env.ref(f"base.{code}")
            self.assertIn(currency, currencies)
            self.assertTrue(currency.active)
        in_euros = self.opportunities.filtered(lambda o: o.currency_id == euro)
        self.assertGreater(len(in_euros), len(self.opportunities) / 2)

    def test_weighted_amounts_in_company_currency(self):
        euro = self.company.currency_id
        expected_total = 0.0
        for opportunity in self.opportunities:
            date = opportunity.date_deadline
            ratio = self._rate(euro, date) / self._rate(opportunity.currency_id, date)
            amount = opportunity.amount * ratio
            weighted = amount * opportunity.probability / 100.0
            self.assertAlmostEqual(
                opportunity.amount_company, amount, delta=0.01, msg=opportunity.name
            )
            self.assertAlmostEqual(
                opportunity.weighted_amount_company,
                weighted,
                delta=0.01,
                msg=opportunity.name,
            )
            expected_total += euro.round(weighted)
            if opportunity.currency_id != euro:
                self.assertNotAlmostEqual(
                    opportunity.amount_company, opportunity.amount
                )

        [(total,)] = self.env["corymbus.opportunity"]._read_group(
            [("id", "in", self.opportunities.ids)], [], ["weighted_amount_company:sum"]
        )
        self.assertAlmostEqual(total, expected_total, delta=0.01)
