from datetime import date, timedelta

import pytz
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import CorymbusCase

DEMO_MARKER = "corymbus_crm.corymbus_demo_opportunity_brasserie_port_kitchen"
MARCH = {"period": "custom", "date_from": "2026-03-01", "date_to": "2026-03-31"}
OPPORTUNITY_TILES = ("open", "won", "lost", "win_rate", "average_won", "sales_cycle")


class DashboardCase(CorymbusCase):
    """Company in EUR, 1 USD = 0.90 EUR from 2026-03-01, the cases' stage ladder.

    The company is the tests' own: the main one may hold demo deals, and its
    currency may be locked by accounting entries.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_case_ladder()
        cls._use_own_company("Corymbus Tableau de bord", cls.euro)
        cls.usd.active = True
        cls.env["res.currency.rate"].search(
            [("currency_id", "in", (cls.usd | cls.euro).ids)]
        ).unlink()
        cls.env["res.currency.rate"].create(
            {
                "name": "2026-03-01",
                "currency_id": cls.usd.id,
                "rate": 1 / 0.9,
                "company_id": cls.company.id,
            }
        )
        cls.Dashboard = cls.env["corymbus.dashboard"]
        cls.Opportunity = cls.env["corymbus.opportunity"]
        cls.seller = cls.salesman_all
        # Days are UTC days here, whatever the machine running the tests.
        (cls.salesman | cls.salesman_all | cls.manager).tz = "UTC"

    @classmethod
    def _deal(cls, name, amount, stage, **values):
        """An opportunity of ``stage``; ``created`` sets its creation date."""
        created = values.pop("created", None)
        values.setdefault("currency_id", cls.euro.id)
        deal = cls._create_opportunity(
            name=name, amount=amount, stage_id=stage.id, **values
        )
        if created:
            cls.env.cr.execute(
                "UPDATE corymbus_opportunity SET create_date = %s WHERE id = %s",
                (f"{created} 09:00:00", deal.id),
            )
            deal.invalidate_recordset(["create_date"])
        return deal

    def _data(self, user, scope="me", **kwargs):
        params = dict(MARCH)
        params.update(kwargs)
        return self.Dashboard.with_user(user).get_dashboard_data(scope=scope, **params)

    @staticmethod
    def _figure_lists(data):
        """(label, model, domain, count) of every figure that opens records."""
        opportunity = "corymbus.opportunity"
        figures = [
            (key, opportunity, figure["domain"], figure["count"])
            for key, figure in data["figures"].items()
        ]
        figures += [
            (f"stage {row['name']}", opportunity, row["domain"], row["count"])
            for row in data["by_stage"]
        ]
        figures += [
            (f"month {row['month']}", opportunity, row["domain"], row["count"])
            for row in data["forecast"]
        ]
        figures += [
            (f"top {row['name']}", opportunity, row["domain"], 1) for row in data["top"]
        ]
        activities = data["activities"]
        rows = [("total", activities["totals"])]
        rows += [(f"type {row['name']}", row) for row in activities["by_type"]]
        rows += [(f"owner {row['name']}", row) for row in activities["by_owner"]]
        for label, row in rows:
            for state in ("done", "planned", "overdue"):
                figures.append(
                    (
                        f"activities {label} {state}",
                        activities["model"],
                        row[state]["domain"],
                        row[state]["count"],
                    )
                )
        return figures

    def _assert_lists_match(self, user, data):
        """Each figure counts exactly what the list it opens shows to ``user``."""
        for label, model, domain, count in self._figure_lists(data):
            with self.subTest(user=user.login, figure=label):
                listed = self.env[model].with_user(user).search_count(domain)
                self.assertEqual(listed, count)

    def _assert_lists_match_for_roles(self, **params):
        """Every figure's list matches its count, for each role and scope."""
        for user in (self.salesman, self.salesman_all, self.manager):
            for scope in ("me", "all"):
                with self.subTest(scope=scope):
                    data = self._data(user, scope=scope, **params)
                    self._assert_lists_match(user, data)

    @classmethod
    def _activity(cls, name, activity_type, state="planned", **values):
        """An activity of ``cls.seller`` unless told; ``when`` is its start."""
        when = values.pop("when", None)
        if when is not None:
            values.setdefault("date_start", when)
        values.setdefault("user_id", cls.seller.id)
        return cls.env["corymbus.activity"].create(
            dict(
                values,
                name=name,
                type_id=cls.env.ref(
                    f"corymbus_crm.corymbus_activity_type_{activity_type}"
                ).id,
                state=state,
            )
        )


