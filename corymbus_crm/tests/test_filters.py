from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CorymbusCase


@tagged("post_install", "-at_install", "corymbus_pipeline")
class TestPipelineFilters(CorymbusCase):
    """BR-10: won and lost are flags of stages, never archiving."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create = cls._create_opportunity
        cls.granite = create(
            name="Granite Works", amount=15000, stage_id=cls.stage_proposal.id
        )
        cls.harbor = create(name="Harbor Tech", amount=15000)
        cls.harbor.action_mark_won()
        cls.ivy = create(name="Ivy Hotels", amount=15000)
        cls.ivy.action_mark_lost(cls.lost_reason)
        cls.juniper = create(name="Juniper Café", amount=9000)
        cls.kiln = create(name="Kiln Studio", amount=10000.00)
        cls.lumen = create(name="Lumen Ads", amount=10000.01)
        cls.moss = create(name="Moss Farm", amount=20000)
        cls.moss.active = False
        cls.all_deals = (
            cls.granite
            | cls.harbor
            | cls.ivy
            | cls.juniper
            | cls.kiln
            | cls.lumen
            | cls.moss
        )
        cls.big_open_domain = [
            ("amount", ">", 10000),
            ("is_won", "=", False),
            ("is_lost", "=", False),
        ]

    def _search(self, domain, **context):
        Opportunity = self.env["corymbus.opportunity"].with_context(**context)
        return Opportunity.search(domain + [("id", "in", self.all_deals.ids)])

    def _view_filter_domain(self, name):
        """The domain of a predefined filter, as the search view declares it."""
        view = self.env.ref("corymbus_crm.corymbus_opportunity_view_search")
        node = etree.fromstring(view.arch).xpath(f"//filter[@name='{name}']")[0]
        return safe_eval(node.get("domain"))

    def test_br10_custom_filter(self):
        self.assertEqual(self._search(self.big_open_domain), self.granite | self.lumen)

    def test_br10_saved_favorite(self):
        favorite = self.env["ir.filters"].create(
            {
                "name": "Big open deals",
                "model_id": "corymbus.opportunity",
                "domain": repr(self.big_open_domain),
                "user_ids": [self.salesman_all.id],
            }
        )
        reloaded = self.env["ir.filters"].browse(favorite.id)
        domain = reloaded._get_eval_domain()
        found = (
            self.env["corymbus.opportunity"]
            .with_user(self.salesman_all)
            .search(list(domain) + [("id", "in", self.all_deals.ids)])
        )
        self.assertEqual(found, self.granite | self.lumen)

    def test_br10_archived_deal_is_not_lost(self):
        found = self._search(self.big_open_domain, active_test=False)
        self.assertEqual(found, self.granite | self.lumen | self.moss)
        self.assertFalse(self.moss.is_lost)

    def test_br10_predefined_filters(self):
        lost_domain = self._view_filter_domain("filter_lost")
        won_domain = self._view_filter_domain("filter_won")
        self.assertEqual(self._search(lost_domain), self.ivy)
        self.assertEqual(self._search(won_domain), self.harbor)
        self.assertTrue(self.ivy.active)

    def test_no_planned_activity_filter_matches_column_counts(self):
        """The search filter and the column headers count the same deals."""
        Opportunity = self.env["corymbus.opportunity"]
        arch = Opportunity.get_views([(False, "search")])["views"]["search"]["arch"]
        node = etree.fromstring(arch).xpath(
            "//filter[@name='filter_no_planned_activity']"
        )[0]
        self.env["corymbus.activity"].create(
            {"name": "Site visit", "opportunity_id": self.granite.id}
        )

        found = self._search(safe_eval(node.get("domain")))
        # Open deals only: the won and the lost ones need no next step.
        self.assertEqual(
            found, self.all_deals - self.granite - self.moss - self.harbor - self.ivy
        )
        progress = Opportunity.read_progress_bar(
            [("id", "in", self.all_deals.ids)],
            "stage_id",
            {"field": "close_state", "colors": {"overdue": "danger"}},
        )
        columns = progress["__no_planned_activity"]
        self.assertEqual(
            sum(column["count"] for column in columns.values()), len(found)
        )
        self.assertNotIn(str(self.stage_proposal.id), columns)
        self.assertNotIn(str(self.stage_won.id), columns)
        self.assertNotIn(str(self.stage_lost.id), columns)
