from odoo.tests import HttpCase, tagged

from .test_custom_field_common import CustomFieldRegistryMixin


@tagged("post_install", "-at_install", "corymbus_custom_field")
class TestCustomFieldTour(CustomFieldRegistryMixin, HttpCase):
    """Add a Yes/No to contacts, tick it on a contact, filter on it."""

    def test_custom_field_tour(self):
        Partner = self.env["res.partner"]
        ana, ben = Partner.create([{"name": "Ana Tour"}, {"name": "Ben Tour"}])

        self.start_tour("/odoo", "corymbus_custom_field_tour", login="admin")

        field = self.env["corymbus.custom.field"].search([("name", "=", "Is customer")])
        self.assertEqual(field.technical_name, "x_is_customer")
        self.assertEqual(field.field_type, "boolean")
        self.assertTrue(ana.x_is_customer)
        self.assertFalse(ben.x_is_customer)
