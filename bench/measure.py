"""Seed a benchmark database and time Corymbus side by side with Odoo's CRM.

Run by bench/run.py under the Python that runs Odoo, against a throwaway
database where corymbus_crm and crm are installed. It prints one JSON line
with the measurements; run.py turns them into the table.

Data are written with plain SQL (INSERT ... SELECT generate_series), stored
computed values included, so that 100,000 opportunities take under a minute.
Every measured call runs as a sales manager (record rules apply), after the
caches of the previous run are dropped, as a new request would. Two calls of
each side first warm the registry caches and are not counted; then the two
sides of a row take turns, run by run.
"""

import argparse
import ast
import json
import platform
import statistics
import sys
import time
from datetime import date, timedelta

from lxml import etree

# Opportunities are spread over the stages in this pattern (index modulo 20).
STAGE_PATTERN = [0] * 4 + [1] * 4 + [2] * 3 + [3] * 3 + [4] * 3 + [5] * 3
SALESPEOPLE = 5
COMPANIES_PER_DEAL = 10  # one customer company per 10 opportunities
IMPORT_SIZE = 10000
SEEDED_TABLES = (
    "res_partner",
    "corymbus_opportunity",
    "corymbus_opportunity_contact",
    "crm_lead",
    "mail_activity",
    "corymbus_activity",
    "ir_attachment",
)
DOCUMENTS_REFERENCE = 100  # opportunities of the reference company: over a page
IMPORT_COMPANIES = 500

# What the web client reads for a field beyond the field itself: the related
# fields a widget names (``relatedFields``) and the fields it depends on
# (``fieldDependencies``), for the widgets of the measured views.
RELATED_FIELDS = {
    "many2many_tags": lambda options: [
        "display_name",
        *([options["color_field"]] if options.get("color_field") else []),
    ],
    "many2many_tags_avatar": lambda options: ["display_name"],
}
FIELD_DEPENDENCIES = {
    "kanban_activity": (
        "activity_exception_decoration",
        "activity_exception_icon",
        "activity_state",
        "activity_summary",
        "activity_type_icon",
        "activity_type_id",
    ),
}
# Progress bar attributes whose fields the kanban sums per column and reads
# on every card (the first is Odoo's, the others those of crm and Corymbus).
PROGRESS_BAR_SUMS = ("sum_field", "recurring_revenue_sum_field", "weighted_sum_field")
# Kanban views (js_class) whose controller takes the column sums from the
# grouped read only, reading the summed fields on a card only if it shows them.
SUMS_NOT_ON_CARDS = {"corymbus_opportunity_kanban"}


def _options(text):
    """A field node's ``options`` attribute as a dictionary."""
    if not text:
        return {}
    try:
        options = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return {}
    return options if isinstance(options, dict) else {}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--sizes", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-runs", type=int, default=1)
    parser.add_argument("--odoo-root", default="")
    parser.add_argument("odoo_args", nargs=argparse.REMAINDER)
    return parser.parse_args(argv)


def median_pair(env, subject, reference, runs):
    """Median time and query count of ``runs`` calls of each function.

    Two calls of each first warm the registry caches (access rules of every
    model the call touches, with and without records in the environment
    cache). Then the two take turns, run by run, so that the load of anything
    else running on the machine falls on both sides rather than on one.
    ``reference`` may be None.
    """
    functions = [function for function in (subject, reference) if function]
    cr = env.cr
    for _warm_up in range(2):
        for function in functions:
            env.invalidate_all()
            function()
    timings = [[] for _function in functions]
    counts = [[] for _function in functions]
    for _index in range(runs):
        for position, function in enumerate(functions):
            env.invalidate_all()
            before = cr.sql_log_count
            start = time.perf_counter()
            function()
            timings[position].append(time.perf_counter() - start)
            counts[position].append(cr.sql_log_count - before)
    return [
        {
            "ms": statistics.median(timings[position]) * 1000,
            "queries": max(counts[position]),
            "queries_min": min(counts[position]),
            "runs": runs,
        }
        for position in range(len(functions))
    ]


