from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.corymbus_crm.tests.test_custom_field_common import (
    CustomFieldRegistryMixin,
)


@tagged("post_install", "-at_install", "corymbus_mass_mailing")
class TestMailingAudience(CustomFieldRegistryMixin, TransactionCase):
    """A mailing to a Corymbus audience takes its recipients at send time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.marketer = new_test_user(
            cls.env,
            login="corymbus_marketer",
            groups="corymbus_crm.group_corymbus_user,mass_mailing.group_mass_mailing_user",
        )
        cls.food = cls.env["res.partner.industry"].create({"name": "Food"})
        Partner = cls.env["res.partner"]
        cls.ana, cls.ben = Partner.create(
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
            ]
        )
        cls.chloe = Partner.create(
            {"name": "Chloé Martin", "email": "chloe@martin.example"}
        )
        cls.group = cls.env["corymbus.contact.group"].create(
            {
                "name": "Food prospects",
                "rule_domain": "[('industry_id.name', '=', 'Food')]",
                "partner_ids": [(6, 0, cls.chloe.ids)],
            }
        )

    def _recipients(self, mailing):
        mine = self.ana | self.ben | self.chloe
        return self.env["res.partner"].browse(mailing._get_recipients()) & mine

    def test_group_mailing_recipients_at_send_time(self):
        action = self.group.with_user(self.marketer).action_create_mailing()
        mailing = self.env["mailing.mailing"].browse(action["res_id"])
        self.assertEqual(mailing.mailing_model_real, "res.partner")
        self.assertEqual(mailing.corymbus_contact_group_id, self.group)
        self.assertEqual(mailing.subject, "Food prospects")
        self.assertEqual(self._recipients(mailing), self.ana | self.ben | self.chloe)
        self.assertEqual(self.group.mailing_count, 1)

        # Later changes count: Ben leaves the rule, Dana joins it, Ana opts out.
        self.ben.industry_id = False
        dana = self.env["res.partner"].create(
            {
                "name": "Dana Holt",
                "email": "dana@holt.example",
                "industry_id": self.food.id,
            }
        )
        self.env["mail.blacklist"].create({"email": "ana@reyes.example"})
        recipients = self.env["res.partner"].browse(mailing._get_recipients())
        self.assertIn(dana, recipients)
        self.assertIn(self.chloe, recipients)
        self.assertNotIn(self.ben, recipients)
        self.assertNotIn(self.ana, recipients)

    def test_saved_filter_mailing(self):
        saved = self.env["ir.filters"].create(
            {
                "name": "Food",
                "model_id": "res.partner",
                "domain": "[('industry_id.name', '=', 'Food')]",
            }
        )
        self.env["mail.blacklist"].create({"email": "ben@ochoa.example"})
        wizard = self.env["corymbus.audience.export"].create({"filter_id": saved.id})
        mailing = self.env["mailing.mailing"].browse(
            wizard.action_create_mailing()["res_id"]
        )
        self.assertEqual(mailing.corymbus_filter_id, saved)
        self.assertEqual(self._recipients(mailing), self.ana)

    def test_audience_needed(self):
        with self.assertRaises(UserError):
            self.env["corymbus.audience.export"].create({}).action_create_mailing()

    def test_custom_field_used_by_a_mailing(self):
        field = self.env["corymbus.custom.field"].create(
            {"name": "Is customer", "field_type": "boolean"}
        )
        self.env["mailing.mailing"].create(
            {
                "subject": "Customers only",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": "[('x_is_customer', '=', True)]",
            }
        )
        with self.assertRaisesRegex(UserError, "Customers only"):
            field.unlink()