@tagged("post_install", "-at_install", "corymbus_dashboard")
class TestDashboardFigures(DashboardCase):
    """Each figure on a known data set, to the cent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        deal = cls._deal
        seller = {"user_id": cls.seller.id}

        # Open pipeline: 17,500.00 in EUR, of which 7,250.00 weighted.
        cls.alder = deal(
            "Alder Mills",
            10000,
            cls.stage_proposal,
            date_deadline="2026-03-20",
            **seller,
        )
        cls.birch = deal(
            "Birch Tools",
            5000,
            cls.stage_negotiation,
            currency_id=cls.usd.id,
            date_deadline="2026-03-15",
            **seller,
        )
        cls.cedar = deal(
            "Cedar Works", 2000, cls.stage_lead, date_deadline="2026-04-10", **seller
        )
        cls.dune = deal("Dune Labs", 1000, cls.stage_qualified, **seller)
        cls.dune.probability = 35.0

        # Won in March: 3,000 EUR after 30 days, 1,200 USD after 10 days.
        cls.elm = deal(
            "Elm Retail",
            3000,
            cls.stage_won,
            date_won="2026-03-05",
            created="2026-02-03",
            **seller,
        )
        cls.fir = deal(
            "Fir Hotels",
            1200,
            cls.stage_won,
            currency_id=cls.usd.id,
            date_deadline="2026-03-01",
            date_won="2026-03-25",
            created="2026-03-15",
            **seller,
        )
        cls.gorse = deal(
            "Gorse Cafe", 9999, cls.stage_won, date_won="2026-02-20", **seller
        )

        # Lost: one in March, one in April.
        cls.hazel = deal(
            "Hazel Print", 700, cls.stage_lost, date_lost="2026-03-10", **seller
        )
        cls.iris = deal(
            "Iris Media", 800, cls.stage_lost, date_lost="2026-04-02", **seller
        )

        # Neither an archived deal nor a colleague's count.
        cls.juniper = deal("Juniper Old", 50000, cls.stage_proposal, **seller)
        cls.juniper.action_archive()
        cls.kiln = deal(
            "Kiln Studio", 40000, cls.stage_proposal, user_id=cls.salesman.id
        )

    def test_headline_figures(self):
        data = self._data(self.seller)
        figures = data["figures"]

        self.assertEqual(data["period"]["date_from"], "2026-03-01")
        self.assertEqual(data["period"]["date_to"], "2026-03-31")
        self.assertEqual(data["currency_id"], self.euro.id)
        self.assertEqual(
            {key: figures["open"][key] for key in ("count", "amount", "weighted")},
            {"count": 4, "amount": 17500.00, "weighted": 7250.00},
        )
        self.assertEqual(
            {key: figures["won"][key] for key in ("count", "amount")},
            {"count": 2, "amount": 4080.00},
        )
        self.assertEqual(
            {key: figures["lost"][key] for key in ("count", "amount")},
            {"count": 1, "amount": 700.00},
        )
        self.assertEqual(figures["win_rate"]["value"], 66.67)
        self.assertEqual(figures["win_rate"]["count"], 3)
        self.assertEqual(figures["average_won"]["value"], 2040.00)
        self.assertEqual(figures["sales_cycle"]["value"], 20.00)

    def test_pipeline_by_stage(self):
        data = self._data(self.seller)
        by_stage = {row["stage_id"]: row for row in data["by_stage"]}

        expected = {
            self.stage_lead: (1, 2000.00, 200.00),
            self.stage_qualified: (1, 1000.00, 350.00),
            self.stage_proposal: (1, 10000.00, 4000.00),
            self.stage_negotiation: (1, 4500.00, 2700.00),
        }
        for stage, (count, amount, weighted) in expected.items():
            row = by_stage.pop(stage.id)
            self.assertEqual(
                (row["count"], row["amount"], row["weighted"]),
                (count, amount, weighted),
                stage.name,
            )
        self.assertFalse(
            [row for row in by_stage.values() if row["count"]],
            "Only open stages are listed, and the ones above hold every deal.",
        )
        self.assertNotIn(self.stage_won.id, by_stage)

    def test_forecast_by_month(self):
        data = self._data(self.seller, date_from="2026-02-15", date_to="2026-04-30")

        self.assertEqual(
            [
                (row["month"], row["count"], row["amount"], row["weighted"])
                for row in data["forecast"]
            ],
            [
                ("2026-02-01", 0, 0.00, 0.00),
                ("2026-03-01", 2, 14500.00, 6700.00),
                ("2026-04-01", 1, 2000.00, 200.00),
            ],
        )
        # The first month starts with the period, not with the month.
        self.assertIn(
            ("date_deadline", ">=", "2026-02-15"), data["forecast"][0]["domain"]
        )

    def test_top_open_opportunities(self):
        data = self._data(self.seller)

        self.assertEqual(
            [(row["name"], row["weighted"]) for row in data["top"]],
            [
                ("Alder Mills", 4000.00),
                ("Birch Tools", 2700.00),
                ("Dune Labs", 350.00),
                ("Cedar Works", 200.00),
            ],
        )
        self.assertEqual(data["top"][1]["amount"], 4500.00)

    def test_every_figure_opens_its_records(self):
        """The list a figure opens holds exactly what it counts, for every role."""
        self._assert_lists_match_for_roles()

    def test_each_figure_opens_exactly_the_deals_it_counts(self):
        data = self._data(self.seller)
        Opportunity = self.Opportunity.with_user(self.seller)
        open_deals = self.alder | self.birch | self.cedar | self.dune
        won = self.elm | self.fir
        expected = {
            "open": open_deals,
            "won": won,
            "lost": self.hazel,
            "win_rate": won | self.hazel,
            "average_won": won,
            "sales_cycle": won,
            "stalled": Opportunity,
        }

        self.assertEqual(set(data["figures"]), set(expected))
        for key, deals in expected.items():
            with self.subTest(figure=key):
                figure = data["figures"][key]
                self.assertEqual(Opportunity.search(figure["domain"]), deals)
                self.assertEqual(figure["count"], len(deals))
        by_stage = {
            row["stage_id"]: Opportunity.search(row["domain"])
            for row in data["by_stage"]
        }
        self.assertEqual(by_stage[self.stage_lead.id], self.cedar)
        self.assertEqual(by_stage[self.stage_qualified.id], self.dune)
        self.assertEqual(by_stage[self.stage_proposal.id], self.alder)
        self.assertEqual(by_stage[self.stage_negotiation.id], self.birch)
        (march,) = data["forecast"]
        self.assertEqual(Opportunity.search(march["domain"]), self.alder | self.birch)
        self.assertEqual(
            [Opportunity.search(row["domain"]) for row in data["top"]],
            [self.alder, self.birch, self.dune, self.cedar],
        )

    def test_sales_cycle_is_never_negative(self):
        """A deal recorded won before its creation counts as won on that day.

        Imported or demo deals may carry a won date older than their creation;
        they must not pull the average below zero.
        """
        self._deal(
            "Imported win",
            600,
            self.stage_won,
            date_won="2026-03-10",
            created="2026-03-28",
            user_id=self.seller.id,
        )
        figures = self._data(self.seller)["figures"]

        # Elm 30 days, Fir 10 days, the imported win 0 days.
        self.assertEqual(figures["sales_cycle"]["value"], 13.33)
        self.assertEqual(figures["sales_cycle"]["count"], 3)
        self.assertEqual(figures["average_won"]["value"], 1560.00)

    def test_sales_cycle_counts_the_days_of_the_user(self):
        """Creation and win are compared as days of the user's time zone."""
        self.seller.tz = "Europe/Paris"
        late = self._deal(
            "Late evening lead",
            100,
            self.stage_won,
            date_won="2026-03-25",
            user_id=self.seller.id,
        )
        # 23:30 UTC on the 14th is already the 15th in Paris: 10 days, not 11.
        self.env.cr.execute(
            "UPDATE corymbus_opportunity SET create_date = %s WHERE id = %s",
            ("2026-03-14 23:30:00", late.id),
        )
        late.invalidate_recordset(["create_date"])
        (self.elm | self.fir).action_archive()

        figures = self._data(self.seller)["figures"]
        self.assertEqual(figures["sales_cycle"]["count"], 1)
        self.assertEqual(figures["sales_cycle"]["value"], 10.00)

    def test_empty_period(self):
        data = self._data(self.seller, date_from="2025-01-01", date_to="2025-01-31")
        figures = data["figures"]

        self.assertEqual(figures["won"]["count"], 0)
        self.assertIs(figures["win_rate"]["value"], False)
        self.assertIs(figures["average_won"]["value"], False)
        self.assertIs(figures["sales_cycle"]["value"], False)
        self.assertEqual(figures["open"]["count"], 4, "The open pipeline is today's.")

    def test_periods(self):
        with freeze_time("2026-05-18 10:00:00"):
            bounds = {
                period: (
                    data["period"]["date_from"],
                    data["period"]["date_to"],
                )
                for period in ("month", "quarter", "year")
                for data in [self.Dashboard.get_dashboard_data(period=period)]
            }
        self.assertEqual(
            bounds,
            {
                "month": ("2026-05-01", "2026-05-31"),
                "quarter": ("2026-04-01", "2026-06-30"),
                "year": ("2026-01-01", "2026-12-31"),
            },
        )

        for dates in ((False, "2026-03-31"), ("2026-04-01", "2026-03-31")):
            with self.subTest(dates=dates), self.assertRaises(UserError):
                self.Dashboard.get_dashboard_data(
                    period="custom", date_from=dates[0], date_to=dates[1]
                )
        with self.assertRaises(UserError):
            self.Dashboard.get_dashboard_data(period="decade")
        with self.assertRaises(UserError):
            self.Dashboard.get_dashboard_data(scope="user")


