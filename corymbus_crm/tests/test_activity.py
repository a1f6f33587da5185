from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged, users

from .common import CorymbusCase


class ActivityCase(CorymbusCase):
    """Fixtures of the activity tests: types and a second customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Activity = cls.env["corymbus.activity"]
        cls.type_call = cls.env.ref("corymbus_crm.corymbus_activity_type_call")
        cls.type_meeting = cls.env.ref("corymbus_crm.corymbus_activity_type_meeting")
        cls.type_note = cls.env.ref("corymbus_crm.corymbus_activity_type_note")
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Quarry Lane Ltd", "is_company": True}
        )
        cls.other_contact = cls.env["res.partner"].create(
            {"name": "Ivo Marsh", "parent_id": cls.other_customer.id}
        )

    def _create_activity(self, **values):
        values.setdefault("name", "Call back")
        values.setdefault("type_id", self.type_call.id)
        values.setdefault("user_id", self.salesman.id)
        if not any(
            key in values
            for key in ("partner_ids", "company_partner_id", "opportunity_id")
        ):
            values["company_partner_id"] = self.customer.id
        return self.Activity.create(values)


@tagged("post_install", "-at_install", "corymbus_activity")
class TestActivityRules(ActivityCase):
    """Links, dates, completion and the timelines."""

    def test_type_defaults(self):
        self.assertEqual(self.type_call.icon, "fa-phone")
        self.assertTrue(self.type_meeting.is_calendar_default)
        self.assertFalse(self.type_call.is_calendar_default)
        activity = self._create_activity(type_id=self.type_meeting.id)
        self.assertEqual(activity.duration, 1.0)
        self.assertEqual(activity.date_stop, activity.date_start + timedelta(hours=1))

    def test_a_link_is_required(self):
        with self.assertRaisesRegex(ValidationError, "contact, a company or"):
            self.Activity.create({"name": "Orphan", "type_id": self.type_call.id})

    def test_contact_fills_company(self):
        activity = self._create_activity(
            partner_ids=[Command.set(self.customer_contact.ids)]
        )
        self.assertEqual(activity.company_partner_id, self.customer)

        # A later write fills an empty company too.
        activity.company_partner_id = False
        activity.write({"partner_ids": [Command.set(self.other_contact.ids)]})
        self.assertEqual(activity.company_partner_id, self.other_customer)

    def test_contact_fills_company_onchange(self):
        form = Form(self.Activity)
        form.name = "Demo"
        form.partner_ids.add(self.customer_contact)
        self.assertEqual(form.company_partner_id, self.customer)

    def test_company_chosen_by_hand_stays(self):
        activity = self._create_activity(
            company_partner_id=self.other_customer.id,
            partner_ids=[Command.set(self.customer_contact.ids)],
        )
        self.assertEqual(activity.company_partner_id, self.other_customer)

    def test_opportunity_fills_company(self):
        opportunity = self._create_opportunity(partner_id=self.other_customer.id)
        activity = self._create_activity(opportunity_id=opportunity.id)
        self.assertEqual(activity.company_partner_id, self.other_customer)

    def test_name_defaults_to_type(self):
        activity = self.Activity.create(
            {"type_id": self.type_note.id, "company_partner_id": self.customer.id}
        )
        self.assertEqual(activity.name, "Note")

    def test_timeline_shows_on_company_contact_and_opportunity(self):
        opportunity = self._create_opportunity(
            contact_line_ids=[Command.create({"partner_id": self.customer_contact.id})]
        )
        on_contact = self._create_activity(
            name="On contact", partner_ids=[Command.set(self.customer_contact.ids)]
        )
        on_opportunity = self._create_activity(
            name="On deal", opportunity_id=opportunity.id
        )
        # Linked to the deal only, its company cleared: still on the company
        # through the deal.
        on_opportunity.company_partner_id = False
        elsewhere = self._create_activity(company_partner_id=self.other_customer.id)

        company_timeline = self.customer.corymbus_activity_ids
        self.assertEqual(set(company_timeline.ids), {on_contact.id, on_opportunity.id})
        self.assertEqual(self.customer.corymbus_activity_count, 2)
        self.assertEqual(
            set(self.customer_contact.corymbus_activity_ids.ids),
            {on_contact.id, on_opportunity.id},
        )
        self.assertEqual(opportunity.corymbus_activity_ids, on_opportunity)
        self.assertNotIn(elsewhere, company_timeline)

    def test_timeline_order(self):
        now = fields.Datetime.now()
        past_old = self._create_activity(
            name="Old", date_start=now - timedelta(days=9), state="done"
        )
        past_new = self._create_activity(
            name="New", date_start=now - timedelta(days=1), state="done"
        )
        soon = self._create_activity(name="Soon", date_start=now + timedelta(days=1))
        later = self._create_activity(name="Later", date_start=now + timedelta(days=5))
        cancelled = self._create_activity(
            name="Cancelled", date_start=now - timedelta(days=3)
        )
        cancelled.action_cancel()
        self.assertEqual(
            self.customer.corymbus_activity_ids.mapped("name"),
            ["Soon", "Later", "New", "Cancelled", "Old"],
        )
        self.assertTrue(past_old and past_new and soon and later)

    def test_overdue(self):
        now = fields.Datetime.now()
        late = self._create_activity(date_start=now - timedelta(days=2))
        future = self._create_activity(date_start=now + timedelta(days=2))
        done_late = self._create_activity(
            date_start=now - timedelta(days=2), state="done"
        )
        late_all_day = self._create_activity(
            is_all_day=True, all_day_start=date.today() - timedelta(days=3)
        )
        self.assertTrue(late.is_overdue)
        self.assertFalse(future.is_overdue)
        self.assertFalse(done_late.is_overdue)
        self.assertTrue(late_all_day.is_overdue)
        found = self.Activity.search([("is_overdue", "=", True)])
        self.assertIn(late, found)
        self.assertIn(late_all_day, found)
        self.assertNotIn(future, found)
        self.assertNotIn(done_late, found)
        self.assertIn(future, self.Activity.search([("is_overdue", "=", False)]))

    def test_next_activity_on_opportunity(self):
        now = fields.Datetime.now()
        opportunity = self._create_opportunity()
        idle = self._create_opportunity(name="Idle deal")
        self.assertFalse(opportunity.next_activity_id)

        late = self._create_activity(
            opportunity_id=opportunity.id, date_start=now - timedelta(days=1)
        )
        self._create_activity(
            opportunity_id=opportunity.id, date_start=now + timedelta(days=1)
        )
        self.assertEqual(opportunity.next_activity_id, late)
        self.assertTrue(opportunity.is_next_activity_overdue)

        late.action_done()
        self.assertNotEqual(opportunity.next_activity_id, late)
        self.assertFalse(opportunity.is_next_activity_overdue)

        without = self.env["corymbus.opportunity"].search(
            [("next_activity_id", "=", False), ("id", "in", (opportunity | idle).ids)]
        )
        self.assertEqual(without, idle)

    def test_quick_actions_prefill_links(self):
        opportunity = self._create_opportunity(
            contact_line_ids=[Command.create({"partner_id": self.customer_contact.id})]
        )
        action = opportunity.action_log_call()
        form = Form(self.Activity.with_context(**action["context"]))
        activity = form.save()
        self.assertEqual(activity.type_id, self.type_call)
        self.assertEqual(activity.opportunity_id, opportunity)
        self.assertEqual(activity.company_partner_id, self.customer)
        self.assertEqual(activity.partner_ids, self.customer_contact)
        self.assertEqual(activity.state, "planned")

        action = self.customer_contact.action_corymbus_add_note()
        note = Form(self.Activity.with_context(**action["context"])).save()
        self.assertEqual(note.type_id, self.type_note)
        self.assertEqual(note.state, "done")
        self.assertEqual(note.partner_ids, self.customer_contact)
        self.assertEqual(note.company_partner_id, self.customer)

        action = self.customer.action_corymbus_schedule_meeting()
        meeting = Form(self.Activity.with_context(**action["context"])).save()
        self.assertEqual(meeting.type_id, self.type_meeting)
        self.assertEqual(meeting.company_partner_id, self.customer)

    def test_mark_done_and_plan_next(self):
        opportunity = self._create_opportunity()
        activity = self._create_activity(
            opportunity_id=opportunity.id,
            partner_ids=[Command.set(self.customer_contact.ids)],
        )
        action = activity.action_mark_done()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.outcome = "Send the offer"
        wizard.next_name = "Follow up on the offer"
        result = wizard.save().action_done_and_plan_next()

        self.assertEqual(activity.state, "done")
        self.assertEqual(activity.outcome, "Send the offer")
        following = self.Activity.browse(result["res_id"])
        self.assertEqual(following.name, "Follow up on the offer")
        self.assertEqual(following.state, "planned")
        self.assertEqual(following.type_id, activity.type_id)
        self.assertEqual(following.opportunity_id, opportunity)
        self.assertEqual(following.partner_ids, self.customer_contact)
        self.assertEqual(following.company_partner_id, self.customer)
        self.assertGreater(following.date_start, fields.Datetime.now())


@tagged("post_install", "-at_install", "corymbus_activity")
class TestActivityLinks(ActivityCase):
    """Outside documents as URL attachments."""

    def _attach(self, activity, url, name="Link"):
        return self.env["ir.attachment"].create(
            {
                "name": name,
                "type": "url",
                "url": url,
                "res_model": "corymbus.activity",
                "res_id": activity.id,
            }
        )

    def test_web_links_accepted_with_their_site(self):
        activity = self._create_activity()
        link = self._attach(
            activity, "https://drive.google.com/file/d/abc/view", "Price list"
        )
        self.assertEqual(link.corymbus_url_site, "drive.google.com")
        self._attach(activity, "http://www.example.com/page")
        self.assertEqual(len(activity.attachment_ids), 2)
        self.assertIn("Price list (drive.google.com)", activity.attachment_summary)

    def test_unsafe_links_refused(self):
        activity = self._create_activity()
        for url in (
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "file:///etc/passwd",
            "https://",
            "drive.google.com/x",
        ):
            with (
                self.subTest(url=url),
                self.assertRaisesRegex(ValidationError, "not a web address"),
            ):
                self._attach(activity, url)

    def test_unsafe_link_refused_on_write_and_through_activity(self):
        activity = self._create_activity()
        link = self._attach(activity, "https://example.com/doc")
        with self.assertRaises(ValidationError):
            link.url = "javascript:alert(document.cookie)"
        with self.assertRaises(ValidationError):
            activity.write(
                {
                    "attachment_ids": [
                        Command.create(
                            {"name": "Bad", "type": "url", "url": "data:,hello"}
                        )
                    ]
                }
            )

    def test_links_elsewhere_untouched(self):
        # Only links of activities are checked.
        attachment = self.env["ir.attachment"].create(
            {"name": "Asset", "type": "url", "url": "/web/static/img.png"}
        )
        self.assertEqual(attachment.url, "/web/static/img.png")

    def test_attachment_through_activity_commands(self):
        activity = self._create_activity(
            attachment_ids=[
                Command.create(
                    {"name": "Deck", "type": "url", "url": "https://example.com/d"}
                )
            ]
        )
        self.assertEqual(activity.attachment_ids.res_model, "corymbus.activity")
        self.assertEqual(activity.attachment_ids.res_id, activity.id)


@tagged("post_install", "-at_install", "corymbus_activity")
class TestActivityCases(ActivityCase):
    """The reported cases BR-17 and BR-19."""

    def test_br17_done_keeps_everything(self):
        """BR-17: marking done deletes nothing and records who and when."""
        opportunity = self._create_opportunity(name="Quarry Lane")
        activity = self._create_activity(
            name="Call back about pricing",
            opportunity_id=opportunity.id,
            note="<p>Ask for volume tiers</p>",
        ).with_user(self.salesman)
        files = self.env["ir.attachment"].create(
            [
                {
                    "name": "call-notes.pdf",
                    "raw": b"%PDF-1.4 notes",
                    "res_model": "corymbus.activity",
                    "res_id": activity.id,
                },
                {
                    "name": "Pricing sheet",
                    "type": "url",
                    "url": "https://docs.example.com/d/4711",
                    "res_model": "corymbus.activity",
                    "res_id": activity.id,
                },
            ]
        )

        action = activity.action_mark_done()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.salesman)
            .with_context(**action["context"])
        )
        wizard.outcome = "Agreed 5 % discount"
        wizard.save().action_done()

        activity.invalidate_recordset()
        self.assertTrue(activity.exists())
        self.assertEqual(activity.state, "done")
        self.assertEqual(activity.outcome, "Agreed 5 % discount")
        self.assertIn("Ask for volume tiers", activity.note)
        self.assertEqual(activity.opportunity_id, opportunity)
        self.assertEqual(activity.done_user_id, self.salesman)
        self.assertEqual(activity.date_done.date(), fields.Date.today())
        self.assertTrue(files.exists() == files)
        self.assertEqual(activity.attachment_ids, files)
        self.assertEqual(set(files.mapped("res_id")), {activity.id})

        # The files stay readable by whoever reads the opportunity, and the
        # done activity stays in the history and in reporting.
        pdf = files.filtered(lambda f: f.type == "binary").with_user(self.salesman)
        self.assertEqual(pdf.raw, b"%PDF-1.4 notes")
        history = self.Activity.with_user(self.salesman).search(
            [("opportunity_id", "=", opportunity.id), ("state", "=", "done")]
        )
        self.assertEqual(history, activity)
        self.assertIn(
            activity, opportunity.with_user(self.salesman).corymbus_activity_ids
        )

        # The opportunity lists them among its documents.
        deal = opportunity.with_user(self.salesman)
        documents = self.env["ir.attachment"].search(
            deal.action_open_corymbus_documents()["domain"]
        )
        self.assertEqual(documents & files, files)
        self.assertEqual(deal.corymbus_document_count, len(documents))

    def _br19_activity(self, creator):
        return (
            self.Activity.with_user(creator)
            .with_context(tz=creator.tz)
            .create(
                {
                    "name": "Trade fair",
                    "type_id": self.type_meeting.id,
                    "company_partner_id": self.customer.id,
                    "is_all_day": True,
                    "all_day_start": "2026-01-31",
                    "all_day_stop": "2026-01-31",
                }
            )
        )

    def test_br19_all_day_same_day_everywhere(self):
        """BR-19: an all-day activity reads the same day in every zone."""
        self.salesman.tz = "America/Winnipeg"
        self.salesman_all.tz = "Pacific/Auckland"
        export = self.env.ref("base.group_allow_export")
        (self.salesman | self.salesman_all).group_ids = [Command.link(export.id)]
        for creator in (self.salesman, self.salesman_all):
            activity = self._br19_activity(creator)
            for reader in (self.salesman, self.salesman_all):
                with self.subTest(creator=creator.tz, reader=reader.tz):
                    seen = activity.with_user(reader).with_context(tz=reader.tz)
                    self.assertEqual(seen.all_day_start, date(2026, 1, 31))
                    self.assertEqual(seen.all_day_stop, date(2026, 1, 31))
                    self.assertEqual(seen.date_day, date(2026, 1, 31))
                    exported = seen.export_data(
                        ["name", "all_day_start", "all_day_stop"]
                    )["datas"]
                    self.assertEqual(
                        [str(value) for value in exported[0][1:]],
                        ["2026-01-31", "2026-01-31"],
                    )
                    # The calendar view reads the date part of the start.
                    self.assertEqual(seen.date_start.date(), date(2026, 1, 31))

    def test_br19_calendar_move_keeps_date_part(self):
        """Moving an all-day item in the calendar writes its day as is."""
        self.salesman.tz = "Pacific/Auckland"
        activity = self._br19_activity(self.salesman)
        activity.with_user(self.salesman).with_context(tz="Pacific/Auckland").write(
            {"date_start": "2026-02-03", "date_stop": "2026-02-04"}
        )
        self.assertEqual(activity.all_day_start, date(2026, 2, 3))
        self.assertEqual(activity.all_day_stop, date(2026, 2, 4))


@tagged("post_install", "-at_install", "corymbus_activity")
class TestActivityAccess(ActivityCase):
    """Who sees and edits which activity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = cls.env["res.users"].create(
            {
                "name": "Rita Vance",
                "login": "corymbus_activity_colleague",
                "group_ids": [
                    Command.link(cls.env.ref("corymbus_crm.group_corymbus_user").id)
                ],
            }
        )
        cls.own_deal = cls._create_opportunity(name="Own deal")
        cls.colleague_deal = cls._create_opportunity(
            name="Colleague deal", user_id=cls.colleague.id
        )
        Activity = cls.env["corymbus.activity"]
        cls.on_own_deal = Activity.create(
            {
                "name": "Own call",
                "user_id": cls.colleague.id,
                "opportunity_id": cls.own_deal.id,
            }
        )
        cls.secret = Activity.create(
            {
                "name": "Secret note",
                "type_id": cls.env.ref("corymbus_crm.corymbus_activity_type_note").id,
                "user_id": cls.colleague.id,
                "opportunity_id": cls.colleague_deal.id,
                "note": "<p>Margin floor 12 %</p>",
            }
        )
        cls.mine_on_colleague_deal = Activity.create(
            {
                "name": "My call on their deal",
                "user_id": cls.salesman.id,
                "opportunity_id": cls.colleague_deal.id,
            }
        )
        cls.on_company = Activity.create(
            {
                "name": "Company visit",
                "user_id": cls.colleague.id,
                "company_partner_id": cls.customer.id,
            }
        )

    @users("corymbus_salesman")
    def test_salesman_sees_own_and_readable(self):
        visible = self.env["corymbus.activity"].search(
            [("company_partner_id", "=", self.customer.id)]
        )
        self.assertIn(self.on_own_deal, visible)
        self.assertIn(self.mine_on_colleague_deal, visible)
        self.assertIn(self.on_company, visible)
        self.assertNotIn(self.secret, visible)
        with self.assertRaises(AccessError):
            self.secret.with_env(self.env).read(["note"])

        # Activities they may read, they may edit.
        self.on_company.with_env(self.env).outcome = "Visited"
        with self.assertRaises(AccessError):
            self.secret.with_env(self.env).write({"outcome": "x"})

    @users("corymbus_salesman")
    def test_no_leak_through_company_timeline_or_count(self):
        customer = self.customer.with_env(self.env)
        timeline = customer.corymbus_activity_ids
        self.assertNotIn(self.secret.id, timeline.ids)
        self.assertEqual(customer.corymbus_activity_count, len(timeline))
        self.assertEqual(
            set(timeline.ids),
            {self.on_own_deal.id, self.mine_on_colleague_deal.id, self.on_company.id},
        )
        action = customer.action_open_corymbus_activities()
        listed = self.env["corymbus.activity"].search(action["domain"])
        self.assertEqual(len(listed), customer.corymbus_activity_count)
        self.assertFalse("Margin floor" in "".join(timeline.mapped("note_preview")))

    @users("corymbus_salesman_all", "corymbus_manager")
    def test_all_see_everything(self):
        customer = self.customer.with_env(self.env)
        self.assertIn(self.secret.id, customer.corymbus_activity_ids.ids)
        self.assertEqual(customer.corymbus_activity_count, 4)
        self.secret.with_env(self.env).outcome = "Read"

    @users("corymbus_portal")
    def test_portal_has_no_access(self):
        with self.assertRaises(AccessError):
            self.env["corymbus.activity"].search([])
        with self.assertRaises(AccessError):
            self.on_company.with_env(self.env).read(["name"])

    def test_types_configured_by_managers_only(self):
        Type = self.env["corymbus.activity.type"]
        Type.with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            Type.with_user(self.salesman).create({"name": "Visit"})
        Type.with_user(self.manager).create({"name": "Visit", "icon": "fa-car"})

    def test_other_company_hidden(self):
        other_company = self.env["res.company"].create({"name": "Corymbus Benelux"})
        self.manager.write({"company_ids": [Command.link(other_company.id)]})
        foreign = self.Activity.create(
            {
                "name": "Benelux call",
                "company_id": other_company.id,
                "company_partner_id": self.customer.id,
            }
        )
        seen = self.Activity.with_user(self.manager).with_context(
            allowed_company_ids=[self.env.company.id]
        )
        self.assertNotIn(foreign, seen.search([]))
        seen = self.Activity.with_user(self.manager).with_context(
            allowed_company_ids=[self.env.company.id, other_company.id]
        )
        self.assertIn(foreign, seen.search([]))


