from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CorymbusCase


@tagged("post_install", "-at_install", "corymbus_pipeline")
class TestStageConfiguration(CorymbusCase):
    """Administrators rename, add, reorder and remove stages without losing deals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.extra = cls.env["corymbus.stage"].create(
            {"name": "Demo", "probability": 35, "sequence": 25}
        )
        cls.in_extra = cls._create_opportunity(name="Demo deal", stage_id=cls.extra.id)
        cls.archived = cls._create_opportunity(
            name="Old demo deal", stage_id=cls.extra.id, active=False
        )

    def test_default_stages(self):
        stages = self.env["corymbus.stage"].search([])
        expected = [
            ("Lead", 10.0),
            ("Qualified", 25.0),
            ("Proposal", 50.0),
            ("Negotiation", 75.0),
            ("Won", 100.0),
            ("Lost", 0.0),
        ]
        defaults = stages.filtered(lambda s: s != self.extra)
        self.assertEqual(
            [(stage.name, stage.probability) for stage in defaults], expected
        )
        self.assertTrue(self.stage_won.is_won)
        self.assertTrue(self.stage_lost.is_lost)

    def test_french_stage_names(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["corymbus_crm"], ["fr_FR"])
        names = self.env["corymbus.stage"].with_context(lang="fr_FR").search([])
        self.assertEqual(
            names.filtered(lambda s: s != self.extra).mapped("name"),
            ["Piste", "Qualifiée", "Proposition", "Négociation", "Gagnée", "Perdue"],
        )

    def test_plain_delete_refuses_a_stage_with_deals(self):
        with self.assertRaises(UserError):
            self.extra.with_user(self.manager).unlink()
        self.assertTrue(self.extra.exists())

    def test_remove_wizard_moves_every_deal(self):
        action = self.extra.with_user(self.manager).action_open_remove_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.opportunity_count, 2)
        with self.assertRaises(UserError):
            wizard.action_remove()

        wizard.target_stage_id = self.stage_proposal
        wizard.action_remove()
        self.assertFalse(self.extra.exists())
        self.assertEqual(self.in_extra.stage_id, self.stage_proposal)
        self.assertEqual(self.archived.stage_id, self.stage_proposal)
        self.assertEqual(self.in_extra.probability, self.stage_proposal.probability)

    def test_empty_stage_removes_directly(self):
        empty = self.env["corymbus.stage"].create({"name": "Unused"})
        empty.with_user(self.manager).unlink()
        self.assertFalse(empty.exists())

    def test_rename_and_reorder(self):
        self.stage_qualified.with_user(self.manager).write(
            {"name": "Discovery", "sequence": 5}
        )
        first = self.env["corymbus.stage"].search([], limit=1)
        self.assertEqual(first.name, "Discovery")

    def test_stage_becoming_won_fixes_hand_set_probabilities(self):
        hand_set = self._create_opportunity(
            name="Hand-set deal", stage_id=self.extra.id, probability=60
        )
        self.assertTrue(hand_set.is_probability_manual)

        self.extra.with_user(self.manager).write({"is_won": True})

        for deal in hand_set | self.in_extra | self.archived:
            self.assertEqual(deal.probability, 100.0, deal.name)
            self.assertFalse(deal.is_probability_manual, deal.name)
