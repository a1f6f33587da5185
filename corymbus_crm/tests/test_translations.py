from odoo.tests import TransactionCase, tagged

from .translation_check import french_coverage


@tagged("post_install", "-at_install", "corymbus_i18n")
class TestFrenchTranslation(TransactionCase):
    def test_every_term_has_a_french_entry(self):
        terms, missing = french_coverage(self.env, "corymbus_crm")
        # Terms of each kind are found: a field label, an action name, a Python
        # message and a JavaScript one.
        for term in (
            "Weighted Amount",
            "Mark Won",
            "%(group)s, %(date)s",
            "Open opportunities: %(count)s",
        ):
            self.assertIn(term, terms)
        self.assertEqual(sorted(missing), [])