@tagged("post_install", "-at_install", "corymbus_activity")
class TestActivityQueries(ActivityCase):
    """The timeline costs the same whatever its length."""

    def _read_timeline(self, partner):
        partner.invalidate_recordset()
        self.env["corymbus.activity"].invalidate_model()
        partner.web_read(
            {
                "corymbus_activity_ids": {
                    "fields": {
                        "type_id": {"fields": {"display_name": {}}},
                        "name": {},
                        "date_start": {},
                        "all_day_start": {},
                        "is_all_day": {},
                        "is_overdue": {},
                        "user_id": {"fields": {"display_name": {}}},
                        "note_preview": {},
                        "partner_ids": {"fields": {"display_name": {}}},
                        "opportunity_id": {"fields": {"display_name": {}}},
                        "attachment_summary": {},
                        "state": {},
                    }
                }
            }
        )

    def _fill(self, company, count):
        contact = self.env["res.partner"].create(
            {"name": f"Contact {count}", "parent_id": company.id}
        )
        opportunity = self._create_opportunity(partner_id=company.id)
        now = fields.Datetime.now()
        activities = self.Activity.create(
            [
                {
                    "name": f"Activity {index}",
                    "type_id": self.type_call.id,
                    "user_id": self.salesman.id,
                    "partner_ids": [Command.set(contact.ids)],
                    "opportunity_id": opportunity.id if index % 2 else False,
                    "date_start": now + timedelta(hours=index - count // 2),
                    "note": f"<p>Note {index}</p>",
                }
                for index in range(count)
            ]
        )
        self.env["ir.attachment"].create(
            [
                {
                    "name": f"Link {index}",
                    "type": "url",
                    "url": f"https://example.com/{index}",
                    "res_model": "corymbus.activity",
                    "res_id": activity.id,
                }
                for index, activity in enumerate(activities)
            ]
        )
        self.env.flush_all()

    def _count_queries(self, partner):
        before = self.env.cr.sql_log_count
        self._read_timeline(partner)
        return self.env.cr.sql_log_count - before

    def test_timeline_query_count(self):
        small = self.env["res.partner"].create({"name": "Small", "is_company": True})
        large = self.env["res.partner"].create({"name": "Large", "is_company": True})
        self._fill(small, 5)
        self._fill(large, 100)
        salesman_env = self.env(user=self.salesman)
        small = small.with_env(salesman_env)
        large = large.with_env(salesman_env)

        # Warm the caches of the registry (rules, views, translations).
        self._read_timeline(small)
        self._read_timeline(large)

        expected = self._count_queries(small)
        with self.assertQueryCount(expected):
            self._read_timeline(large)
        self.assertEqual(len(large.corymbus_activity_ids), 100)

    def test_kanban_next_activity_query_count(self):
        small = self.env["res.partner"].create({"name": "Small", "is_company": True})
        now = fields.Datetime.now()
        for count in (5, 40):
            opportunities = self.env["corymbus.opportunity"].create(
                [
                    {
                        "name": f"Deal {count}-{index}",
                        "partner_id": small.id,
                        "user_id": self.salesman.id,
                    }
                    for index in range(count)
                ]
            )
            self.Activity.create(
                [
                    {
                        "name": "Next",
                        "opportunity_id": opportunity.id,
                        "date_start": now - timedelta(days=1),
                    }
                    for opportunity in opportunities
                ]
            )
        self.env.flush_all()
        Opportunity = self.env["corymbus.opportunity"].with_user(self.salesman)
        spec = {
            "name": {},
            "next_activity_id": {"fields": {"display_name": {}}},
            "next_activity_date": {},
            "next_activity_icon": {},
            "is_next_activity_overdue": {},
        }

        def read(limit):
            self.env.invalidate_all()
            return Opportunity.web_search_read(
                [("partner_id", "=", small.id)], spec, limit=limit
            )

        read(5)
        read(45)
        before = self.env.cr.sql_log_count
        read(5)
        expected = self.env.cr.sql_log_count - before
        with self.assertQueryCount(expected):
            result = read(45)
        self.assertEqual(len(result["records"]), 45)
        self.assertTrue(
            all(rec["is_next_activity_overdue"] for rec in result["records"])
        )
