import base64
import csv
import io

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain
from odoo.tests import tagged

from .common import CorymbusCase
from .test_custom_field_common import CustomFieldRegistryMixin


@tagged("post_install", "-at_install", "corymbus_contact_group")
class TestContactGroup(CustomFieldRegistryMixin, CorymbusCase):
    """Groups by hand and by rule, the Group filter and campaign audiences."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.food = cls.env["res.partner.industry"].create({"name": "Food"})
        cls.retail = cls.env["res.partner.industry"].create({"name": "Retail"})
        cls.ana, cls.ben, cls.chloe, cls.dana = Partner.create(
            [
                {
                    "name": "Ana Reyes",
                    "email": "ana@reyes.example",
                    "industry_id": cls.food.id,
                },
                {
                    "name": "Ben Ochoa",
                    "email": "ben@ochoa.example",
                    "industry_id": cls.food.id,
                },
                {"name": "Chloé Martin", "email": "chloe@martin.example"},
                {
                    "name": "Dana Holt",
                    "email": "dana@holt.example",
                    "industry_id": cls.retail.id,
                },
            ]
        )
        cls.people = cls.ana | cls.ben | cls.chloe | cls.dana

    def _members(self, group):
        return self.env["res.partner"].search(
            group._get_member_domain() & Domain("id", "in", self.people.ids)
        )

    def test_members_by_hand(self):
        group = self.env["corymbus.contact.group"].create(
            {"name": "Trade fair", "partner_ids": [(6, 0, (self.ana | self.chloe).ids)]}
        )
        self.assertEqual(self._members(group), self.ana | self.chloe)
        self.assertEqual(group.member_count, 2)
        self.assertEqual(self.ana.corymbus_contact_group_ids, group)
        self.assertFalse(self.ben.corymbus_contact_group_ids)

    def test_members_by_rule_with_custom_field(self):
        """Industry is food and Is customer is No, evaluated when used."""
        self.env["corymbus.custom.field"].create(
            {"name": "Is customer", "field_type": "boolean"}
        )
        self.ana.x_is_customer = True
        group = self.env["corymbus.contact.group"].create(
            {
                "name": "Food prospects",
                "rule_domain": repr(
                    [("industry_id.name", "=", "Food"), ("x_is_customer", "=", False)]
                ),
                "partner_ids": [(6, 0, self.dana.ids)],
            }
        )
        self.assertEqual(self._members(group), self.ben | self.dana)

        # The rule follows the contacts: no stored membership to refresh.
        self.chloe.industry_id = self.food
        self.ben.x_is_customer = True
        self.assertEqual(self._members(group), self.chloe | self.dana)
        self.env.invalidate_all()
        self.assertEqual(self.chloe.corymbus_contact_group_ids, group)
        self.assertFalse(self.ben.corymbus_contact_group_ids)

    def test_rule_from_saved_filter(self):
        saved = self.env["ir.filters"].create(
            {
                "name": "Retail",
                "model_id": "res.partner",
                "domain": "[('industry_id.name', '=', 'Retail')]",
            }
        )
        group = self.env["corymbus.contact.group"].create(
            {"name": "Retail", "rule_filter_id": saved.id}
        )
        self.assertEqual(self._members(group), self.dana)
        saved.domain = "[('industry_id.name', 'in', ['Retail', 'Food'])]"
        self.assertEqual(self._members(group), self.ana | self.ben | self.dana)

    def test_empty_or_broken_rules(self):
        Group = self.env["corymbus.contact.group"]
        empty = Group.create({"name": "Nobody yet", "rule_domain": "[]"})
        self.assertFalse(self._members(empty), "an empty rule is no rule, not everyone")
        for rule in (
            "[('no_such_field', '=', 1)]",
            "__import__('os').system('id')",
            "[('name', '=',",
        ):
            with self.assertRaises(ValidationError, msg=rule):
                Group.create({"name": "Broken", "rule_domain": rule})

    def test_group_filter_in_contact_search(self):
        Group = self.env["corymbus.contact.group"]
        fair = Group.create(
            {"name": "Trade fair", "partner_ids": [(6, 0, self.ana.ids)]}
        )
        Group.create(
            {
                "name": "Retailers",
                "rule_domain": "[('industry_id.name', '=', 'Retail')]",
            }
        )
        Partner = self.env["res.partner"]
        scope = [("id", "in", self.people.ids)]
        self.assertEqual(
            Partner.search(scope + [("corymbus_contact_group_ids", "ilike", "fair")]),
            self.ana,
        )
        self.assertEqual(
            Partner.search(scope + [("corymbus_contact_group_ids", "in", fair.ids)]),
            self.ana,
        )
        self.assertEqual(
            Partner.search(scope + [("corymbus_contact_group_ids", "ilike", "retail")]),
            self.dana,
        )
        self.assertEqual(
            Partner.search(
                scope + [("corymbus_contact_group_ids", "not ilike", "fair")]
            ),
            self.people - self.ana,
        )
        search_arch = Partner.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn('name="corymbus_contact_group_ids"', search_arch)
        form_arch = Partner.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="corymbus_contact_group_ids"', form_arch)

    def test_group_membership_query_count(self):
        Group = self.env["corymbus.contact.group"]
        Group.create({"name": "Fair", "partner_ids": [(6, 0, self.ana.ids)]})
        Group.create({"name": "Food", "rule_domain": "[('industry_id', '!=', False)]"})
        many = self.env["res.partner"].create([{"name": f"P{i}"} for i in range(40)])

        def queries_for(partners):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            partners.mapped("corymbus_contact_group_ids")
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries_for(many[:3]), queries_for(many))

    def test_audience_leaves_out_opted_out_contacts(self):
        group = self.env["corymbus.contact.group"].create(
            {"name": "Food", "rule_domain": "[('industry_id.name', '=', 'Food')]"}
        )
        self.env["mail.blacklist"].create({"email": "BEN@ochoa.example"})
        self.assertEqual(self._members(group), self.ana | self.ben)
        audience = self.env["res.partner"].search(
            group._get_audience_domain() & Domain("id", "in", self.people.ids)
        )
        self.assertEqual(audience, self.ana)
        self.assertEqual(group.audience_count, 1)
        self.assertEqual(group.member_count, 2)

    def test_audience_exports_csv_and_vcard(self):
        self.ana.write(
            {
                "phone": "+33 1 23 45 67 89",
                "function": '=HYPERLINK("x")',
                "parent_id": self.customer.id,
            }
        )
        group = self.env["corymbus.contact.group"].create(
            {"name": "Fair", "partner_ids": [(6, 0, (self.ana | self.ben).ids)]}
        )
        self.env["mail.blacklist"].create({"email": "ben@ochoa.example"})
        wizard = self.env["corymbus.audience.export"].create(
            {"group_id": group.id, "file_format": "csv"}
        )
        self.assertEqual(wizard.audience_count, 1)
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        content = base64.b64decode(wizard.data).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content)))
        self.assertEqual(rows[0][:3], ["Name", "Email", "Phone"])
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][:2], ["Ana Reyes", "ana@reyes.example"])
        self.assertEqual(rows[1][3], '\'=HYPERLINK("x")')
        self.assertEqual(rows[1][4], "Nordlicht GmbH")
        self.assertEqual(wizard.filename, "Fair.csv")

        wizard.file_format = "vcard"
        wizard.action_export()
        card = base64.b64decode(wizard.data).decode("utf-8")
        self.assertTrue(
            card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Reyes\r\n")
        )
        self.assertIn("EMAIL;TYPE=INTERNET:ana@reyes.example\r\n", card)
        self.assertIn("ORG:Nordlicht GmbH\r\n", card)
        self.assertNotIn("ben@ochoa.example", card)
        self.assertEqual(card.count("BEGIN:VCARD"), 1)

    def test_audience_of_a_saved_filter(self):
        saved = self.env["ir.filters"].create(
            {
                "name": "Food",
                "model_id": "res.partner",
                "domain": "[('industry_id.name', '=', 'Food')]",
            }
        )
        self.env["mail.blacklist"].create({"email": "ana@reyes.example"})
        wizard = self.env["corymbus.audience.export"].create({"filter_id": saved.id})
        self.assertEqual(
            wizard._get_audience().filtered(lambda p: p in self.people), self.ben
        )

    def test_access(self):
        Group = self.env["corymbus.contact.group"]
        group = Group.with_user(self.salesman).create(
            {"name": "My prospects", "partner_ids": [(6, 0, self.ana.ids)]}
        )
        self.assertEqual(group.with_user(self.salesman_all).member_count, 1)
        self.assertEqual(
            self.ana.with_user(self.salesman).corymbus_contact_group_ids, group
        )
        with self.assertRaises(AccessError):
            Group.with_user(self.portal_user).search([])

    def test_rule_takes_only_a_readable_filter(self):
        private = self.env["ir.filters"].create(
            {
                "name": "Julien's food prospects",
                "model_id": "res.partner",
                "domain": "[('industry_id.name', '=', 'Food')]",
                "user_ids": [(6, 0, self.salesman_all.ids)],
            }
        )
        Group = self.env["corymbus.contact.group"].with_user(self.salesman)
        message = "You can only use a saved filter you may read."
        with self.assertRaisesRegex(AccessError, message):
            Group.create({"name": "Borrowed rule", "rule_filter_id": private.id})
        group = Group.create({"name": "Own rule"})
        with self.assertRaisesRegex(AccessError, message):
            group.write({"rule_filter_id": private.id})
        self.assertFalse(group.rule_filter_id)

        # Its owner may use it.
        owned = Group.with_user(self.salesman_all).create(
            {"name": "Food", "rule_filter_id": private.id}
        )
        self.assertEqual(self._members(owned), self.ana | self.ben)
