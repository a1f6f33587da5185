from odoo.tests import TransactionCase, tagged

from odoo.addons.corymbus_crm.tests.translation_check import french_coverage


@tagged("post_install", "-at_install", "corymbus_i18n")
class TestFrenchTranslation(TransactionCase):
    def test_every_term_has_a_french_entry(self):
        terms, missing = french_coverage(self.env, "corymbus_crm_account")
        self.assertTrue(terms)
        self.assertEqual(sorted(missing), [])
