import unicodedata

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.corymbus_crm.models.corymbus_custom_field import (
    NAME_MAX_LENGTH,
    TECHNICAL_NAME_RE,
)

from .common import CorymbusCase
from .test_custom_field_common import CustomFieldRegistryMixin

# Labels that look dangerous but are legitimate: they must be kept as typed,
# shown safely and get an ASCII technical name.
ACCEPTED_LABELS = [
    "O'Brien account",
    'He said "yes"',
    "'); DROP TABLE res_partner; --",
    "1 OR 1=1",
    "x_name",
    '<field name="password"/>',
    '</xpath><xpath expr="//form">',
    "&amp; &lt;b&gt;",
    "${object.password}",
    "{{ 7*7 }}",
    "%(name)s and %s",
    "__import__('os').system('id')",
    "eval(compile('1','x','eval'))",
    "[('id', '>', 0)]",
    "C:\\temp\\file",
    "$$ LANGUAGE plpgsql $$",
    "; SELECT pg_sleep(10); --",
    '" OR ""="',
    "admin'--",
    "`backticks`",
    "日本語のラベル",
    "Ελληνικά πεδία",
    "حقل عربي",
    "שדה בעברית",
    "Поле клиента",
    "🚀 Launch date",
    "👩‍👩‍👧 Family size",
    "Cafe\u0301 combining",
    "Straße und Œuvre",
    "Yıldız dotless",
    "ﬁ ligature field",
    "Ｆｕｌｌｗｉｄｔｈ",
    "Zalgo Z̷̢a̵l̶g̸o",
    "नमस्ते फ़ील्ड",
    "中文字段",
    "한국어 필드",
    "Ünïcödé Ärger",
    "ĦĘĽĹÖ ẄÖŔĹĎ",
    "Tab-less    spaces",
    "   Padded label   ",
    "a" * 100,
    "é" * 100,
    "Label with 63 chars " + "x" * 43,
    "Underscore__heavy__label",
    "_leading and trailing_",
    "----",
    "!!!",
    "123 numeric start",
    "0",
    "NULL",
    "None",
    "False",
    "True",
    "undefined",
    "select",
    "from",
    "where",
    "order",
    "group",
    "uuid",
    "x",
    "x_",
    "create_uid",
    "write_date",
    "display_name",
    "Payé",
    "Paye ",
    "PAYÉ!",
    "Année d'ouverture",
    "Annee d ouverture",
    "ANNÉE-D'OUVERTURE",
    "Client payé ?",
    "IsCustomer",
    "is customer?",
    "Is-Customer",
    "Budget (€)",
    "Budget ($)",
    "Budget (£)",
    "Budget %",
    "50/50",
    "a.b.c",
    "a,b;c",
    "line\u00a0with nbsp",
    "Joiner\u200cnon",
    "Right ← left →",
    "∑ sum ∞",
    "©®™",
    "¿Qué?",
    "¡Olé!",
    "Kontakt-Präferenz",
    "Préférence de contact",
    "Preferencia de contacto",
    "Preferenza di contatto",
    "Voorkeur contact",
    "Kontaktpreferens",
    "Preferência de contato",
    "Предпочтение связи",
    "Last one",
]

