from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import html2plaintext

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
        cls.call_type = cls.env.ref("corymbus_crm.corymbus_activity_type_call")
        cls.meeting_type = cls.env.ref("corymbus_crm.corymbus_activity_type_meeting")

    def _start(self, user):
        Session = self.env["corymbus.prospecting.session"].with_user(user)
        session = Session.create({"group_id": self.group.id})
        session.action_start()
        return session

    def _activities_of(self, partner):
        return self.env["corymbus.activity"].search(
            [("partner_ids", "in", partner.ids)]
        )

    def test_one_contact_at_a_time_with_context(self):
        session = self._start(self.salesman)
        self.assertEqual(session.state, "running")
        self.assertEqual(session.total_count, 3)
        self.assertEqual(session.progress_label, "1 of 3")
        self.assertEqual(session.partner_id, self.ana)
        self.assertEqual(session.partner_company_id, self.customer)
        self.assertEqual(session.partner_phone, "+33 1 00")
        self.assertEqual(session.opportunity_ids, self.deal)
        self.assertFalse(session.last_activity_ids)

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

    def test_logged_call_is_a_done_call_activity(self):
        session = self._start(self.salesman)

        # Ana has one open opportunity: the call is about it unless told otherwise.
        self.assertEqual(session.call_opportunity_id, self.deal)
        session.write(
            {"call_outcome": "interested", "call_note": "Wants a demo\nin May"}
        )
        session.action_log_call()

        call = self._activities_of(self.ana)
        self.assertEqual(len(call), 1)
        self.assertRecordValues(
            call,
            [
                {
                    "type_id": self.call_type.id,
                    "name": "Call: Interested",
                    "state": "done",
                    "outcome": "Interested",
                    "user_id": self.salesman.id,
                    "done_user_id": self.salesman.id,
                    "company_partner_id": self.customer.id,
                    "opportunity_id": self.deal.id,
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertEqual(call.partner_ids, self.ana)
        self.assertTrue(call.date_done)
        self.assertEqual(html2plaintext(call.note), "Wants a demo\nin May")

        # The call shows on the timelines of the contact, the company and the deal.
        self.assertIn(call, self.ana.corymbus_activity_ids)
        self.assertIn(call, self.customer.corymbus_activity_ids)
        self.assertIn(call, self.deal.corymbus_activity_ids)

        # The session no longer posts in the chatter nor uses mail activities.
        self.assertFalse(self.ana.activity_ids)
        self.assertFalse(
            self.ana.message_ids.filtered(lambda m: "Wants a demo" in (m.body or ""))
        )

    def test_call_without_company_or_opportunity(self):
        # Ben has neither a company nor an opportunity: the call is his alone.
        self.group.partner_ids = self.ben
        session = self._start(self.salesman)
        self.assertFalse(session.call_opportunity_id)
        session.write({"call_outcome": "no_answer"})
        session.action_log_call()
        self.assertEqual(session.state, "done")

        call = self._activities_of(self.ben)
        self.assertRecordValues(
            call,
            [
                {
                    "name": "Call: No Answer",
                    "outcome": "No Answer",
                    "state": "done",
                    "company_partner_id": False,
                    "opportunity_id": False,
                    "note": False,
                }
            ],
        )

    def test_session_card_shows_last_activities(self):
        Activity = self.env["corymbus.activity"]
        note = Activity.create(
            {
                "type_id": self.env.ref("corymbus_crm.corymbus_activity_type_note").id,
                "name": "Met at the fair",
                "state": "done",
                "partner_ids": [(6, 0, self.ana.ids)],
                "note": "<p>Prefers e-mail</p>",
            }
        )
        deal_meeting = Activity.create(
            {
                "type_id": self.meeting_type.id,
                "name": "Pump sizing",
                "opportunity_id": self.deal.id,
                "user_id": self.salesman.id,
            }
        )
        other = Activity.create(
            {"name": "Chloé's call", "partner_ids": [(6, 0, self.chloe.ids)]}
        )
        self.ana.comment = "<p>Speaks Spanish</p>"

        session = self._start(self.salesman)
        self.assertEqual(session.last_activity_ids, deal_meeting | note)
        self.assertNotIn(other, session.last_activity_ids)
        self.assertEqual(session.last_activity_ids[1].note_preview, "Prefers e-mail")
        self.assertEqual(html2plaintext(session.partner_comment), "Speaks Spanish")

        # A logged call joins the history of the contact; the next contact's
        # card shows their own.
        session.write({"call_outcome": "voicemail"})
        session.action_log_call()
        self.assertEqual(session.partner_id, self.ben)
        self.assertFalse(session.last_activity_ids)
        session.action_skip()
        self.assertEqual(session.last_activity_ids, other)
        self.assertEqual(
            len(self._activities_of(self.ana).filtered(lambda a: a.state == "done")),
            2,
        )

    def test_log_call_needs_an_outcome(self):
        session = self._start(self.salesman)
        with self.assertRaises(UserError):
            session.action_log_call()

    def test_plan_skip_create_opportunity(self):
        session = self._start(self.salesman)
        self.assertEqual(session.next_type_id, self.call_type)
        session.write(
            {
                "next_type_id": self.meeting_type.id,
                "next_date": "2026-05-12",
                "next_summary": "Send the quote",
            }
        )
        session.action_plan_next()
        planned = self._activities_of(self.ana)
        self.assertRecordValues(
            planned,
            [
                {
                    "type_id": self.meeting_type.id,
                    "name": "Send the quote",
                    "state": "planned",
                    "is_all_day": True,
                    "user_id": self.salesman.id,
                    "company_partner_id": self.customer.id,
                    "opportunity_id": self.deal.id,
                }
            ],
        )
        self.assertEqual(str(planned.all_day_start), "2026-05-12")
        self.assertEqual(str(planned.date_day), "2026-05-12")
        self.assertFalse(self.ana.activity_ids)
        self.assertEqual((session.next_date, session.next_summary), (False, False))
        self.assertEqual(session.partner_id, self.ana, "planning does not move on")
        session.invalidate_recordset(["last_activity_ids"])
        self.assertEqual(session.last_activity_ids, planned)

        action = session.action_create_opportunity()
        deal = self.env["corymbus.opportunity"].browse(action["res_id"])
        self.assertEqual(deal.partner_id, self.customer)
        self.assertEqual(deal.contact_line_ids.partner_id, self.ana)
        self.assertEqual(deal.user_id, self.salesman)

        # The call being made is about the new opportunity now; a follow-up
        # without a summary is named after its type.
        self.assertEqual(session.call_opportunity_id, deal)
        session.write({"next_date": "2026-05-20"})
        session.action_plan_next()
        follow_up = self._activities_of(self.ana) - planned
        self.assertRecordValues(
            follow_up,
            [{"name": "Meeting", "opportunity_id": deal.id, "state": "planned"}],
        )
        with self.assertRaises(UserError):
            session.action_plan_next()

        session.action_skip()
        self.assertFalse(
            self._activities_of(self.ana).filtered(lambda a: a.state == "done"),
            "a skipped contact gets no call",
        )
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
