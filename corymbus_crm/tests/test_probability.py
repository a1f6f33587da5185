from lxml import etree

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import CorymbusCase


@tagged("post_install", "-at_install", "corymbus_pipeline")
class TestProbabilityRule(CorymbusCase):
    """The probability follows the stage on every write path, unless set by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_case_ladder()
        cls.ridge = cls._create_opportunity(
            name="Ridge Pumps", amount=10000, stage_id=cls.stage_qualified.id
        )
        cls.osprey = cls._create_opportunity(
            name="Osprey Labels", amount=20000, stage_id=cls.stage_qualified.id
        )
        cls.tallis = cls._create_opportunity(
            name="Tallis Wood", amount=5000, stage_id=cls.stage_qualified.id
        )
        cls.deals = cls.ridge | cls.osprey | cls.tallis

    def _assert_moved_to_proposal(self):
        self.assertEqual(self.deals.mapped("probability"), [40.0, 40.0, 40.0])
        self.assertEqual(self.deals.mapped("weighted_amount"), [4000.0, 8000.0, 2000.0])
        self.assertFalse(any(self.deals.mapped("is_probability_manual")))
        column = self.env["corymbus.opportunity"]._read_group(
            [("stage_id", "=", self.stage_proposal.id), ("id", "in", self.deals.ids)],
            [],
            ["weighted_amount_company:sum"],
        )
        self.assertEqual(column[0][0], 14000.0)

    def test_br01_mass_edit(self):
        """BR-01 (a): a list mass edit writes the stage of several records at once."""
        self.deals.with_user(self.salesman).write({"stage_id": self.stage_proposal.id})
        self._assert_moved_to_proposal()

    def test_br01_rpc_write(self):
        """BR-01 (b): an RPC write goes through the same ORM write."""
        self.env["corymbus.opportunity"].browse(self.deals.ids).write(
            {"stage_id": self.stage_proposal.id}
        )
        self._assert_moved_to_proposal()

    def test_br01_import(self):
        """BR-01 (c): an import with a stage_id/id column updates the deals.

        ``load`` is what Odoo's import screen calls for each batch of rows.
        """
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"__import__.deal_{deal.id}", "record": deal}
                for deal in self.deals
            ]
        )
        rows = [
            [f"__import__.deal_{deal.id}", "corymbus_crm.corymbus_stage_proposal"]
            for deal in self.deals
        ]
        result = self.env["corymbus.opportunity"].load(["id", "stage_id/id"], rows)
        self.assertFalse(result["messages"])
        self.assertEqual(sorted(result["ids"]), sorted(self.deals.ids))
        self._assert_moved_to_proposal()

    def test_br01_create_with_stage_only(self):
        """BR-01 (d): a deal created by RPC with a stage and no probability."""
        deal = self.env["corymbus.opportunity"].create(
            {
                "name": "RPC deal",
                "amount": 1000,
                "stage_id": self.stage_proposal.id,
                "user_id": self.salesman.id,
            }
        )
        self.assertEqual(deal.probability, 40.0)
        self.assertEqual(deal.weighted_amount, 400.0)
        self.deals.write({"stage_id": self.stage_proposal.id})
        column = self.env["corymbus.opportunity"]._read_group(
            [
                ("stage_id", "=", self.stage_proposal.id),
                ("id", "in", (self.deals | deal).ids),
            ],
            [],
            ["weighted_amount_company:sum"],
        )
        self.assertEqual(column[0][0], 14400.0)

    def test_br01_server_action(self):
        """A server action writing the stage applies the rule too."""
        action = self.env["ir.actions.server"].create(
            {
                "name": "Move to proposal",
                "model_id": self.env["ir.model"]._get_id("corymbus.opportunity"),
                "state": "object_write",
                "update_path": "stage_id",
                "value": str(self.stage_proposal.id),
                "evaluation_type": "value",
            }
        )
        action.with_context(
            active_model="corymbus.opportunity", active_ids=self.deals.ids
        ).run()
        self._assert_moved_to_proposal()

    def test_br02_quick_create_in_column(self):
        """BR-02: quick create in a column takes that column's probability."""
        deal = (
            self.env["corymbus.opportunity"]
            .with_context(default_stage_id=self.stage_negotiation.id)
            .create({"name": "Helios Retrofit", "amount": 8000})
        )
        self.assertEqual(deal.stage_id, self.stage_negotiation)
        self.assertEqual(deal.probability, 60.0)
        self.assertEqual(deal.weighted_amount, 4800.0)

    def test_br02_quick_create_form(self):
        """BR-02 through the quick-create form and its onchanges."""
        form = Form(
            self.env["corymbus.opportunity"].with_context(
                default_stage_id=self.stage_negotiation.id
            ),
            view="corymbus_crm.corymbus_opportunity_view_form_quick_create",
        )
        form.name = "Helios Retrofit"
        form.amount = 8000
        deal = form.save()
        self.assertEqual(deal.stage_id, self.stage_negotiation)
        self.assertEqual(deal.probability, 60.0)
        self.assertEqual(deal.weighted_amount, 4800.0)

    def test_default_stage_is_first_open_one(self):
        deal = self.env["corymbus.opportunity"].create({"name": "New deal"})
        self.assertEqual(deal.stage_id, self.stage_lead)
        self.assertEqual(deal.probability, 10.0)

    def test_manual_probability_survives_other_edits(self):
        self.ridge.write({"probability": 35.0})
        self.assertTrue(self.ridge.is_probability_manual)
        self.ridge.write({"name": "Ridge Pumps (phase 2)", "amount": 12000})
        self.assertEqual(self.ridge.probability, 35.0)
        self.assertEqual(self.ridge.weighted_amount, 4200.0)

        # Changing stage clears the hand-set value.
        self.ridge.write({"stage_id": self.stage_negotiation.id})
        self.assertFalse(self.ridge.is_probability_manual)
        self.assertEqual(self.ridge.probability, 60.0)

    def test_manual_probability_given_with_stage(self):
        """A stage and a different probability in one write keep the typed value."""
        self.ridge.write({"stage_id": self.stage_proposal.id, "probability": 45.0})
        self.assertEqual(self.ridge.probability, 45.0)
        self.assertTrue(self.ridge.is_probability_manual)

    def test_probability_out_of_range_is_refused(self):
        for value in (150.0, -5.0):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self.ridge.write({"probability": value})
        self.assertEqual(self.ridge.probability, 20.0)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._create_opportunity(name="Negative", probability=-5.0)

    def test_reset_probability(self):
        self.osprey.write({"probability": 80.0})
        self.osprey.action_reset_probability()
        self.assertFalse(self.osprey.is_probability_manual)
        self.assertEqual(self.osprey.probability, 20.0)

    def test_form_shows_which_rule_applies(self):
        form = Form(self.tallis, view="corymbus_crm.corymbus_opportunity_view_form")
        form.probability = 33.0
        self.assertTrue(form.is_probability_manual)
        form.save()
        self.assertTrue(self.tallis.is_probability_manual)
        self.assertEqual(self.tallis.probability, 33.0)

        form = Form(self.tallis, view="corymbus_crm.corymbus_opportunity_view_form")
        form.stage_id = self.stage_negotiation
        self.assertFalse(form.is_probability_manual)
        self.assertEqual(form.probability, 60.0)
        form.save()
        self.assertEqual(self.tallis.probability, 60.0)
        self.assertFalse(self.tallis.is_probability_manual)