@tagged("post_install", "-at_install", "corymbus_dashboard")
class TestDashboardCases(DashboardCase):
    """BR-06 and BR-08 as the dashboard shows them."""

    def test_br06_weighted_total_is_a_sum_of_products(self):
        fjord = self._deal("Fjord Glass", 100, self.stage_qualified)
        fjord.probability = 99.0
        kestrel = self._deal("Kestrel Print", 200, self.stage_qualified)
        kestrel.probability = 0.0

        data = self._data(self.salesman)
        self.assertEqual(data["figures"]["open"]["weighted"], 99.00)
        self.assertEqual(data["figures"]["open"]["amount"], 300.00)
        qualified = next(
            row
            for row in data["by_stage"]
            if row["stage_id"] == self.stage_qualified.id
        )
        self.assertEqual(qualified["weighted"], 99.00)

        cormorant = self._deal("Cormorant", 50, self.stage_proposal)
        cormorant.probability = 50.0
        data = self._data(self.salesman)
        self.assertEqual(data["figures"]["open"]["weighted"], 124.00)

    def test_br08_amounts_in_company_currency(self):
        self._deal(
            "D1",
            50,
            self.stage_qualified,
            currency_id=self.usd.id,
            date_deadline="2026-03-01",
            probability=50.0,
        )
        self._deal(
            "D2",
            50,
            self.stage_qualified,
            date_deadline="2026-03-01",
            probability=50.0,
        )

        data = self._data(self.salesman)
        self.assertEqual(data["figures"]["open"]["amount"], 95.00)
        self.assertEqual(data["figures"]["open"]["weighted"], 47.50)
        self.assertEqual(data["forecast"][0]["amount"], 95.00)
        self.assertEqual(data["forecast"][0]["weighted"], 47.50)
        self.assertEqual(data["currency_id"], self.euro.id)