# Labels that cannot be used: each must give a clear error and create nothing.
REFUSED_LABELS = [
    "",
    " ",
    "   \t  ",
    "\n",
    "null\x00byte",
    "\x00",
    "line\nbreak",
    "carriage\rreturn",
    "tab\tinside",
    "escape\x1b[31mred",
    "delete\x7fchar",
    "c1\x85control",
    "bidi \u202eevil",
    "bidi \u202aembed",
    "isolate \u2066x\u2069",
    "zero\u200bwidth",
    "bom\ufeffinside",
    "line\u2028separator",
    "para\u2029separator",
    "lone \ud800 surrogate",
    "private \ue000 use",
    "unassigned \U000e0000 char",
    "a" * 101,
    "é" * 101,
    "x" * 1000,
    "Long " * 500,
    "y" * 10000,
    "Email",
    "email",
    "EMAIL",
    "Name",
    "Phone",
    "Tags",
    "Company",
    "Created by",
    "Last Updated on",
    "Display Name",
    "Active",
    "ID",
    " Email ",
    "soh\x01",
    "stx\x02",
    "etx\x03",
    "eot\x04",
    "enq\x05",
    "ack\x06",
    "bell\x07",
    "backspace\x08",
    "vertical\x0btab",
    "form\x0cfeed",
    "shift\x0eout",
    "unit\x1fseparator",
    "c1\x9fend",
    "rli \u2067x",
    "rle \u202bx",
    "pdf \u202cx",
    "lro \u202dx",
]


