"""Values an opportunity refuses, whatever the way they come in."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CorymbusCase


@tagged("post_install", "-at_install", "corymbus_pipeline")
class TestOpportunityValidation(CorymbusCase):
    """A negative amount or an empty name is refused with a clear message."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deal = cls._create_opportunity(name="Harbour Cranes", amount=1000)
        cls.Opportunity = cls.env["corymbus.opportunity"].with_user(cls.salesman)

    def test_negative_amount_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.deal.with_user(self.salesman).write({"amount": -5_000_000})
        self.assertEqual(
            caught.exception.args[0],
            "The expected revenue of “Harbour Cranes” cannot be negative.",
        )
        with self.assertRaises(ValidationError) as caught:
            self.Opportunity.create(
                {"name": "Dock Lights", "partner_id": self.customer.id, "amount": -1}
            )
        self.assertEqual(
            caught.exception.args[0],
            "The expected revenue of “Dock Lights” cannot be negative.",
        )
        self.assertEqual(self.deal.amount, 1000)

        # Nothing below zero once rounded to the currency is accepted.
        self.deal.write({"amount": -0.001})
        self.assertEqual(self.deal.amount, 0)
        self.deal.write({"amount": 0})
        self.assertEqual(self.deal.amount, 0)

    def test_empty_name_is_refused(self):
        for name in ("", "   ", "\t\n"):
            with self.subTest(name=name):
                with self.assertRaises(ValidationError) as caught:
                    self.deal.with_user(self.salesman).write({"name": name})
                self.assertEqual(
                    caught.exception.args[0], "An opportunity needs a name."
                )
                with self.assertRaises(ValidationError) as caught:
                    self.Opportunity.create(
                        {"name": name, "partner_id": self.customer.id}
                    )
                self.assertEqual(
                    caught.exception.args[0], "An opportunity needs a name."
                )
        self.assertEqual(self.deal.name, "Harbour Cranes")

    def test_messages_are_in_french_for_french_users(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["corymbus_crm"], ["fr_FR"])
        french = self.deal.with_user(self.salesman).with_context(lang="fr_FR")

        with self.assertRaises(ValidationError) as caught:
            french.write({"amount": -5_000_000})
        self.assertEqual(
            caught.exception.args[0],
            "Le chiffre d'affaires prévu de « Harbour Cranes » ne peut pas être "
            "négatif.",
        )
        with self.assertRaises(ValidationError) as caught:
            french.write({"name": " "})
        self.assertEqual(caught.exception.args[0], "Une opportunité doit avoir un nom.")
