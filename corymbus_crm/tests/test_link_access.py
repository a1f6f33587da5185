from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CorymbusCase

OPPORTUNITY_REFUSED = "You can only link an activity to an opportunity you may read."
CONTACTS_REFUSED = "You can only link an activity to contacts you may read."
COMPANY_REFUSED = "You can only link an activity to a company you may read."
DONE_REFUSED = "You can only mark done the activities you may edit."
LOST_REFUSED = "You can only mark lost the opportunities you may edit."


class LinkAccessCase(CorymbusCase):
    """A colleague's deal and activity the own-deals salesman may not read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = cls.env["res.users"].create(
            {
                "name": "Rita Vance",
                "login": "corymbus_link_colleague",
                "group_ids": [
                    Command.link(cls.env.ref("corymbus_crm.group_corymbus_user").id)
                ],
            }
        )
        cls.type_call = cls.env.ref("corymbus_crm.corymbus_activity_type_call")
        cls.own_deal = cls._create_opportunity(name="Own deal")
        cls.unassigned_deal = cls._create_opportunity(name="Open deal", user_id=False)
        cls.secret_customer = cls.env["res.partner"].create(
            {"name": "Hidden Harbour SA", "is_company": True}
        )
        cls.colleague_deal = cls._create_opportunity(
            name="Harbour expansion",
            partner_id=cls.secret_customer.id,
            user_id=cls.colleague.id,
            stage_id=cls.stage_negotiation.id,
        )
        cls.secret_activity = cls.env["corymbus.activity"].create(
            {
                "name": "Discuss the margin floor",
                "type_id": cls.type_call.id,
                "user_id": cls.colleague.id,
                "opportunity_id": cls.colleague_deal.id,
            }
        )

        # A contact and a company that belong to another company only.
        cls.other_company = cls.env["res.company"].create({"name": "Filiale Lyon"})
        cls.foreign_company = cls.env["res.partner"].create(
            {
                "name": "Lyon Textiles",
                "is_company": True,
                "company_id": cls.other_company.id,
            }
        )
        cls.foreign_contact = cls.env["res.partner"].create(
            {
                "name": "Jules Lyon",
                "parent_id": cls.foreign_company.id,
                "company_id": cls.other_company.id,
            }
        )

    def _activity_values(self, **values):
        values.setdefault("name", "Call back")
        values.setdefault("type_id", self.type_call.id)
        values.setdefault("user_id", self.salesman.id)
        return values

    def assertRefused(self, message):
        """Refused with ``message``, and the refused change is undone."""
        return self.assertRaisesRegex(AccessError, f"^{message}$")


@tagged("post_install", "-at_install", "corymbus_security", "corymbus_activity")
class TestActivityLinkAccess(LinkAccessCase):
    """An activity links only to records its author may read."""

    def test_own_salesman_cannot_link_an_unreadable_deal(self):
        Activity = self.env["corymbus.activity"].with_user(self.salesman)
        with self.assertRefused(OPPORTUNITY_REFUSED), self.cr.savepoint():
            Activity.create(
                self._activity_values(opportunity_id=self.colleague_deal.id)
            )
        self.assertEqual(
            self.colleague_deal.corymbus_activity_ids,
            self.secret_activity,
            "nothing shows on the colleague's deal",
        )

        # Nor by writing the link on an activity of her own.
        activity = Activity.create(
            self._activity_values(company_partner_id=self.customer.id)
        )
        with self.assertRefused(OPPORTUNITY_REFUSED), self.cr.savepoint():
            activity.write({"opportunity_id": self.colleague_deal.id})
        self.assertFalse(activity.opportunity_id)
        self.assertEqual(activity.company_partner_id, self.customer)

    def test_own_salesman_links_readable_deals(self):
        Activity = self.env["corymbus.activity"].with_user(self.salesman)
        for deal in (self.own_deal, self.unassigned_deal):
            activity = Activity.create(self._activity_values(opportunity_id=deal.id))
            self.assertEqual(activity.opportunity_id, deal)
            self.assertEqual(activity.company_partner_id, self.customer)

        # Moving her activity from one readable deal to another is fine too.
        activity.opportunity_id = self.own_deal
        self.assertEqual(activity.opportunity_id, self.own_deal)

    def test_all_deals_salesman_links_any_deal(self):
        activity = (
            self.env["corymbus.activity"]
            .with_user(self.salesman_all)
            .create(self._activity_values(opportunity_id=self.colleague_deal.id))
        )
        self.assertEqual(activity.opportunity_id, self.colleague_deal)
        self.assertEqual(activity.company_partner_id, self.secret_customer)

    def test_link_made_by_someone_else_is_kept(self):
        """Editing an activity does not check the links it already had."""
        activity = self.env["corymbus.activity"].create(
            self._activity_values(opportunity_id=self.colleague_deal.id)
        )
        mine = activity.with_user(self.salesman)
        mine.write(
            {
                "outcome": "Left a message",
                "partner_ids": [Command.link(self.customer_contact.id)],
            }
        )
        self.assertEqual(activity.outcome, "Left a message")
        self.assertEqual(activity.opportunity_id, self.colleague_deal)
        self.assertEqual(activity.partner_ids, self.customer_contact)

    def test_contacts_and_company_of_another_company_refused(self):
        Activity = self.env["corymbus.activity"].with_user(self.salesman)
        with self.assertRefused(CONTACTS_REFUSED), self.cr.savepoint():
            Activity.create(
                self._activity_values(
                    partner_ids=[Command.set(self.foreign_contact.ids)],
                    company_partner_id=self.customer.id,
                )
            )
        with self.assertRefused(COMPANY_REFUSED), self.cr.savepoint():
            Activity.create(
                self._activity_values(company_partner_id=self.foreign_company.id)
            )

        activity = Activity.create(
            self._activity_values(partner_ids=[Command.set(self.customer_contact.ids)])
        )
        with self.assertRefused(CONTACTS_REFUSED), self.cr.savepoint():
            activity.write({"partner_ids": [Command.link(self.foreign_contact.id)]})
        with self.assertRefused(COMPANY_REFUSED), self.cr.savepoint():
            activity.write({"company_partner_id": self.foreign_company.id})
        self.assertEqual(activity.partner_ids, self.customer_contact)
        self.assertEqual(activity.company_partner_id, self.customer)

        # Contacts of her companies stay free to link, whoever owns the deals.
        activity.write({"partner_ids": [Command.link(self.secret_customer.id)]})
        self.assertIn(self.secret_customer, activity.partner_ids)

    def test_user_of_both_companies_links_their_contacts(self):
        self.salesman.write({"company_ids": [Command.link(self.other_company.id)]})
        activity = (
            self.env["corymbus.activity"]
            .with_user(self.salesman)
            .with_context(allowed_company_ids=[self.company.id, self.other_company.id])
            .create(
                self._activity_values(
                    partner_ids=[Command.set(self.foreign_contact.ids)]
                )
            )
        )
        self.assertEqual(activity.company_partner_id, self.foreign_company)


@tagged("post_install", "-at_install", "corymbus_security", "corymbus_activity")
class TestWizardAccess(LinkAccessCase):
    """Wizards take only records the user may use, and show nothing else."""

    def test_mark_done_wizard_refuses_an_unreadable_activity(self):
        Wizard = self.env["corymbus.activity.done"].with_user(self.salesman)
        context = {"default_activity_id": self.secret_activity.id}
        with self.assertRefused(DONE_REFUSED) as caught:
            Wizard.with_context(**context).default_get(["activity_id", "next_name"])
        self.assertNotIn("margin", str(caught.exception))
        with self.assertRefused(DONE_REFUSED):
            Form(Wizard.with_context(**context))
        with self.assertRefused(DONE_REFUSED), self.cr.savepoint():
            Wizard.create({"activity_id": self.secret_activity.id})

        # Nor by changing the activity of a wizard, or through an onchange.
        own = (
            self.env["corymbus.activity"]
            .with_user(self.salesman)
            .create(self._activity_values(opportunity_id=self.own_deal.id))
        )
        wizard = Wizard.create({"activity_id": own.id})
        self.assertEqual(wizard.next_name, "Call back")
        with self.assertRefused(DONE_REFUSED), self.cr.savepoint():
            wizard.write({"activity_id": self.secret_activity.id})
        with self.assertRefused(DONE_REFUSED):
            Wizard.onchange(
                {"activity_id": self.secret_activity.id},
                ["activity_id"],
                {"activity_id": {}, "next_name": {}, "outcome": {}},
            )
        self.assertEqual(self.secret_activity.state, "planned")

    def test_mark_done_wizard_for_those_who_may(self):
        Wizard = self.env["corymbus.activity.done"].with_user(self.salesman_all)
        wizard = Wizard.create({"activity_id": self.secret_activity.id})
        self.assertEqual(wizard.next_name, "Discuss the margin floor")
        self.assertEqual(wizard.next_user_id, self.colleague)
        wizard.outcome = "Floor agreed"
        wizard.action_done()
        self.assertEqual(self.secret_activity.state, "done")
        self.assertEqual(self.secret_activity.outcome, "Floor agreed")

    def test_lost_wizard_refuses_unreadable_deals(self):
        Wizard = self.env["corymbus.opportunity.lost"].with_user(self.salesman)
        context = {
            "active_model": "corymbus.opportunity",
            "active_ids": [self.own_deal.id, self.colleague_deal.id],
        }
        with self.assertRefused(LOST_REFUSED):
            Wizard.with_context(**context).default_get(["opportunity_ids"])
        values = {
            "opportunity_ids": [Command.set(self.colleague_deal.ids)],
            "lost_reason_id": self.lost_reason.id,
        }
        with self.assertRefused(LOST_REFUSED), self.cr.savepoint():
            Wizard.create(values)

        wizard = Wizard.create(
            {**values, "opportunity_ids": [Command.set(self.own_deal.ids)]}
        )
        with self.assertRefused(LOST_REFUSED), self.cr.savepoint():
            wizard.write({"opportunity_ids": [Command.link(self.colleague_deal.id)]})
        wizard.action_mark_lost()
        self.assertEqual(self.own_deal.stage_id, self.stage_lost)
        self.assertNotEqual(self.colleague_deal.stage_id, self.stage_lost)

    def test_audience_export_takes_readable_contact_filters_only(self):
        group = self.env["corymbus.contact.group"].create(
            {"name": "Fair leads", "partner_ids": [Command.set(self.customer.ids)]}
        )
        private = self.env["ir.filters"].create(
            {
                "name": "Rita's best customers",
                "model_id": "res.partner",
                "domain": "[('is_company', '=', True)]",
                "user_ids": [Command.set(self.colleague.ids)],
            }
        )
        deals_filter = self.env["ir.filters"].create(
            {
                "name": "My deals",
                "model_id": "corymbus.opportunity",
                "domain": "[]",
                "user_ids": [Command.set(self.salesman.ids)],
            }
        )
        Export = self.env["corymbus.audience.export"].with_user(self.salesman)
        with (
            self.assertRefused("You can only use a saved filter you may read."),
            self.cr.savepoint(),
        ):
            Export.create({"filter_id": private.id})
        with (
            self.assertRaisesRegex(UserError, "^Choose a saved filter of contacts.$"),
            self.cr.savepoint(),
        ):
            Export.create({"filter_id": deals_filter.id})

        export = Export.create({"group_id": group.id})
        self.assertEqual(export.audience_count, 1)
        with (
            self.assertRefused("You can only use a saved filter you may read."),
            self.cr.savepoint(),
        ):
            export.write({"filter_id": private.id})

    def test_prospecting_session_points_at_its_own_things(self):
        group = self.env["corymbus.contact.group"].create(
            {
                "name": "Harbour people",
                "partner_ids": [Command.set(self.customer_contact.ids)],
            }
        )
        Session = self.env["corymbus.prospecting.session"]
        theirs = Session.with_user(self.colleague).create({"group_id": group.id})
        theirs.action_start()
        mine = Session.with_user(self.salesman).create({"group_id": group.id})
        mine.action_start()

        with (
            self.assertRefused(
                "You can only log a call about an opportunity you may read."
            ),
            self.cr.savepoint(),
        ):
            mine.write({"call_opportunity_id": self.colleague_deal.id})
        with (
            self.assertRefused("A session can only show one of its own contacts."),
            self.cr.savepoint(),
        ):
            mine.write({"current_line_id": theirs.sudo().current_line_id.id})

        mine.write(
            {"call_opportunity_id": self.own_deal.id, "call_outcome": "no_answer"}
        )
        mine.action_log_call()
        logged = self.env["corymbus.activity"].search(
            [("opportunity_id", "=", self.own_deal.id)]
        )
        self.assertEqual(logged.partner_ids, self.customer_contact)
        self.assertEqual(mine.state, "done")

    def test_import_problem_names_only_readable_contacts(self):
        Wizard = self.env["corymbus.contact.import"].with_user(self.salesman)
        wizard = Wizard.create({})
        Issue = self.env["corymbus.contact.import.issue"].with_user(self.salesman)
        values = {"wizard_id": wizard.id, "message": "Seen", "number": 1}
        with self.assertRaises(AccessError), self.cr.savepoint():
            Issue.create(dict(values, partner_id=self.foreign_contact.id))
        issue = Issue.create(dict(values, partner_id=self.customer.id))
        self.assertEqual(issue.partner_id, self.customer)