class Bench:
    """The seeded data and the measured operations."""

    def __init__(self, env, runs, import_runs):
        self.env = env
        self.cr = env.cr
        self.runs = runs
        self.import_runs = import_runs
        self.today = date.today()
        self.seeded = 0

    # ------------------------------------------------------------------
    # Users and reference data
    # ------------------------------------------------------------------

    def prepare(self):
        env = self.env
        company = env.company
        self.company = company
        self.currency = company.currency_id
        manager_groups = [
            env.ref("corymbus_crm.group_corymbus_manager"),
            env.ref("sales_team.group_sale_manager"),
        ]
        seller_groups = [
            env.ref("corymbus_crm.group_corymbus_user_all"),
            env.ref("sales_team.group_sale_salesman_all_leads"),
        ]
        self.manager = self._user("bench_manager", "Bench Manager", manager_groups)
        self.salespeople = env["res.users"].union(
            *(
                self._user(
                    f"bench_seller_{index}", f"Bench Seller {index}", seller_groups
                )
                for index in range(SALESPEOPLE)
            )
        )
        self.corymbus_stages = env["corymbus.stage"].search([], order="sequence, id")
        won = self.corymbus_stages.filtered("is_won")[:1]
        lost = self.corymbus_stages.filtered("is_lost")[:1]
        open_stages = self.corymbus_stages.filtered(
            lambda s: not s.is_won and not s.is_lost
        )[:4]
        self.corymbus_ladder = list(open_stages) + [won, lost]

        crm_stages = env["crm.stage"].search([], order="sequence, id")
        crm_open = crm_stages.filtered(lambda s: not s.is_won)
        crm_won = crm_stages.filtered("is_won")[:1]
        # Four open steps as in Corymbus: crm has three, its last one takes two.
        crm_open = list(crm_open) + [crm_open[-1]] * (4 - len(crm_open))
        self.crm_ladder = crm_open[:4] + [crm_won, crm_open[0]]
        self.team = env["crm.team"].search([], limit=1)
        self.role = env["corymbus.contact.role"].search([], limit=1)
        self.lead_model_id = env["ir.model"]._get_id("crm.lead")
        self.activity_type = env.ref("mail.mail_activity_data_call")
        env.flush_all()
        self.cr.commit()

    def _user(self, login, name, groups):
        """The user of that login, created with these groups if missing."""
        Users = self.env["res.users"].with_context(active_test=False)
        user = Users.search([("login", "=", login)])
        if not user:
            user = Users.with_context(no_reset_password=True).create(
                {
                    "name": name,
                    "login": login,
                    "group_ids": [(4, group.id) for group in groups],
                }
            )
        return user

    # ------------------------------------------------------------------
    # Seeding, in SQL
    # ------------------------------------------------------------------

    def seed(self, count):
        """Add ``count`` opportunities, leads, companies, contacts, activities."""
        start, end = self.seeded, self.seeded + count - 1
        started = time.perf_counter()
        self._seed_partners(start, end)
        self._seed_opportunities(start, end)
        self._seed_leads(start, end)
        self._seed_corymbus_activities(start, end)
        self.cr.commit()
        self._vacuum(SEEDED_TABLES)
        self.env.invalidate_all()
        self.seeded += count
        return time.perf_counter() - started

    def _vacuum(self, tables):
        """VACUUM ANALYZE the seeded tables, as autovacuum would in time.

        Seeding updates the Corymbus opportunities once (their next activity),
        which leaves dead rows in that table only; left there, they would slow
        Corymbus down until autovacuum passes, at a moment nobody chooses.
        VACUUM needs its own connection, outside any transaction.
        """
        import psycopg2

        from odoo.sql_db import connection_info_for

        _name, info = connection_info_for(self.cr.dbname)
        connection = psycopg2.connect(**info)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"VACUUM ANALYZE {table}")
        finally:
            connection.close()

    def _seed_partners(self, start, end):
        """A company per 10 deals, with two contacts each, marked by ``ref``."""
        first = start // COMPANIES_PER_DEAL
        last = end // COMPANIES_PER_DEAL
        self.cr.execute(
            """
            INSERT INTO res_partner (name, complete_name, is_company, type, active,
                commercial_company_name, ref, lang, email, email_normalized,
                partner_share, create_date, write_date, create_uid, write_uid)
            SELECT 'Bench Company ' || g, 'Bench Company ' || g, TRUE, 'contact',
                TRUE, 'Bench Company ' || g, 'BENCH-CO-' || g, 'en_US',
                'office' || g || '@bench.example.com',
                'office' || g || '@bench.example.com', TRUE, now(), now(), 1, 1
            FROM generate_series(%s, %s) g
            WHERE NOT EXISTS (
                SELECT 1 FROM res_partner WHERE ref = 'BENCH-CO-' || g
            )
            """,
            (first, last),
        )
        self.cr.execute(
            """
            UPDATE res_partner SET commercial_partner_id = id
            WHERE ref LIKE 'BENCH-CO-%%' AND commercial_partner_id IS NULL
            """
        )
        self.cr.execute(
            """
            INSERT INTO res_partner (name, complete_name, is_company, type, active,
                parent_id, commercial_partner_id, commercial_company_name, ref, lang,
                email, email_normalized, phone, function, partner_share,
                create_date, write_date, create_uid, write_uid)
            SELECT 'Contact ' || c.ref || '-' || n,
                c.name || ', Contact ' || c.ref || '-' || n, FALSE, 'contact', TRUE,
                c.id, c.id, c.name, 'BENCH-PE-' || substr(c.ref, 10) || '-' || n,
                'en_US',
                'person' || substr(c.ref, 10) || '.' || n || '@bench.example.com',
                'person' || substr(c.ref, 10) || '.' || n || '@bench.example.com',
                '+33 1 00 ' || lpad((substr(c.ref, 10)::int %% 100000)::text, 5, '0')
                    || ' ' || n,
                'Buyer', TRUE, now(), now(), 1, 1
            FROM res_partner c, generate_series(1, 2) n
            WHERE c.ref LIKE 'BENCH-CO-%%'
              AND substr(c.ref, 10)::int BETWEEN %s AND %s
              AND NOT EXISTS (
                SELECT 1 FROM res_partner p WHERE p.parent_id = c.id
              )
            """,
            (first, last),
        )
        self.cr.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS bench_customer (
                idx integer PRIMARY KEY, company_id integer, contact_id integer
            )
            """
        )
        self.cr.execute(
            """
            INSERT INTO bench_customer (idx, company_id, contact_id)
            SELECT substr(c.ref, 10)::int, c.id, min(p.id)
            FROM res_partner c JOIN res_partner p ON p.parent_id = c.id
            WHERE c.ref LIKE 'BENCH-CO-%%'
              AND substr(c.ref, 10)::int BETWEEN %s AND %s
            GROUP BY c.id
            ON CONFLICT (idx) DO NOTHING
            """,
            (first, last),
        )

    def _ladder_arrays(self, ladder, probability):
        pattern = [ladder[index] for index in STAGE_PATTERN]
        return (
            [stage.id for stage in pattern],
            [probability(stage) for stage in pattern],
            [position >= 4 for position in STAGE_PATTERN],  # closed
            [position == 4 for position in STAGE_PATTERN],  # won
        )

    def _seed_opportunities(self, start, end):
        stage_ids, probabilities, _closed, _won = self._ladder_arrays(
            self.corymbus_ladder, lambda stage: stage.probability
        )
        self.cr.execute(
            """
            CREATE TEMP TABLE bench_opportunity ON COMMIT DROP AS
            SELECT g,
                (%(stages)s::int[])[1 + g %% 20] AS stage_id,
                (%(probs)s::float[])[1 + g %% 20] AS probability,
                (1000 + (g * 7919) %% 99000)::numeric AS amount,
                (%(users)s::int[])[1 + g %% %(user_count)s] AS user_id,
                %(today)s::date + ((g * 37) %% 730 - 365) AS deadline,
                %(today)s::date - ((g * 13) %% 360) AS closed_on
            FROM generate_series(%(start)s, %(end)s) g
            """,
            {
                "stages": stage_ids,
                "probs": probabilities,
                "users": self.salespeople.ids,
                "user_count": SALESPEOPLE,
                "today": self.today,
                "start": start,
                "end": end,
            },
        )
        self.cr.execute(
            """
            INSERT INTO corymbus_opportunity (name, company_id, currency_id,
                company_currency_id, stage_id, user_id, partner_id, amount,
                probability, weighted_amount, amount_company, weighted_amount_company,
                is_won, is_lost, is_probability_manual, active, priority, color,
                date_deadline, date_won, date_lost, create_date, write_date,
                create_uid, write_uid)
            SELECT 'Bench deal ' || o.g, %(company)s, %(currency)s, %(currency)s,
                o.stage_id, o.user_id, c.company_id, o.amount, o.probability,
                round(o.amount * o.probability::numeric / 100, 2), o.amount,
                round(o.amount * o.probability::numeric / 100, 2),
                s.is_won IS TRUE, s.is_lost IS TRUE, FALSE, TRUE, '0', 0,
                o.deadline,
                CASE WHEN s.is_won THEN o.closed_on END,
                CASE WHEN s.is_lost THEN o.closed_on END,
                o.closed_on - 30 - (o.g %% 90), now(), 1, 1
            FROM bench_opportunity o
            JOIN corymbus_stage s ON s.id = o.stage_id
            JOIN bench_customer c ON c.idx = o.g / %(per_company)s
            ORDER BY o.g
            """,
            {
                "company": self.company.id,
                "currency": self.currency.id,
                "per_company": COMPANIES_PER_DEAL,
            },
        )
        self.cr.execute(
            """
            INSERT INTO corymbus_opportunity_contact (opportunity_id, partner_id,
                role_id, sequence, create_date, write_date, create_uid, write_uid)
            SELECT o.id, c.contact_id, %s, 10, now(), now(), 1, 1
            FROM corymbus_opportunity o
            JOIN bench_customer c
              ON c.idx = substr(o.name, 12)::int / %s
            WHERE o.name LIKE 'Bench deal %%'
              AND substr(o.name, 12)::int BETWEEN %s AND %s
            """,
            (self.role.id, COMPANIES_PER_DEAL, start, end),
        )

    def _seed_leads(self, start, end):
        """The same deals as crm leads; a lost lead is archived, as crm does."""
        stage_ids, _probabilities, closed, won = self._ladder_arrays(
            self.crm_ladder, lambda stage: 0.0
        )
        corymbus_probabilities = self._ladder_arrays(
            self.corymbus_ladder, lambda stage: stage.probability
        )[1]
        self.cr.execute(
            """
            INSERT INTO crm_lead (name, type, company_id, team_id, user_id,
                stage_id, partner_id, contact_name, partner_name, email_from,
                email_normalized, expected_revenue, prorated_revenue,
                recurring_revenue, recurring_revenue_monthly,
                recurring_revenue_monthly_prorated, recurring_revenue_prorated,
                probability, automated_probability, won_status, active, priority,
                color, date_deadline, date_closed, date_open, date_last_stage_update,
                create_date, write_date, create_uid, write_uid)
            SELECT 'Bench deal ' || g, 'opportunity', %(company)s, %(team)s,
                (%(users)s::int[])[1 + g %% %(user_count)s],
                (%(stages)s::int[])[1 + g %% 20], c.company_id, p.name, c_p.name,
                p.email, p.email_normalized,
                (1000 + (g * 7919) %% 99000)::numeric,
                round((1000 + (g * 7919) %% 99000)::numeric
                    * (%(probs)s::float[])[1 + g %% 20]::numeric / 100, 2),
                0, 0, 0, 0,
                (%(probs)s::float[])[1 + g %% 20],
                (%(probs)s::float[])[1 + g %% 20],
                CASE WHEN (%(won)s::bool[])[1 + g %% 20] THEN 'won'
                     WHEN (%(closed)s::bool[])[1 + g %% 20] THEN 'lost'
                     ELSE 'pending' END,
                NOT ((%(closed)s::bool[])[1 + g %% 20]
                     AND NOT (%(won)s::bool[])[1 + g %% 20]),
                '0', 0,
                %(today)s::date + ((g * 37) %% 730 - 365),
                CASE WHEN (%(closed)s::bool[])[1 + g %% 20]
                     THEN %(today)s::date - ((g * 13) %% 360) END,
                now(), now(), now(), now(), 1, 1
            FROM generate_series(%(start)s, %(end)s) g
            JOIN bench_customer c ON c.idx = g / %(per_company)s
            JOIN res_partner p ON p.id = c.contact_id
            JOIN res_partner c_p ON c_p.id = c.company_id
            ORDER BY g
            """,
            {
                "company": self.company.id,
                "team": self.team.id,
                "users": self.salespeople.ids,
                "user_count": SALESPEOPLE,
                "stages": stage_ids,
                "probs": [
                    0.0 if closed[i] and not won[i] else corymbus_probabilities[i]
                    for i in range(len(STAGE_PATTERN))
                ],
                "won": won,
                "closed": closed,
                "today": self.today,
                "start": start,
                "end": end,
                "per_company": COMPANIES_PER_DEAL,
            },
        )
        # Per open lead a call done (archived, as crm keeps them) and one
        # planned around today, like the Corymbus activities.
        self.cr.execute(
            """
            INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name,
                activity_type_id, user_id, summary, date_deadline, date_done,
                automated, active, create_date, write_date, create_uid, write_uid)
            SELECT %(model)s, 'crm.lead', l.id, l.name, %(type)s, l.user_id, a.summary,
                a.deadline, CASE WHEN a.done THEN a.deadline END, FALSE, NOT a.done,
                now(), now(), 1, 1
            FROM crm_lead l
            CROSS JOIN LATERAL (VALUES
                ('Discovery call', TRUE, %(today)s::date - (l.id %% 90)),
                ('Follow-up call', FALSE, %(today)s::date + (l.id %% 30 - 10))
            ) AS a(summary, done, deadline)
            WHERE l.name LIKE 'Bench deal %%'
              AND substr(l.name, 12)::int BETWEEN %(start)s AND %(end)s
              AND l.active AND l.won_status = 'pending'
            """,
            {
                "model": self.lead_model_id,
                "type": self.activity_type.id,
                "today": self.today,
                "start": start,
                "end": end,
            },
        )

    def _seed_corymbus_activities(self, start, end):
        """A call done and a meeting planned on each open opportunity."""
        if "corymbus.activity" not in self.env:
            return
        call = self.env.ref("corymbus_crm.corymbus_activity_type_call")
        meeting = self.env.ref("corymbus_crm.corymbus_activity_type_meeting")
        self.cr.execute(
            """
            INSERT INTO corymbus_activity (name, type_id, user_id, company_id, state,
                is_all_day, date_start, duration, date_stop, date_sort, date_day,
                date_done, done_user_id, company_partner_id, opportunity_id,
                timeline_rank, timeline_key, create_date, write_date, create_uid,
                write_uid)
            SELECT a.name, a.type_id, o.user_id, o.company_id, a.state, FALSE,
                a.start, 1.0, a.start + interval '1 hour', a.start, a.start::date,
                CASE WHEN a.state = 'done' THEN a.start END,
                CASE WHEN a.state = 'done' THEN o.user_id END,
                o.partner_id, o.id, a.rank,
                CASE WHEN a.rank = 0 THEN 1 ELSE -1 END * extract(epoch FROM a.start),
                now(), now(), 1, 1
            FROM corymbus_opportunity o
            CROSS JOIN LATERAL (VALUES
                ('Discovery call', %(call)s, 'done', 1,
                    %(today)s::date - (o.id %% 90) + time '10:00'),
                ('Follow-up meeting', %(meeting)s, 'planned', 0,
                    %(today)s::date + (o.id %% 30 - 10) + time '14:00')
            ) AS a(name, type_id, state, rank, start)
            WHERE o.name LIKE 'Bench deal %%'
              AND substr(o.name, 12)::int BETWEEN %(start)s AND %(end)s
              AND o.is_won IS NOT TRUE AND o.is_lost IS NOT TRUE
            """,
            {
                "call": call.id,
                "meeting": meeting.id,
                "today": self.today,
                "start": start,
                "end": end,
            },
        )
        if "next_activity_id" in self.env["corymbus.opportunity"]._fields:
            self.cr.execute(
                """
                UPDATE corymbus_opportunity o
                SET next_activity_id = a.id, next_activity_date = a.date_sort
                FROM corymbus_activity a
                WHERE a.opportunity_id = o.id AND a.state = 'planned'
                  AND o.name LIKE 'Bench deal %%'
                  AND substr(o.name, 12)::int BETWEEN %s AND %s
                """,
                (start, end),
            )

    # ------------------------------------------------------------------
    # Measurements
    # ------------------------------------------------------------------

    def measure_size(self, size):
        pipeline_corymbus = self._pipeline("corymbus.opportunity")
        pipeline_crm = self._pipeline("crm.lead")
        corymbus, crm = median_pair(
            self.env, pipeline_corymbus, pipeline_crm, self.runs
        )
        corymbus["shape"] = self._pipeline_shape(pipeline_corymbus)
        crm["shape"] = self._pipeline_shape(pipeline_crm)
        dashboard, floor = median_pair(
            self.env, self._dashboard, self._dashboard_sql, self.runs
        )
        return [
            {"key": "pipeline", "size": size, "subject": corymbus, "reference": crm},
            {
                "key": "dashboard",
                "size": size,
                "subject": dashboard,
                "reference": floor,
            },
        ]

    @staticmethod
    def _pipeline_shape(open_pipeline):
        """How many columns the pipeline opens and how many cards it reads."""
        groups = open_pipeline()["groups"]
        unfolded = [group for group in groups if "__records" in group]
        return {
            "columns": len(groups),
            "unfolded": len(unfolded),
            "cards": sum(len(group["__records"]) for group in unfolded),
        }

    def _kanban_specification(self, Model):
        """The fields a kanban card reads, as the web client asks for them."""
        return self._view_specification(Model, False, "kanban")

    def _view_specification(self, Model, view_id, view_type):
        """The ``web_read`` specification the web client builds for a view.

        It follows the client's rules: a many2one asks for its display name
        unless the field is always invisible; a one2many or many2many asks for
        ids only, unless its widget names related fields (the tags widget asks
        for the display name and the colour); a widget's field dependencies
        are read too; a kanban reads its colour field and, unless its
        controller is one of ``SUMS_NOT_ON_CARDS``, the sums of its progress
        bar on every card.
        """
        views = Model.get_views([(view_id, view_type)])
        arch = etree.fromstring(views["views"][view_type]["arch"])
        fields = Model._fields
        specification = {}

        def add(name, widget=None, options=None, invisible=False):
            kind = fields[name].type
            entry = specification.setdefault(name, {})
            if kind in ("many2one", "reference"):
                entry.setdefault("fields", {})
                if not invisible:
                    entry["fields"]["display_name"] = {}
            elif kind in ("one2many", "many2many") and widget in RELATED_FIELDS:
                related = entry.setdefault("fields", {})
                for related_name in RELATED_FIELDS[widget](options or {}):
                    related[related_name] = {}
            for dependency in FIELD_DEPENDENCIES.get(widget, ()):
                if dependency in fields:
                    add(dependency)

        # Only the card's own fields: those of a sub-view are its business.
        nested = {"list", "kanban", "form"} - {view_type}
        for node in arch.iter("field"):
            if any(parent.tag in nested for parent in node.iterancestors()):
                continue
            add(
                node.get("name"),
                widget=node.get("widget"),
                options=_options(node.get("options")),
                invisible=node.get("invisible") in ("1", "True"),
            )
        color = arch.get("highlight_color")
        if view_type == "kanban" and color in fields:
            add(color)
        if arch.get("js_class") in SUMS_NOT_ON_CARDS:
            return specification
        for progress_bar in arch.iter("progressbar"):
            for attribute in PROGRESS_BAR_SUMS:
                if progress_bar.get(attribute) in fields:
                    add(progress_bar.get(attribute))
        return specification

    def _pipeline(self, model):
        """Open the pipeline kanban: grouped read, first cards, progress bars.

        The column sums, the progress bar and the card fields come from the
        kanban view of each app, as the web client reads them.
        """
        domain = [("type", "=", "opportunity")] if model == "crm.lead" else []
        Model = (
            self.env[model]
            .with_user(self.manager)
            .with_context(read_group_expand=True, bin_size=True)
        )
        arch = etree.fromstring(
            Model.get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        )
        progress_bar = next(arch.iter("progressbar"))
        aggregates = [
            f"{progress_bar.get(attribute)}:sum"
            for attribute in PROGRESS_BAR_SUMS
            if progress_bar.get(attribute)
        ]
        progress = {
            "field": progress_bar.get("field"),
            "colors": json.loads(progress_bar.get("colors")),
            "help": progress_bar.get("help"),
        }
        specification = self._kanban_specification(Model)

        def open_pipeline():
            result = Model.web_read_group(
                domain,
                ["stage_id"],
                aggregates,
                auto_unfold=True,
                opening_info=[],
                unfold_read_specification=specification,
                unfold_read_default_limit=40,
                groupby_read_specification={},
            )
            Model.read_progress_bar(domain, "stage_id", progress)
            return result

        return open_pipeline

    def _dashboard(self):
        return (
            self.env["corymbus.dashboard"]
            .with_user(self.manager)
            .get_dashboard_data(scope="all", period="year")
        )

    def _dashboard_sql(self):
        """The dashboard's figures written by hand: the floor to compare with.

        The same figures for everyone this year: open stages, one pass over
        the opportunities (stalled ones included), the heaviest open deals
        with their names, one pass over the activities, the activity types
        and the owners' names.
        """
        cr = self.cr
        start = date(self.today.year, 1, 1)
        end = date(self.today.year, 12, 31)
        cutoff = self.today - timedelta(days=14)
        values = {
            "start": start,
            "end": end,
            "company": self.company.id,
            "cutoff": cutoff,
            "today": self.today,
        }
        cr.execute(
            """
            SELECT id, name->>'en_US' FROM corymbus_stage
            WHERE active AND is_won IS NOT TRUE AND is_lost IS NOT TRUE
            ORDER BY sequence, id
            """
        )
        cr.fetchall()
        cr.execute(
            """
            SELECT GROUPING(o.stage_id, date_trunc('month', o.date_deadline)),
                o.stage_id, date_trunc('month', o.date_deadline)::date,
                COUNT(*) FILTER (WHERE open),
                SUM(o.amount_company) FILTER (WHERE open),
                SUM(o.weighted_amount_company) FILTER (WHERE open),
                COUNT(*) FILTER (WHERE won),
                SUM(o.amount_company) FILTER (WHERE won),
                AVG(o.date_won - o.create_date::date) FILTER (WHERE won),
                COUNT(*) FILTER (WHERE lost),
                SUM(o.amount_company) FILTER (WHERE lost),
                COUNT(*) FILTER (WHERE forecast),
                SUM(o.amount_company) FILTER (WHERE forecast),
                SUM(o.weighted_amount_company) FILTER (WHERE forecast),
                COUNT(*) FILTER (WHERE stalled),
                SUM(o.amount_company) FILTER (WHERE stalled),
                SUM(o.weighted_amount_company) FILTER (WHERE stalled)
            FROM (
                SELECT *,
                    is_won IS NOT TRUE AND is_lost IS NOT TRUE AS open,
                    is_won IS TRUE AND date_won BETWEEN %(start)s AND %(end)s AS won,
                    is_lost IS TRUE AND date_lost BETWEEN %(start)s AND %(end)s
                        AS lost,
                    is_won IS NOT TRUE AND is_lost IS NOT TRUE
                        AND date_deadline BETWEEN %(start)s AND %(end)s AS forecast,
                    is_won IS NOT TRUE AND is_lost IS NOT TRUE
                        AND create_date < %(cutoff)s
                        AND NOT EXISTS (
                            SELECT 1 FROM corymbus_activity a
                            WHERE a.opportunity_id = corymbus_opportunity.id
                              AND a.state <> 'cancelled'
                              AND a.date_day >= %(cutoff)s
                        ) AS stalled
                FROM corymbus_opportunity
                WHERE active AND company_id = %(company)s
            ) o
            GROUP BY GROUPING SETS ((), (o.stage_id),
                (date_trunc('month', o.date_deadline)))
            """,
            values,
        )
        cr.fetchall()
        cr.execute(
            """
            SELECT o.id, o.name, p.name, up.name, s.name->>'en_US',
                o.amount_company, o.weighted_amount_company, o.date_deadline
            FROM corymbus_opportunity o
            LEFT JOIN res_partner p ON p.id = o.partner_id
            LEFT JOIN res_users u ON u.id = o.user_id
            LEFT JOIN res_partner up ON up.id = u.partner_id
            JOIN corymbus_stage s ON s.id = o.stage_id
            WHERE o.active AND o.company_id = %s
              AND o.is_won IS NOT TRUE AND o.is_lost IS NOT TRUE
            ORDER BY o.weighted_amount_company DESC NULLS LAST, o.id
            LIMIT 5
            """,
            (self.company.id,),
        )
        cr.fetchall()
        cr.execute(
            """
            SELECT GROUPING(a.type_id, a.user_id), a.type_id, a.user_id,
                COUNT(*) FILTER (WHERE done), COUNT(*) FILTER (WHERE planned),
                COUNT(*) FILTER (WHERE overdue)
            FROM (
                SELECT *,
                    state = 'done' AND date_done >= %(start)s
                        AND date_done < %(end)s::date + 1 AS done,
                    state = 'planned' AND NOT late
                        AND date_day BETWEEN %(start)s AND %(end)s AS planned,
                    state = 'planned' AND late AS overdue
                FROM (
                    SELECT *,
                        CASE WHEN is_all_day THEN all_day_stop < %(today)s
                             ELSE date_stop < now() AT TIME ZONE 'UTC' END AS late
                    FROM corymbus_activity
                    WHERE company_id = %(company)s
                ) x
            ) a
            GROUP BY GROUPING SETS ((), (a.type_id), (a.user_id))
            """,
            values,
        )
        owners = [row[2] for row in cr.fetchall() if row[0] == 2]
        cr.execute(
            """
            SELECT id, name->>'en_US' FROM corymbus_activity_type
            WHERE active ORDER BY sequence, id
            """
        )
        cr.fetchall()
        cr.execute(
            """
            SELECT u.id, p.name FROM res_users u
            JOIN res_partner p ON p.id = u.partner_id
            WHERE u.id = ANY(%s) ORDER BY p.name
            """,
            (owners,),
        )
        return cr.fetchall()

    def measure_documents(self):
        """A company's documents with 1,000 opportunities, against one with 100.

        The smart button's count and the first page of the list it opens, as
        the documents feature (issue #4) serves them. Each opportunity holds
        one linked file; the query count must not depend on their number. Both
        companies hold more documents than a page, so the list asks for their
        count in both (with fewer than a page, the web client does not).
        """
        Partner = self.env["res.partner"]
        if not hasattr(Partner, "_corymbus_documents_search_domain"):
            return {"key": "documents", "status": "n/a (documents not built)"}

        large = self._seed_document_company("Bench Documents Large", 1000)
        small = self._seed_document_company(
            "Bench Documents Small", DOCUMENTS_REFERENCE
        )
        self.cr.commit()
        self._vacuum(("corymbus_opportunity", "ir_attachment"))
        Attachment = self.env["ir.attachment"].with_user(self.manager)
        action = (
            Partner.with_user(self.manager)
            .browse(large)
            .action_open_corymbus_documents()
        )
        list_view = next(
            (view_id for view_id, kind in action.get("views") or [] if kind == "list"),
            False,
        )
        specification = self._view_specification(Attachment, list_view, "list")

        def documents_of(partner_id):
            def load():
                partner = Partner.with_user(self.manager).browse(partner_id)
                count = partner.corymbus_document_count
                domain = partner._corymbus_documents_search_domain()
                page = Attachment.web_search_read(domain, specification, limit=80)
                if count != page["length"] or not count:
                    raise RuntimeError(
                        f"{count} documents counted, {page['length']} listed"
                    )

            return load

        subject, reference = median_pair(
            self.env, documents_of(large), documents_of(small), self.runs
        )
        return {
            "key": "documents",
            "size": 1000,
            "subject": subject,
            "reference": reference,
        }

    def _seed_document_company(self, name, count):
        """A company with ``count`` opportunities, each holding one linked file."""
        self.cr.execute(
            """
            INSERT INTO res_partner (name, complete_name, is_company, type, active,
                commercial_company_name, lang, partner_share,
                create_date, write_date, create_uid, write_uid)
            VALUES (%s, %s, TRUE, 'contact', TRUE, %s, 'en_US', TRUE,
                now(), now(), 1, 1)
            RETURNING id
            """,
            (name, name, name),
        )
        (company_id,) = self.cr.fetchone()
        self.cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id = %s",
            (company_id,),
        )
        stage = self.corymbus_ladder[2]
        self.cr.execute(
            """
            INSERT INTO corymbus_opportunity (name, company_id, currency_id,
                company_currency_id, stage_id, user_id, partner_id, amount,
                probability, weighted_amount, amount_company, weighted_amount_company,
                is_won, is_lost, is_probability_manual, active, priority, color,
                create_date, write_date, create_uid, write_uid)
            SELECT %(name)s || ' deal ' || g, %(company)s, %(currency)s,
                %(currency)s, %(stage)s, %(user)s, %(partner)s, 1000,
                %(probability)s, 10 * %(probability)s, 1000, 10 * %(probability)s,
                FALSE, FALSE, FALSE, TRUE, '0', 0, now(), now(), 1, 1
            FROM generate_series(1, %(count)s) g
            """,
            {
                "name": name,
                "company": self.company.id,
                "currency": self.currency.id,
                "stage": stage.id,
                "user": self.salespeople[0].id,
                "partner": company_id,
                "probability": stage.probability,
                "count": count,
            },
        )
        self.cr.execute(
            """
            INSERT INTO ir_attachment (name, res_model, res_id, type, url, mimetype,
                company_id, public, create_date, write_date, create_uid, write_uid)
            SELECT 'Offer ' || o.name || '.pdf', 'corymbus.opportunity', o.id, 'url',
                'https://drive.example.com/offer-' || o.id, 'application/pdf',
                %s, FALSE, now(), now(), 1, 1
            FROM corymbus_opportunity o WHERE o.partner_id = %s
            """,
            (self.company.id, company_id),
        )
        return company_id

    # ------------------------------------------------------------------
    # Contact import
    # ------------------------------------------------------------------

    @staticmethod
    def _phone(index):
        return f"+33 1 45 {index // 100:02d} {index % 100:02d} 00"

    def _vcard_file(self):
        cards = []
        for index in range(IMPORT_SIZE):
            company = f"Import Company {index % IMPORT_COMPANIES}"
            cards.append(
                "\r\n".join(
                    [
                        "BEGIN:VCARD",
                        "VERSION:3.0",
                        f"N:Person{index};Imported;;;",
                        f"FN:Imported Person{index}",
                        f"ORG:{company}",
                        "TITLE:Buyer",
                        f"EMAIL;TYPE=INTERNET,WORK:imported{index}@import.example.com",
                        f"TEL;TYPE=WORK:{self._phone(index)}",
                        f"ADR;TYPE=WORK:;;{index} rue de Paris;Lyon;;69001;France",
                        "END:VCARD",
                    ]
                )
            )
        return ("\r\n".join(cards) + "\r\n").encode()

    def measure_import(self):
        """Import 10,000 vCards with the wizard, against a bare batch create."""
        if "corymbus.contact.import" not in self.env:
            return {"key": "import", "status": "n/a (contact import not built)"}
        if not self.import_runs:
            return {"key": "import", "status": "skipped (--skip-import)"}
        import base64

        print("importing contacts", file=sys.stderr, flush=True)
        data = base64.b64encode(self._vcard_file())
        Wizard = self.env["corymbus.contact.import"].with_user(self.manager)

        def run_import():
            wizard = Wizard.create({"file_data": data, "file_name": "bench.vcf"})
            wizard.action_import()
            if wizard.created_count != IMPORT_SIZE:
                raise RuntimeError(
                    f"import created {wizard.created_count} of {IMPORT_SIZE} "
                    f"contacts (skipped {wizard.skipped_count})"
                )

        Partner = self.env["res.partner"].with_user(self.manager)

        def run_create():
            companies = Partner.create(
                [
                    {"name": f"Import Company {index}", "is_company": True}
                    for index in range(IMPORT_COMPANIES)
                ]
            )
            for first in range(0, IMPORT_SIZE, 1000):
                Partner.create(
                    [
                        {
                            "name": f"Imported Person{index}",
                            "parent_id": companies[index % IMPORT_COMPANIES].id,
                            "function": "Buyer",
                            "email": f"imported{index}@import.example.com",
                            "phone": self._phone(index),
                            "street": f"{index} rue de Paris",
                            "city": "Lyon",
                            "zip": "69001",
                        }
                        for index in range(first, min(first + 1000, IMPORT_SIZE))
                    ]
                )
            self.env.flush_all()

        return {
            "key": "import",
            "size": IMPORT_SIZE,
            "subject": self._undone(run_import, self.import_runs),
            "reference": self._undone(run_create, self.import_runs),
        }

    def _undone(self, function, runs):
        """Time ``function`` ``runs`` times, each in a transaction rolled back."""
        cr = self.cr
        timings, counts = [], []
        for _index in range(runs):
            self.env.invalidate_all()
            before = cr.sql_log_count
            start = time.perf_counter()
            function()
            self.env.flush_all()
            timings.append(time.perf_counter() - start)
            counts.append(cr.sql_log_count - before)
            cr.rollback()
            self.env.invalidate_all()
        return {
            "ms": statistics.median(timings) * 1000,
            "queries": max(counts),
            "queries_min": min(counts),
            "runs": runs,
        }


def main(argv):
    args = parse_args(argv)
    if args.odoo_root:
        sys.path.insert(0, args.odoo_root)

    import odoo
    from odoo import api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    odoo_args = [arg for arg in args.odoo_args if arg != "--"]
    config.parse_config(
        [*odoo_args, "-d", args.db, "--log-level=warn", "--http-interface=127.0.0.1"]
    )
    registry = Registry(args.db)
    sizes = [int(size) for size in args.sizes.split(",")]
    output = {
        "odoo": odoo.release.version,
        "python": platform.python_version(),
        "seeding": {},
        "durations": {},
        "rows": [],
    }

    with registry.cursor() as cr:
        cr.execute("SHOW server_version")
        output["postgres"] = cr.fetchone()[0]
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        bench = Bench(env, args.runs, args.import_runs)
        bench.prepare()

        def guarded(measure):
            """A measure's row; a failure is reported in the table, not fatal."""
            started = time.perf_counter()
            try:
                row = measure()
            except Exception as error:
                cr.rollback()
                key = measure.__name__.removeprefix("measure_")
                row = {"key": key, "status": f"failed: {error}"}
            output["durations"][row["key"]] = round(time.perf_counter() - started)
            return row

        # The import does not depend on the number of opportunities: it runs
        # first, on the fresh database, each run rolled back.
        import_row = guarded(bench.measure_import)
        for size in sizes:
            started = time.perf_counter()
            seconds = bench.seed(size - bench.seeded)
            output["seeding"][size] = round(seconds, 1)
            print(f"seeded {size} in {seconds:.1f}s", file=sys.stderr, flush=True)
            output["rows"] += bench.measure_size(size)
            output["durations"][f"{size:,}"] = round(time.perf_counter() - started)
        output["rows"] += [guarded(bench.measure_documents), import_row]
        cr.rollback()
    print(json.dumps(output))


if __name__ == "__main__":
    main(sys.argv[1:])
