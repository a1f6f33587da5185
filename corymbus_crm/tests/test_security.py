from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import CorymbusCase


@tagged("post_install", "-at_install", "corymbus_security")
class TestPipelineAccess(CorymbusCase):
    """Each role sees what the groups promise, and nothing more."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls._create_opportunity(name="Own deal", user_id=cls.salesman.id)
        cls.unassigned = cls._create_opportunity(name="Open to all", user_id=False)
        cls.colleague = cls._create_opportunity(
            name="Colleague's deal", user_id=cls.salesman_all.id
        )
        cls.deals = cls.own | cls.unassigned | cls.colleague

    def _visible(self, user):
        return (
            self.env["corymbus.opportunity"]
            .with_user(user)
            .search([("id", "in", self.deals.ids)])
        )

    def test_own_salesman(self):
        self.assertEqual(self._visible(self.salesman), self.own | self.unassigned)
        with self.assertRaises(AccessError):
            self.colleague.with_user(self.salesman).read(["name"])
        with self.assertRaises(AccessError):
            self.colleague.with_user(self.salesman).write({"amount": 1})

        # Every contact and company stays readable.
        partners = self.env["res.partner"].with_user(self.salesman)
        self.assertTrue(partners.search([("id", "=", self.customer.id)]))

    def test_own_salesman_cannot_configure_stages(self):
        with self.assertRaises(AccessError):
            self.stage_lead.with_user(self.salesman).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.env["corymbus.stage"].with_user(self.salesman_all).create(
                {"name": "Extra"}
            )

    def test_all_salesman(self):
        self.assertEqual(self._visible(self.salesman_all), self.deals)
        self.own.with_user(self.salesman_all).write({"amount": 500})
        self.assertEqual(self.own.amount, 500)

    def test_manager_configures_stages(self):
        stage = (
            self.env["corymbus.stage"]
            .with_user(self.manager)
            .create({"name": "Demo done", "probability": 60, "sequence": 35})
        )
        stage.write({"name": "Demo given", "probability": 65})
        self.assertEqual(stage.probability, 65)
        self.assertEqual(self._visible(self.manager), self.deals)

    def test_portal_user_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.env["corymbus.opportunity"].with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            self.own.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.env["corymbus.stage"].with_user(self.portal_user).search([])

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Filiale Lyon"})
        foreign = self.env["corymbus.opportunity"].create(
            {"name": "Lyon deal", "company_id": other.id, "user_id": False}
        )
        self.manager.company_ids = [self.company.id]
        found = (
            self.env["corymbus.opportunity"]
            .with_user(self.manager)
            .search([("id", "=", foreign.id)])
        )
        self.assertFalse(found)

        self.manager.company_ids = [self.company.id, other.id]
        found = (
            self.env["corymbus.opportunity"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id, other.id])
            .search([("id", "=", foreign.id)])
        )
        self.assertEqual(found, foreign)

    def test_smart_button_counts_only_readable_deals(self):
        self.assertEqual(
            self.customer.with_user(self.salesman).corymbus_opportunity_count, 2
        )
        self.assertEqual(
            self.customer.with_user(self.salesman_all).corymbus_opportunity_count, 3
        )
        action = self.customer.with_user(
            self.salesman
        ).action_open_corymbus_opportunities()
        listed = (
            self.env["corymbus.opportunity"]
            .with_user(self.salesman)
            .search(action["domain"])
        )
        self.assertEqual(len(listed), 2)

    def test_links_on_records_are_web_addresses(self):
        """A link attached to a deal or a contact cannot carry a script."""
        # Attaching to a contact takes the right to edit contacts, which Odoo gives
        # to its users through "Contact Creation".
        self.salesman.group_ids |= self.env.ref("base.group_partner_manager")
        Attachment = self.env["ir.attachment"].with_user(self.salesman)
        for record in (self.own, self.customer_contact):
            for url in ("javascript:alert(1)", "data:text/html,x", "file:///etc"):
                with self.assertRaises(ValidationError), self.cr.savepoint():
                    Attachment.create(
                        {
                            "name": "Bad link",
                            "type": "url",
                            "url": url,
                            "res_model": record._name,
                            "res_id": record.id,
                        }
                    )
            link = Attachment.create(
                {
                    "name": "Offer",
                    "type": "url",
                    "url": "https://drive.example.com/d/4711",
                    "res_model": record._name,
                    "res_id": record.id,
                }
            )
            self.assertEqual(link.corymbus_url_site, "drive.example.com")