@tagged("post_install", "-at_install", "corymbus_custom_field")
class TestCustomFieldHostileInput(CustomFieldRegistryMixin, CorymbusCase):
    """200 hostile labels and options: clear errors, no half-created field."""

    def _snapshot(self):
        """What a refused field must not have changed."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name IN ('res_partner', 'corymbus_opportunity') "
            "AND column_name LIKE 'x\\_%%'"
        )
        columns = self.env.cr.fetchone()[0]
        return (
            columns,
            self.env["ir.model.fields"].search_count([("state", "=", "manual")]),
            self.env["corymbus.custom.field"].search_count([]),
            self.env["corymbus.custom.field.option"].search_count([]),
            self.env["ir.ui.view"].search_count(
                [("name", "like", "corymbus.custom.fields")]
            ),
            self.registry.registry_sequence,
            frozenset(self.env["res.partner"]._fields),
        )

    def _assert_refused(self, values_list, case):
        before = self._snapshot()
        with self.assertRaises(ValidationError, msg=case) as caught:
            self.env["corymbus.custom.field"].create(values_list)
        message = str(caught.exception)
        self.assertTrue(message, case)
        for leak in ("psycopg2", "Traceback", "duplicate key", "NUL"):
            self.assertNotIn(leak, message, case)
        self.assertEqual(self._snapshot(), before, f"half-created field: {case!r}")

    def test_hostile_labels_and_options(self):
        cases = 0

        # Refused labels, alone and on each kind of record.
        for index, label in enumerate(REFUSED_LABELS):
            entity = ("contact", "company")[index % 2]
            self._assert_refused(
                [{"name": label, "entity": entity, "field_type": "char"}], repr(label)
            )
            cases += 1

        # Duplicates: against each other in one batch, across contacts and
        # companies (one model), against an existing custom field.
        duplicates = [
            [{"name": "Budget"}, {"name": "budget"}],
            [{"name": "Segment"}, {"name": "Segment", "entity": "company"}],
            [{"name": "Rank", "field_type": "integer"}, {"name": "RANK"}],
            [{"name": "Zone"}, {"name": "Zone ", "field_type": "text"}],
            [{"name": "Café"}, {"name": "Cafe\u0301"}],
        ]
        for values_list in duplicates:
            self._assert_refused(values_list, repr(values_list))
            cases += 1
        existing = self.env["corymbus.custom.field"].create({"name": "Loyalty"})
        for label in ("Loyalty", "loyalty", " LOYALTY "):
            self._assert_refused([{"name": label}], label)
            cases += 1
        for raw in ("x_loyalty", "x_Loyalty", "x_année", "x_a-b", "y_field", "x_"):
            self._assert_refused([{"name": "Raw", "technical_name": raw}], raw)
            cases += 1

        # Refused options.
        refused_options = [
            [],
            [""],
            ["  "],
            ["A", "a"],
            ["Phone", "phone "],
            ["ok", "bad\x00"],
            ["ok", "bad\nline"],
            ["ok", "o" * 101],
            ["ok", "\u202e"],
            ["É", "e\u0301"],
        ]
        for options in refused_options:
            values = {
                "name": "Channel",
                "entity": "opportunity",
                "field_type": "selection",
                "option_ids": [(0, 0, {"name": option}) for option in options],
            }
            self._assert_refused([values], repr(options))
            cases += 1
        self._assert_refused(
            [{"name": "Not a list", "option_ids": [(0, 0, {"name": "A"})]}],
            "options on text",
        )
        cases += 1
        existing.unlink()

        # Accepted labels: one batch, one registry load, all usable.
        values_list = [
            {
                "name": label,
                "entity": ("contact", "company", "opportunity")[index % 3],
                "field_type": ("char", "boolean", "integer", "date")[index % 4],
            }
            for index, label in enumerate(ACCEPTED_LABELS)
        ]
        created = self.env["corymbus.custom.field"].create(values_list)
        cases += len(ACCEPTED_LABELS)
        self.assertEqual(len(created), len(ACCEPTED_LABELS))
        names = set()
        for custom_field, label in zip(created, ACCEPTED_LABELS, strict=True):
            expected_label = unicodedata.normalize("NFC", label).strip()
            self.assertEqual(custom_field.name, expected_label)
            name = custom_field.technical_name
            self.assertRegex(name, TECHNICAL_NAME_RE)
            self.assertLessEqual(len(name), NAME_MAX_LENGTH)
            # Unique per record type (contacts and companies share one).
            self.assertNotIn((custom_field.model_name, name), names)
            names.add((custom_field.model_name, name))
            Model = self.env[custom_field.model_name]
            self.assertEqual(Model._fields[name].string, expected_label)
            self.assertTrue(self._column_exists(Model._table, name))
            Model.search([(name, "!=", False)], limit=1)
        for model_name in ("res.partner", "corymbus.opportunity"):
            views = self.env[model_name].get_views(
                [(False, "form"), (False, "list"), (False, "search")]
            )["views"]
            # Labels are attribute values, escaped: no injected element.
            self.assertNotIn('<field name="password"/>', views["form"]["arch"])
            self.assertNotIn("<xpath", views["search"]["arch"])

        # Accepted hostile options.
        options = [
            "'; DROP TABLE x; --",
            '"quoted"',
            "<b>bold</b>",
            "日本",
            "中文",
            "É",
            "e",
            "🚀",
            "a" * 100,
            "${x}",
        ]
        choice = self.env["corymbus.custom.field"].create(
            {
                "name": "Hostile choice",
                "entity": "opportunity",
                "field_type": "selection",
                "option_ids": [(0, 0, {"name": option}) for option in options],
            }
        )
        cases += len(options)
        values = choice.option_ids.mapped("value")
        self.assertEqual(len(set(values)), len(options))
        for value in values:
            self.assertRegex(value, r"^[a-z0-9_]+$")
        selection = dict(
            self.env["corymbus.opportunity"]._fields["x_hostile_choice"].selection
        )
        self.assertEqual(sorted(selection.values()), sorted(options))
        self._create_opportunity(name="Hostile deal", x_hostile_choice=values[0])

        tag_options = [
            "VIP",
            "vip-2",
            "'--",
            "<i>",
            "Ünï",
            "🙂",
            "日本",
            "b" * 100,
            "%s",
            "{x}",
        ]
        tags = self.env["corymbus.custom.field"].create(
            {
                "name": "Hostile tags",
                "field_type": "tags",
                "option_ids": [(0, 0, {"name": option}) for option in tag_options],
            }
        )
        cases += len(tag_options)
        self.customer_contact.x_hostile_tags = tags.option_ids
        self.assertEqual(
            sorted(self.customer_contact.x_hostile_tags.mapped("name")),
            sorted(tag_options),
        )
        choice |= tags

        self.assertEqual(cases, 200)
        (created | choice).unlink()
        self.assertFalse(self._column_exists("res_partner", "x_o_brien_account"))