@tagged("post_install", "-at_install", "corymbus_dashboard")
class TestDashboardAccess(DashboardCase):
    """The dashboard shows each role what their own search returns, no more."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        owners = [cls.salesman, cls.salesman_all, cls.manager, cls.env["res.users"]]
        stages = [
            cls.stage_lead,
            cls.stage_proposal,
            cls.stage_negotiation,
            cls.stage_won,
            cls.stage_lost,
        ]
        for index in range(20):
            stage = stages[index % len(stages)]
            values = {
                "user_id": owners[index % len(owners)].id,
                "date_deadline": f"2026-03-{index % 28 + 1:02d}",
                "currency_id": (cls.usd if index % 3 else cls.euro).id,
            }
            if stage.is_won:
                values["date_won"] = "2026-03-12"
            if stage.is_lost:
                values["date_lost"] = "2026-03-13"
            cls._deal(f"Access deal {index}", 1000 + 37.5 * index, stage, **values)

        # Activities of every owner around today: done, to come, overdue.
        now = fields.Datetime.now()
        deals = cls.Opportunity.search([("name", "=like", "Access deal %")])
        for index, deal in enumerate(deals):
            state = ("done", "planned", "planned")[index % 3]
            values = {
                "when": now + timedelta(days=(-1, 2, -3)[index % 3]),
                "user_id": owners[index // 3 % 3].id,
                "opportunity_id": deal.id,
            }
            if state == "done":
                values["date_done"] = now - timedelta(hours=1)
            cls._activity(
                f"Access activity {index}",
                ("call", "meeting", "email")[index % 3],
                state,
                **values,
            )

    def _assert_same_as_search(self, user, scope):
        """Every figure equals what ``user``'s own search returns, summed here.

        The expected values come from a plain search as ``user`` and Python
        sums over the records, not from the domains the dashboard returns.
        Checked over March (the deals' closing month) and this month (the
        activities' one).
        """
        self._assert_period_same_as_search(user, scope, period="month")
        return self._assert_period_same_as_search(user, scope)

    def _assert_period_same_as_search(self, user, scope, **params):
        data = self._data(user, scope=scope, **params)
        figures = data["figures"]
        start = fields.Date.to_date(data["period"]["date_from"])
        end = fields.Date.to_date(data["period"]["date_to"])
        mine = [("user_id", "=", user.id)] if scope == "me" else []
        deals = self.Opportunity.with_user(user).search(
            [("company_id", "=", self.company.id), *mine]
        )
        open_deals = deals.filtered(lambda deal: not (deal.is_won or deal.is_lost))
        won = deals.filtered(lambda deal: deal.is_won and start <= deal.date_won <= end)
        lost = deals.filtered(
            lambda deal: deal.is_lost and start <= deal.date_lost <= end
        )

        def total(records, field="amount_company"):
            return round(sum(records.mapped(field)), 2)

        self.assertEqual(
            {key: figures["open"][key] for key in ("count", "amount", "weighted")},
            {
                "count": len(open_deals),
                "amount": total(open_deals),
                "weighted": total(open_deals, "weighted_amount_company"),
            },
        )
        for key, records in (("won", won), ("lost", lost)):
            self.assertEqual(
                (figures[key]["count"], figures[key]["amount"]),
                (len(records), total(records)),
                key,
            )
        closed = len(won) + len(lost)
        self.assertEqual(
            figures["win_rate"]["value"],
            round(100.0 * len(won) / closed, 2) if closed else False,
        )
        self.assertEqual(
            figures["average_won"]["value"],
            round(total(won) / len(won), 2) if won else False,
        )
        cycles = [
            max((deal.date_won - deal.create_date.date()).days, 0) for deal in won
        ]
        self.assertEqual(
            figures["sales_cycle"]["value"],
            round(sum(cycles) / len(cycles), 2) if cycles else False,
        )

        for row in data["by_stage"]:
            records = open_deals.filtered(
                lambda deal, stage_id=row["stage_id"]: deal.stage_id.id == stage_id
            )
            self.assertEqual(
                (row["count"], row["amount"], row["weighted"]),
                (
                    len(records),
                    total(records),
                    total(records, "weighted_amount_company"),
                ),
                row["name"],
            )
        for row in data["forecast"]:
            month = fields.Date.to_date(row["month"])
            records = open_deals.filtered(
                lambda deal, month=month: (
                    deal.date_deadline
                    and max(start, month) <= deal.date_deadline <= end
                    and (deal.date_deadline.year, deal.date_deadline.month)
                    == (month.year, month.month)
                )
            )
            self.assertEqual(
                (row["count"], row["amount"], row["weighted"]),
                (
                    len(records),
                    total(records),
                    total(records, "weighted_amount_company"),
                ),
                row["month"],
            )
        heaviest = open_deals.sorted(
            lambda deal: (-deal.weighted_amount_company, deal.id)
        )[:5]
        self.assertEqual([row["id"] for row in data["top"]], heaviest.ids)
        self._assert_activities_same_as_search(user, scope, data)
        return data

    def _assert_activities_same_as_search(self, user, scope, data):
        """Activity counts equal what ``user``'s own search of activities holds."""
        start = fields.Date.to_date(data["period"]["date_from"])
        end = fields.Date.to_date(data["period"]["date_to"])
        mine = [("user_id", "=", user.id)] if scope == "me" else []
        activities = (
            self.env["corymbus.activity"]
            .with_user(user)
            .search([("company_id", "=", self.company.id), *mine])
        )
        by_state = {
            "done": activities.filtered(
                lambda act: act.state == "done" and start <= act.date_done.date() <= end
            ),
            "planned": activities.filtered(
                lambda act: (
                    act.state == "planned"
                    and not act.is_overdue
                    and start <= act.date_day <= end
                )
            ),
            "overdue": activities.filtered("is_overdue"),
        }
        totals = data["activities"]["totals"]
        self.assertEqual(
            {state: totals[state]["count"] for state in by_state},
            {state: len(records) for state, records in by_state.items()},
        )
        self.assertTrue(any(by_state.values()), "The data set has activities.")
        by_owner = {row["user_id"]: row for row in data["activities"]["by_owner"]}
        owners = activities.user_id.filtered(
            lambda owner: any(owner in records.user_id for records in by_state.values())
        )
        self.assertEqual(set(by_owner), set(owners.ids))
        for owner in owners:
            for state, records in by_state.items():
                self.assertEqual(
                    by_owner[owner.id][state]["count"],
                    len(records.filtered(lambda act, o=owner: act.user_id == o)),
                    f"{owner.name} {state}",
                )

    def test_own_only_salesman_sees_own_and_unassigned(self):
        data = self._assert_same_as_search(self.salesman, "all")

        visible = self.Opportunity.with_user(self.salesman).search(
            data["figures"]["open"]["domain"]
        )
        self.assertTrue(visible)
        self.assertEqual(
            set(visible.user_id.ids), {self.salesman.id}, "plus unassigned ones"
        )
        self.assertIn(False, [deal.user_id.id or False for deal in visible])
        all_open = self.Opportunity.search(data["figures"]["open"]["domain"])
        self.assertLess(data["figures"]["open"]["count"], len(all_open))
        choices = self._data(self.salesman, scope="all", with_salespeople=True)
        self.assertFalse(choices["can_choose_salesperson"])
        self.assertEqual(choices["salespeople"], [], "No colleague to pick from.")

        # Asking for a colleague's figures shows nothing of them.
        colleague = self._data(self.salesman, scope="user", user_id=self.manager.id)
        self.assertEqual(colleague["figures"]["open"]["count"], 0)
        self.assertEqual(colleague["figures"]["won"]["amount"], 0.0)

    def test_all_salesman_and_manager_see_every_deal(self):
        for user in (self.salesman_all, self.manager):
            with self.subTest(user=user.login):
                data = self._assert_same_as_search(user, "all")
                every = self.Opportunity.search(data["figures"]["open"]["domain"])
                self.assertEqual(data["figures"]["open"]["count"], len(every))
                choices = self._data(user, scope="all", with_salespeople=True)
                self.assertTrue(choices["can_choose_salesperson"])
                self.assertIsNone(data["salespeople"], "Asked for on first load only.")
                self.assertIn(
                    self.salesman.id,
                    [person["id"] for person in choices["salespeople"]],
                )
                self._assert_same_as_search(user, "me")

                colleague = self._data(user, scope="user", user_id=self.salesman.id)
                deals = self.Opportunity.search(colleague["figures"]["open"]["domain"])
                self.assertEqual(deals.user_id, self.salesman)

    def test_other_company_stays_out(self):
        other = self.env["res.company"].create(
            {"name": "Corymbus Belgique", "currency_id": self.euro.id}
        )
        self.manager.company_ids |= other
        self.Opportunity.create(
            {
                "name": "Brussels deal",
                "amount": 99999,
                "company_id": other.id,
                "currency_id": self.euro.id,
                "user_id": self.manager.id,
                "stage_id": self.stage_proposal.id,
            }
        )

        data = self._data(self.manager, scope="me")
        self.assertNotIn("Brussels deal", [row["name"] for row in data["top"]])
        in_belgium = self.Dashboard.with_user(self.manager).with_company(other)
        data = in_belgium.get_dashboard_data(scope="me", **MARCH)
        self.assertEqual(data["figures"]["open"]["amount"], 99999.00)

    def test_portal_user_is_refused(self):
        with self.assertRaises(AccessError):
            self._data(self.portal_user, scope="all")


@tagged("post_install", "-at_install", "corymbus_dashboard", "corymbus_perf")
class TestDashboardQueryCount(DashboardCase):
    """One refresh costs the same number of queries at any size."""

    QUERIES = 11

    def _seed(self, count, start):
        stages = [
            self.stage_lead,
            self.stage_qualified,
            self.stage_proposal,
            self.stage_negotiation,
            self.stage_won,
            self.stage_lost,
        ]
        vals_list = []
        for index in range(start, start + count):
            stage = stages[index % len(stages)]
            vals_list.append(
                {
                    "name": f"Seeded deal {index}",
                    "partner_id": self.customer.id,
                    "user_id": self.salesman_all.id,
                    "stage_id": stage.id,
                    "amount": 500 + index,
                    "currency_id": (self.usd if index % 2 else self.euro).id,
                    "date_deadline": date(2026, 3, index % 28 + 1),
                    "date_won": "2026-03-10" if stage.is_won else False,
                    "date_lost": "2026-03-11" if stage.is_lost else False,
                }
            )
        deals = self.Opportunity.create(vals_list)
        now = fields.Datetime.now()
        self.env["corymbus.activity"].create(
            [
                {
                    "name": f"Seeded activity {index}",
                    "opportunity_id": deal.id,
                    "user_id": (self.salesman_all, self.manager)[index % 2].id,
                    "state": ("planned", "done")[index % 2],
                    "date_start": now + timedelta(days=index % 7 - 3),
                    "date_done": now if index % 2 else False,
                }
                for index, deal in enumerate(deals)
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()

    def _count_queries(self, user):
        # Warm the registry caches (access rules) as earlier requests would.
        Dashboard = self.Dashboard.with_user(user)
        for _warm_up in range(2):
            self.env.invalidate_all()
            Dashboard.get_dashboard_data(scope="all", **MARCH)
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        with self.assertQueryCount(self.QUERIES):
            data = Dashboard.get_dashboard_data(scope="all", **MARCH)
        return self.cr.sql_log_count - before, data

    def test_same_query_count_for_10_and_200(self):
        self._seed(10, 0)
        small_queries, small = self._count_queries(self.salesman_all)

        self._seed(190, 10)
        self.env.invalidate_all()
        large_queries, large = self._count_queries(self.salesman_all)

        self.assertEqual(small_queries, large_queries)
        self.assertGreater(
            large["figures"]["open"]["count"], small["figures"]["open"]["count"]
        )
        self.assertEqual(len(large["top"]), 5)


@tagged("post_install", "-at_install", "corymbus_dashboard")
class TestDashboardSettings(DashboardCase):
    def test_stalled_days_setting(self):
        self.assertEqual(self.Dashboard.get_dashboard_data(**MARCH)["stalled_days"], 14)

        settings = self.env["res.config.settings"].create({"corymbus_stalled_days": 30})
        settings.execute()
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("corymbus_crm.stalled_days"), "30"
        )
        self.assertEqual(self.Dashboard.get_dashboard_data(**MARCH)["stalled_days"], 30)

    def test_new_user_sees_an_empty_dashboard(self):
        newcomer = new_test_user(
            self.env,
            login="corymbus_newcomer",
            groups="corymbus_crm.group_corymbus_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        data = self._data(newcomer)
        self.assertEqual(data["figures"]["open"]["count"], 0)
        self.assertEqual(data["top"], [])
        self.assertTrue(all(row["count"] == 0 for row in data["by_stage"]))


@tagged("post_install", "-at_install", "corymbus_dashboard")
class TestDashboardActivities(DashboardCase):
    """Activities done, planned and overdue, by type and owner, as each role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["corymbus.dashboard"])
        now = fields.Datetime.now()
        cls.period = {
            "period": "custom",
            "date_from": fields.Date.to_string(today - timedelta(days=30)),
            "date_to": fields.Date.to_string(today + timedelta(days=30)),
        }
        deal = cls._deal("Larch Foods", 1000, cls.stage_proposal, user_id=cls.seller.id)
        links = {"opportunity_id": deal.id}
        activity = cls._activity

        activity(
            "Call done", "call", "done", date_done=now - timedelta(days=2), **links
        )
        activity(
            "Old call", "call", "done", date_done=now - timedelta(days=60), **links
        )
        activity("Demo", "meeting", when=now + timedelta(days=2), **links)
        activity("Late meeting", "meeting", when=now - timedelta(days=3), **links)
        activity(
            "Forgotten e-mail",
            "email",
            is_all_day=True,
            all_day_start=today - timedelta(days=45),
            **links,
        )
        activity("Dropped call", "call", "cancelled", when=now, **links)
        activity("Next quarter", "call", when=now + timedelta(days=60), **links)
        activity(
            "Manager's visit",
            "meeting",
            "done",
            date_done=now - timedelta(days=1),
            user_id=cls.manager.id,
            **links,
        )

    def _activities(self, user, scope="me", **kwargs):
        return self._data(user, scope=scope, **dict(self.period, **kwargs))[
            "activities"
        ]

    @staticmethod
    def _counts(row):
        return tuple(row[state]["count"] for state in ("done", "planned", "overdue"))

    def test_counts_by_type_and_owner(self):
        activities = self._activities(self.seller)

        self.assertEqual(activities["model"], "corymbus.activity")
        self.assertEqual(self._counts(activities["totals"]), (1, 1, 2))
        by_type = {row["name"]: self._counts(row) for row in activities["by_type"]}
        self.assertEqual(by_type["Call"], (1, 0, 0))
        self.assertEqual(by_type["Meeting"], (0, 1, 1))
        self.assertEqual(by_type["E-mail"], (0, 0, 1))
        self.assertEqual(
            [(row["name"], self._counts(row)) for row in activities["by_owner"]],
            [(self.seller.name, (1, 1, 2))],
        )

        everyone = self._activities(self.manager, scope="all")
        self.assertEqual(self._counts(everyone["totals"]), (2, 1, 2))
        self.assertEqual(
            sorted((row["name"], self._counts(row)) for row in everyone["by_owner"]),
            [(self.manager.name, (1, 0, 0)), (self.seller.name, (1, 1, 2))],
        )

    def test_overdue_whatever_the_period(self):
        activities = self._activities(
            self.seller, date_from="2020-01-01", date_to="2020-01-31"
        )
        self.assertEqual(self._counts(activities["totals"]), (0, 0, 2))

    def test_every_figure_opens_its_records(self):
        self._assert_lists_match_for_roles(**self.period)

    def test_own_only_salesman_sees_no_colleague_activity(self):
        hidden = self._deal(
            "Hidden deal", 500, self.stage_lead, user_id=self.salesman_all.id
        )
        self._activity(
            "Colleague's call",
            "call",
            "done",
            date_done=fields.Datetime.now(),
            opportunity_id=hidden.id,
        )

        activities = self._activities(self.salesman, scope="all")
        visible = self.env["corymbus.activity"].with_user(self.salesman)
        for state in ("done", "planned", "overdue"):
            row = activities["totals"][state]
            self.assertEqual(row["count"], visible.search_count(row["domain"]))
        self.assertNotIn(
            self.salesman_all.name, [row["name"] for row in activities["by_owner"]]
        )


@tagged("post_install", "-at_install", "corymbus_dashboard")
class TestDashboardStalled(DashboardCase):
    """Open opportunities without activity for the configured number of days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["corymbus.dashboard"])
        now = fields.Datetime.now()
        month_ago = fields.Date.to_string(today - timedelta(days=30))
        old = {"user_id": cls.seller.id, "created": month_ago}

        cls.silent = cls._deal("Silent", 1000, cls.stage_proposal, **old)
        cls.called = cls._deal("Called", 2000, cls.stage_proposal, **old)
        cls.booked = cls._deal("Booked", 3000, cls.stage_proposal, **old)
        cls.neglected = cls._deal("Neglected", 4000, cls.stage_negotiation, **old)
        cls.dropped = cls._deal("Dropped", 5000, cls.stage_lead, **old)
        cls.young = cls._deal("Young", 6000, cls.stage_lead, user_id=cls.seller.id)
        cls.won = cls._deal(
            "Won long ago", 7000, cls.stage_won, date_won=month_ago, **old
        )

        activity = cls._activity
        activity(
            "Recent call",
            "call",
            "done",
            when=now - timedelta(days=3),
            date_done=now - timedelta(days=3),
            opportunity_id=cls.called.id,
        )
        activity(
            "Demo",
            "meeting",
            when=now + timedelta(days=5),
            opportunity_id=cls.booked.id,
        )
        activity(
            "Overdue visit",
            "meeting",
            when=now - timedelta(days=20),
            opportunity_id=cls.neglected.id,
        )
        activity(
            "Cancelled call",
            "call",
            "cancelled",
            when=now - timedelta(days=1),
            opportunity_id=cls.dropped.id,
        )

    def test_stalled_after_fourteen_days(self):
        stalled = self._data(self.seller, scope="me")["figures"]["stalled"]

        deals = self.Opportunity.search(stalled["domain"])
        self.assertEqual(deals, self.silent | self.neglected | self.dropped)
        self.assertEqual(stalled["count"], 3)
        self.assertEqual(stalled["amount"], 10000.00)
        # Proposal 40 %, Negotiation 60 %, Lead 10 %.
        self.assertEqual(stalled["weighted"], 400.00 + 2400.00 + 500.00)

    def test_every_figure_opens_its_records(self):
        """The stalled deals' list matches its count for every role."""
        self.assertEqual(
            self._data(self.manager, scope="all")["figures"]["stalled"]["count"], 3
        )
        self._assert_lists_match_for_roles()

    def test_stalled_days_come_from_the_settings(self):
        self.env["ir.config_parameter"].set_param("corymbus_crm.stalled_days", "40")
        data = self._data(self.seller, scope="me")

        self.assertEqual(data["stalled_days"], 40)
        self.assertEqual(data["figures"]["stalled"]["count"], 0)


@tagged("post_install", "-at_install", "corymbus_dashboard", "corymbus_demo")
class TestDashboardDemo(TransactionCase):
    """The dashboard on the demo set: sensible figures for each demo role.

    Only meaningful on a database installed with demo data; elsewhere skipped.
    """

    def setUp(self):
        super().setUp()
        if not self.env.ref(DEMO_MARKER, raise_if_not_found=False):
            self.skipTest("corymbus_crm was installed without its demo data")
        self.users = {
            login: self.env["res.users"].search([("login", "=", login)])
            for login in ("camille", "julien", "nathalie")
        }
        self.year = {
            "period": "custom",
            "date_from": fields.Date.to_string(date.today() - timedelta(days=365)),
            "date_to": fields.Date.to_string(date.today()),
        }

    def _won_deals(self, user, data):
        return (
            self.env["corymbus.opportunity"]
            .with_user(user)
            .search(data["figures"]["sales_cycle"]["domain"])
        )

    def test_sales_cycle_is_positive_and_right(self):
        """Creation to won, in days, averaged over the won deals one sees."""
        for login, user in self.users.items():
            with self.subTest(user=login):
                Dashboard = self.env["corymbus.dashboard"].with_user(user)
                data = Dashboard.get_dashboard_data(scope="all", **self.year)
                won = self._won_deals(user, data)
                self.assertTrue(won, "The demo has won deals in the last year.")

                tz = pytz.timezone(user.tz)
                cycles = [
                    (
                        deal.date_won
                        - pytz.utc.localize(deal.create_date).astimezone(tz).date()
                    ).days
                    for deal in won
                ]
                self.assertGreater(min(cycles), 0, "Demo deals are won after creation.")
                cycle = data["figures"]["sales_cycle"]
                self.assertEqual(cycle["count"], len(won))
                self.assertEqual(cycle["value"], round(sum(cycles) / len(cycles), 2))

    def test_no_figure_is_negative(self):
        for login, user in self.users.items():
            for period in ("month", "quarter", "year"):
                with self.subTest(user=login, period=period):
                    data = (
                        self.env["corymbus.dashboard"]
                        .with_user(user)
                        .get_dashboard_data(scope="all", period=period)
                    )
                    values = [
                        value
                        for figure in data["figures"].values()
                        for key, value in figure.items()
                        if key != "domain" and value is not False
                    ]
                    self.assertGreaterEqual(min(values), 0)

    def test_every_figure_opens_its_records(self):
        for login, user in self.users.items():
            for scope in ("me", "all"):
                with self.subTest(user=login, scope=scope):
                    data = (
                        self.env["corymbus.dashboard"]
                        .with_user(user)
                        .get_dashboard_data(scope=scope, **self.year)
                    )
                    for label, model, domain, count in DashboardCase._figure_lists(
                        data
                    ):
                        listed = self.env[model].with_user(user).search_count(domain)
                        self.assertEqual(listed, count, label)
