from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CorymbusCase


@tagged("post_install", "-at_install", "corymbus_prospecting")
class TestProspectingSession(CorymbusCase):
    """One contact at a time, with progress, and a session that resumes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.people = Partner.create(
            [
                {
                    "name": "Ana Reyes",
                    "parent_id": cls.customer.id,
                    "phone": "+33 1 00",
                },
                {"name": "Ben Ochoa"},
                {"name": "Chloé Martin"},
            ]
        )
        cls.ana, cls.ben, cls.chloe = cls.people
        cls.group = cls.env["corymbus.contact.group"].create(
            {"name": "Fair leads", "partner_ids": [(6, 0, cls.people.ids)]}
        )
        cls.deal = cls._create_opportunity(
            name="Ridge Pumps",
            user_id=cls.salesman.id,
            contact_line_ids=[(0, 0, {"partner_id": cls.ana.id})],
        )

    def _start(self, user):
        Session = self.env["corymbus.prospecting.session"].with_user(user)
        session = Session.create({"group_id": self.group.id})
        session.action_start()
        return session

    def test_one_contact_at_a_time_with_context(self):
        session = self._start(self.salesman)
        self.assertEqual(session.state, "running")
        self.assertEqual(session.total_count, 3)
        self.assertEqual(session.progress_label, "1 of 3")
        self.assertEqual(session.partner_id, self.ana)
        self.assertEqual(session.partner_company_id, self.customer)
        self.assertEqual(session.partner_phone, "+33 1 00")
        self.assertEqual(session.opportunity_ids, self.deal)
        self.assertIn("Nothing recorded yet", session.activity_summary)

        session.write({"call_outcome": "interested", "call_note": "Wants a demo"})
        session.action_log_call()
        self.assertEqual(session.progress_label, "2 of 3")
        self.assertEqual(session.partner_id, self.ben)
        self.assertFalse(session.call_outcome)
        line = session.line_ids.filtered(lambda line: line.partner_id == self.ana)
        self.assertEqual(
            (line.state, line.outcome, line.note),
            ("called", "interested", "Wants a demo"),
        )
        self.assertIn("Wants a demo", self.ana.message_ids[0].body)

    def test_log_call_needs_an_outcome(self):
        session = self._start(self.salesman)
        with self.assertRaises(UserError):
            session.action_log_call()

    def test_plan_skip_create_opportunity(self):
        session = self._start(self.salesman)
        session.write({"next_date": "2026-05-12", "next_summary": "Send the quote"})
        session.action_plan_next()
        activity = self.ana.activity_ids
        self.assertEqual(activity.summary, "Send the quote")
        self.assertEqual(str(activity.date_deadline), "2026-05-12")

        action = session.action_create_opportunity()
        deal = self.env["corymbus.opportunity"].browse(action["res_id"])
        self.assertEqual(deal.partner_id, self.customer)
        self.assertEqual(deal.contact_line_ids.partner_id, self.ana)
        self.assertEqual(deal.user_id, self.salesman)

        session.action_skip()
        session.write({"call_outcome": "no_answer"})
        session.action_log_call()
        self.assertEqual(session.progress_label, "3 of 3")
        session.action_skip()
        self.assertEqual(session.state, "done")
        self.assertEqual(session.progress_label, "3 of 3")
        self.assertEqual(
            session.line_ids.mapped("state"), ["skipped", "called", "skipped"]
        )
        with self.assertRaises(UserError):
            session.action_skip()

    def test_leave_and_resume_where_it_stopped(self):
        session = self._start(self.salesman)
        session.write({"call_outcome": "call_back"})
        session.action_log_call()
        session.action_leave()

        # Later, in a fresh environment, the session is found and resumed.
        self.env.invalidate_all()
        Session = self.env["corymbus.prospecting.session"].with_user(self.salesman)
        resumed = Session.search([("state", "=", "running")])
        self.assertEqual(resumed, session)
        action = resumed.action_resume()
        self.assertEqual(
            (action["res_model"], action["res_id"]), (Session._name, session.id)
        )
        self.assertEqual(resumed.partner_id, self.ben)
        self.assertEqual(resumed.progress_label, "2 of 3")

        # Members who join the group later do not disturb a running session.
        self.group.partner_ids |= self.env["res.partner"].create({"name": "Dana Holt"})
        self.assertEqual(resumed.total_count, 3)

    def test_empty_group_cannot_start(self):
        empty = self.env["corymbus.contact.group"].create({"name": "Nobody"})
        session = self.env["corymbus.prospecting.session"].create(
            {"group_id": empty.id}
        )
        with self.assertRaises(UserError):
            session.action_start()

    def test_sessions_belong_to_their_salesperson(self):
        session = self._start(self.salesman)
        Session = self.env["corymbus.prospecting.session"]
        self.assertFalse(
            Session.with_user(self.salesman_all).search([("id", "=", session.id)])
        )
        self.assertEqual(
            Session.with_user(self.manager).search([("id", "=", session.id)]), session
        )
        with self.assertRaises(AccessError):
            session.with_user(self.salesman_all).read(["name"])
        with self.assertRaises(AccessError):
            Session.with_user(self.portal_user).search([])

    def test_start_from_the_group(self):
        action = self.group.with_user(self.salesman).action_start_prospecting()
        session = self.env["corymbus.prospecting.session"].browse(action["res_id"])
        self.assertEqual(session.user_id, self.salesman)
        self.assertEqual(session.partner_id, self.ana)