@tagged("post_install", "-at_install", "corymbus_pipeline")
class TestStageProbabilityEdit(CorymbusCase):
    """BR-03: editing a stage's probability after deals sit in it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_case_ladder()
        cls.stage_proposal.probability = 20.0
        cls.quarry = cls._create_opportunity(
            name="Quarry Lane", amount=12000, stage_id=cls.stage_proposal.id
        )
        cls.vela = cls._create_opportunity(
            name="Vela Tiles", amount=12000, stage_id=cls.stage_proposal.id
        )
        cls.vela.probability = 25.0
        cls.old_mill = cls._create_opportunity(
            name="Old Mill", amount=12000, stage_id=cls.stage_proposal.id
        )
        cls.old_mill.action_mark_lost(cls.lost_reason)
        cls.archived = cls._create_opportunity(
            name="Shelved", amount=1000, stage_id=cls.stage_proposal.id, active=False
        )

    def test_br03_followers_take_new_value(self):
        self.stage_proposal.with_user(self.manager).probability = 30.0

        self.assertEqual(self.quarry.probability, 30.0)
        self.assertEqual(self.quarry.weighted_amount, 3600.0)
        self.assertEqual(self.vela.probability, 25.0)
        self.assertEqual(self.vela.weighted_amount, 3000.0)
        self.assertTrue(self.vela.is_probability_manual)
        self.assertEqual(self.old_mill.probability, 0.0)
        self.assertTrue(self.old_mill.is_lost)
        self.assertEqual(self.archived.probability, 30.0)

        # A later unrelated edit keeps the hand-set value...
        self.vela.write({"priority": "2"})
        self.assertEqual(self.vela.probability, 25.0)

        # ...until the deal changes stage.
        self.vela.write({"stage_id": self.stage_negotiation.id})
        self.assertFalse(self.vela.is_probability_manual)
        self.assertEqual(self.vela.probability, 60.0)

    def test_br03_terminal_stages_are_fixed(self):
        with self.assertRaises(ValidationError):
            self.stage_won.probability = 90.0
        with self.assertRaises(ValidationError):
            self.stage_lost.probability = 5.0

    def test_flagging_a_stage_won_sets_its_probability(self):
        stage = self.env["corymbus.stage"].create({"name": "Signed", "is_won": True})
        self.assertEqual(stage.probability, 100.0)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["corymbus.stage"].create(
                {"name": "Signed at 80", "probability": 80.0, "is_won": True}
            )
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["corymbus.stage"].create(
                {"name": "Both", "is_won": True, "is_lost": True}
            )


@tagged("post_install", "-at_install", "corymbus_pipeline")
class TestWonLostReopen(CorymbusCase):
    """BR-05 and BR-10: won and lost are stages; leaving them resets the values."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_case_ladder()
        cls.birch = cls._create_opportunity(
            name="Birch & Co Fit-out", amount=50000, stage_id=cls.stage_proposal.id
        )

    def test_br05_drag_back_from_won(self):
        self.birch.action_mark_won()
        self.assertTrue(self.birch.is_won)
        self.assertEqual(self.birch.probability, 100.0)
        self.assertTrue(self.birch.date_won)

        self.birch.write({"stage_id": self.stage_proposal.id})
        self.assertEqual(self.birch.probability, 40.0)
        self.assertEqual(self.birch.weighted_amount, 20000.0)
        self.assertFalse(self.birch.date_won)
        self.assertFalse(self.birch.is_won)

    def test_br05_won_to_negotiation(self):
        self.birch.write({"stage_id": self.stage_won.id})
        self.birch.write({"stage_id": self.stage_negotiation.id})
        self.assertEqual(self.birch.probability, 60.0)
        self.assertEqual(self.birch.weighted_amount, 30000.0)
        self.assertFalse(self.birch.date_won)

    def test_br05_hand_set_value_does_not_survive_winning(self):
        self.birch.probability = 70.0
        self.birch.action_mark_won()
        self.assertEqual(self.birch.probability, 100.0)
        self.assertFalse(self.birch.is_probability_manual)
        self.birch.action_reopen()
        self.assertEqual(self.birch.stage_id, self.stage_proposal)
        self.assertEqual(self.birch.probability, 40.0)

    def test_mark_lost_keeps_reason_and_stays_visible(self):
        wizard = (
            self.env["corymbus.opportunity.lost"]
            .with_context(
                active_model="corymbus.opportunity", active_ids=self.birch.ids
            )
            .create({"lost_reason_id": self.lost_reason.id, "note": "<p>Too late</p>"})
        )
        wizard.action_mark_lost()
        self.assertTrue(self.birch.active)
        self.assertTrue(self.birch.is_lost)
        self.assertEqual(self.birch.stage_id, self.stage_lost)
        self.assertEqual(self.birch.lost_reason_id, self.lost_reason)
        self.assertEqual(self.birch.probability, 0.0)
        self.assertTrue(self.birch.date_lost)
        self.assertIn(
            self.birch,
            self.env["corymbus.opportunity"].search([("is_lost", "=", True)]),
        )

        self.birch.action_reopen()
        self.assertEqual(self.birch.stage_id, self.stage_proposal)
        self.assertFalse(self.birch.lost_reason_id)
        self.assertFalse(self.birch.date_lost)
        self.assertEqual(self.birch.probability, 40.0)

    def test_rpc_write_of_lost_stage_without_reason(self):
        """Imports and integrations may lose a deal without a reason.

        The record stays consistent: lost today, at 0 %, remembering the stage
        it left; only the reason is empty.
        """
        self.birch.write({"stage_id": self.stage_lost.id})
        self.assertRecordValues(
            self.birch,
            [
                {
                    "is_lost": True,
                    "probability": 0.0,
                    "weighted_amount": 0.0,
                    "is_probability_manual": False,
                    "date_lost": fields.Date.context_today(self.birch),
                    "date_won": False,
                    "lost_reason_id": False,
                    "reopen_stage_id": self.stage_proposal.id,
                    "active": True,
                }
            ],
        )
        self.birch.action_reopen()
        self.assertRecordValues(
            self.birch,
            [{"stage_id": self.stage_proposal.id, "date_lost": False}],
        )

    def test_won_deal_written_lost(self):
        self.birch.action_mark_won()
        self.birch.write({"stage_id": self.stage_lost.id})
        self.assertRecordValues(
            self.birch,
            [
                {
                    "probability": 0.0,
                    "date_won": False,
                    "date_lost": fields.Date.context_today(self.birch),
                    "reopen_stage_id": self.stage_proposal.id,
                }
            ],
        )

    def test_form_offers_lost_stage_only_through_the_wizard(self):
        """The form's stage bar leaves out the lost stage until it is reached."""
        arch = (
            self.env["corymbus.opportunity"]
            .with_user(self.salesman)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        node = etree.fromstring(arch).xpath("//header/field[@name='stage_id']")[0]
        self.assertEqual(node.get("domain"), "[('is_lost', '=', False)]")
        action = self.birch.action_open_mark_lost()
        self.assertEqual(action["res_model"], "corymbus.opportunity.lost")
        self.assertEqual(action["context"]["active_ids"], self.birch.ids)

    def test_contacts_from_another_company(self):
        reseller = self.env["res.partner"].create(
            {"name": "Integra Partners", "is_company": True}
        )
        partner_contact = self.env["res.partner"].create(
            {"name": "Hugo Weil", "parent_id": reseller.id}
        )
        role = self.env.ref("corymbus_crm.corymbus_contact_role_partner")
        self.birch.contact_line_ids = [
            Command.create({"partner_id": self.customer_contact.id}),
            Command.create({"partner_id": partner_contact.id, "role_id": role.id}),
        ]
        self.assertEqual(
            self.birch.contact_ids, self.customer_contact | partner_contact
        )
        found = self.env["corymbus.opportunity"].search(
            [("contact_ids", "in", partner_contact.ids)]
        )
        self.assertEqual(found, self.birch)
        self.assertEqual(reseller.corymbus_opportunity_count, 1)
        self.assertEqual(partner_contact.corymbus_opportunity_count, 1)


@tagged("post_install", "-at_install", "corymbus_pipeline")
class TestFixedProbability(CorymbusCase):
    """Won is always 100 % and lost 0 %: a different value is refused, not hidden."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_case_ladder()
        cls.quarry = cls._create_opportunity(
            name="Quarry Lane", amount=10000, stage_id=cls.stage_proposal.id
        )
        cls.signed = cls._create_opportunity(
            name="Signed Deal", amount=8000, stage_id=cls.stage_proposal.id
        )
        cls.signed.action_mark_won()
        cls.dropped = cls._create_opportunity(
            name="Dropped Deal", amount=3000, stage_id=cls.stage_proposal.id
        )
        cls.dropped.action_mark_lost(cls.lost_reason)

    def test_other_probability_with_won_stage_is_refused(self):
        with self.assertRaises(ValidationError) as caught, self.cr.savepoint():
            self.quarry.write({"stage_id": self.stage_won.id, "probability": 80})
        message = str(caught.exception)
        self.assertIn("“Quarry Lane”", message)
        self.assertIn("100 %", message)
        self.assertIn("80 %", message)
        self.assertRecordValues(
            self.quarry,
            [{"stage_id": self.stage_proposal.id, "probability": 40.0}],
        )

    def test_other_probability_with_lost_stage_is_refused(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.quarry.write({"stage_id": self.stage_lost.id, "probability": 10})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._create_opportunity(
                name="Born lost", stage_id=self.stage_lost.id, probability=5.0
            )
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._create_opportunity(
                name="Born won", stage_id=self.stage_won.id, probability=99.5
            )
        self.assertEqual(self.quarry.stage_id, self.stage_proposal)

    def test_other_probability_on_closed_deal_is_refused(self):
        for deal, value in ((self.signed, 50.0), (self.dropped, 20.0)):
            with self.subTest(deal=deal.name):
                with self.assertRaises(ValidationError), self.cr.savepoint():
                    deal.write({"probability": value})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            (self.quarry | self.signed).write({"probability": 45.0})
        self.assertEqual(self.quarry.probability, 40.0)
        self.assertEqual(self.signed.probability, 100.0)
        self.assertEqual(self.dropped.probability, 0.0)

    def test_same_probability_is_accepted(self):
        self.quarry.write({"stage_id": self.stage_won.id, "probability": 100})
        self.assertRecordValues(
            self.quarry,
            [{"is_won": True, "probability": 100.0, "is_probability_manual": False}],
        )
        self.assertTrue(self.quarry.date_won)
        self.signed.write({"probability": 100.0, "name": "Signed Deal (2027)"})
        self.dropped.write({"probability": 0})
        self.signed.action_reset_probability()
        self.assertEqual(self.signed.probability, 100.0)
        self.assertEqual(self.dropped.probability, 0.0)

    def test_leaving_a_closed_stage_takes_any_probability(self):
        self.signed.write({"stage_id": self.stage_negotiation.id, "probability": 70})
        self.assertRecordValues(
            self.signed,
            [{"is_won": False, "probability": 70.0, "is_probability_manual": True}],
        )

    def test_mark_won_keeps_working(self):
        self.quarry.probability = 65.0
        self.quarry.action_mark_won()
        self.assertRecordValues(
            self.quarry,
            [{"is_won": True, "probability": 100.0, "is_probability_manual": False}],
        )

    def test_mass_edit_of_stage(self):
        deals = self.quarry | self.signed | self.dropped
        deals.with_user(self.salesman).write({"stage_id": self.stage_won.id})
        self.assertEqual(deals.mapped("probability"), [100.0, 100.0, 100.0])
        deals.with_user(self.salesman).write({"stage_id": self.stage_lost.id})
        self.assertEqual(deals.mapped("probability"), [0.0, 0.0, 0.0])

    def test_list_mass_edit_skips_closed_deals(self):
        """The list makes the probability read-only on won and lost rows.

        A mass edit leaves out the rows where the field is read-only, so that
        editing the probability of a selection never reaches a closed deal.
        """
        arch = (
            self.env["corymbus.opportunity"]
            .with_user(self.salesman)
            .get_views([(False, "list")])["views"]["list"]["arch"]
        )
        node = etree.fromstring(arch).xpath("//field[@name='probability']")[0]
        self.assertEqual(node.get("readonly"), "is_won or is_lost")

    def test_import_of_won_deal(self):
        Opportunity = self.env["corymbus.opportunity"]
        fields_ = ["name", "stage_id/id", "probability"]
        won = "corymbus_crm.corymbus_stage_won"
        result = Opportunity.load(
            fields_,
            [["Imported win", won, "100"], ["Imported win, no value", won, ""]],
        )
        self.assertFalse(result["messages"])
        imported = Opportunity.browse(result["ids"])
        self.assertEqual(imported.mapped("probability"), [100.0, 100.0])
        self.assertTrue(all(imported.mapped("is_won")))

        result = Opportunity.load(fields_, [["Imported at 80", won, "80"]])
        self.assertFalse(result["ids"])
        self.assertEqual([m["type"] for m in result["messages"]], ["error"])
        self.assertIn("always have a probability", result["messages"][0]["message"])
        self.assertFalse(Opportunity.search([("name", "=", "Imported at 80")]))

    def test_form_stage_change_saves(self):
        """The form's onchange sends a probability with the stage: it fits."""
        form = Form(self.quarry, view="corymbus_crm.corymbus_opportunity_view_form")
        form.probability = 80.0
        form.stage_id = self.stage_won
        self.assertEqual(form.probability, 100.0)
        form.save()
        self.assertRecordValues(self.quarry, [{"is_won": True, "probability": 100.0}])

        form = Form(self.quarry, view="corymbus_crm.corymbus_opportunity_view_form")
        with self.assertRaises(AssertionError):
            form.probability = 60.0
        form.name = "Quarry Lane (signed)"
        form.save()
        self.assertEqual(self.quarry.probability, 100.0)

        form = Form(self.quarry, view="corymbus_crm.corymbus_opportunity_view_form")
        form.stage_id = self.stage_negotiation
        form.probability = 70.0
        form.save()
        self.assertRecordValues(
            self.quarry,
            [{"is_won": False, "probability": 70.0, "is_probability_manual": True}],
        )

    def test_refusal_is_translated(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["corymbus_crm"], ["fr_FR"])
        french = self.signed.with_context(lang="fr_FR")
        with self.assertRaises(ValidationError) as caught, self.cr.savepoint():
            french.write({"probability": 50.0})
        self.assertIn("toujours une probabilité", str(caught.exception))
