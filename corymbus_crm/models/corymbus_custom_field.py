import logging
import re
import unicodedata
from collections import defaultdict

from lxml import etree
from lxml.builder import E

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

LABEL_MAX_LENGTH = 100
NAME_MAX_LENGTH = 63
TECHNICAL_NAME_RE = re.compile(r"^x_[a-z0-9_]+$")
GENERATED_VIEW_PREFIX = "corymbus.custom.fields"

# Characters that have no place in a label: control characters, line and
# paragraph separators, invisible spaces and the bidirectional overrides used
# to disguise text. Joiners (U+200C, U+200D) stay: some scripts need them.
FORBIDDEN_LABEL_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
TRANSLITERATION = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "ł": "l",
        "Ł": "l",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
    }
)

ENTITIES = [
    ("contact", "Contact"),
    ("company", "Company"),
    ("opportunity", "Opportunity"),
    ("activity", "Activity"),
]
ENTITY_MODELS = {
    "contact": "res.partner",
    "company": "res.partner",
    "opportunity": "corymbus.opportunity",
    "activity": "corymbus.activity",
}
FIELD_TYPES = [
    ("boolean", "Yes/No"),
    ("char", "Short Text"),
    ("text", "Long Text"),
    ("integer", "Whole Number"),
    ("float", "Decimal Number"),
    ("monetary", "Amount"),
    ("date", "Date"),
    ("datetime", "Date and Time"),
    ("selection", "Choice List"),
    ("tags", "Tags"),
    ("partner", "Contact or Company"),
]
ODOO_TYPES = {
    "boolean": "boolean",
    "char": "char",
    "text": "text",
    "integer": "integer",
    "float": "float",
    "monetary": "monetary",
    "date": "date",
    "datetime": "datetime",
    "selection": "selection",
    "tags": "many2many",
    "partner": "many2one",
}
OPTION_TYPES = ("selection", "tags")

# Domains of "link to a contact or company" fields: fixed texts chosen by key,
# never built from what a user typed.
PARTNER_KIND_DOMAINS = {
    "any": "[]",
    "person": "[('is_company', '=', False)]",
    "company": "[('is_company', '=', True)]",
}

# Contacts and companies share res.partner: the condition that tells them
# apart, for the views (as an expression) and for filters (as a domain).
ENTITY_INVISIBLE = {"contact": "is_company", "company": "not is_company"}
ENTITY_REQUIRED = {"contact": "not is_company", "company": "is_company"}
ENTITY_DOMAIN = {
    "contact": [("is_company", "=", False)],
    "company": [("is_company", "=", True)],
}

# The views the generated extensions attach to, where the entity has one.
BASE_VIEWS = {
    "res.partner": {
        "form": "base.view_partner_form",
        "list": "base.view_partner_tree",
        "search": "base.view_res_partner_filter",
    },
    "corymbus.opportunity": {
        "form": "corymbus_crm.corymbus_opportunity_view_form",
        "list": "corymbus_crm.corymbus_opportunity_view_list",
        "search": "corymbus_crm.corymbus_opportunity_view_search",
    },
}
CURRENCY_FIELDS = ("currency_id", "corymbus_custom_currency_id")


def slugify(text):
    """Return the lowercase ASCII slug of ``text`` (words joined by ``_``).

    Accents are dropped ("Année" gives "annee"), a few letters without a
    decomposition are spelled out ("ß" gives "ss"); what is left outside
    ``[a-z0-9]`` becomes a single underscore. Scripts without a Latin
    spelling give an empty slug, which callers replace by a neutral name.
    """
    text = unicodedata.normalize("NFKD", (text or "").translate(TRANSLITERATION))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def technical_name_candidates(label, fallback="field"):
    """Yield technical names for ``label``: the slug, then numbered variants.

    Every candidate matches ``^x_[a-z0-9_]+$`` and fits PostgreSQL's 63
    characters, the suffix included.
    """
    base = slugify(label) or fallback
    yield ("x_" + base)[:NAME_MAX_LENGTH].rstrip("_")
    suffix = 2
    while True:
        tail = f"_{suffix}"
        yield ("x_" + base)[: NAME_MAX_LENGTH - len(tail)].rstrip("_") + tail
        suffix += 1


def check_label(env, label, max_length=LABEL_MAX_LENGTH):
    """Return ``label`` cleaned up, or raise a ValidationError saying why not."""
    if isinstance(label, str):
        label = unicodedata.normalize("NFC", label).strip()
    if not label:
        raise ValidationError(env._("A label cannot be empty."))
    if FORBIDDEN_LABEL_RE.search(label) or any(
        unicodedata.category(char) in ("Cs", "Co", "Cn") for char in label
    ):
        raise ValidationError(
            env._(
                "The label “%(label)s” contains invisible or control characters "
                "(line breaks, tabs, direction marks...); type it on one line.",
                label=FORBIDDEN_LABEL_RE.sub("", label)[:40],
            )
        )
    if len(label) > max_length:
        raise ValidationError(
            env._(
                "The label “%(label)s…” is too long: %(max)s characters at most.",
                label=label[:40],
                max=max_length,
            )
        )
    return label


class CorymbusCustomField(models.Model):
    """A field added by a Corymbus administrator without writing code.

    Each record owns one real column: an Odoo manual field
    (``ir.model.fields`` in state ``manual``) whose technical name is the
    ASCII slug of the label. Its attributes are chosen among fixed values;
    nothing typed by a user ever becomes a compute, a domain or a related
    path. The record also keeps the inherited views that show the fields of
    its entity on the form, the list and the search view: those views are
    rebuilt from the records, never from user-provided XML.
    """

    _name = "corymbus.custom.field"
    _description = "Corymbus Custom Field"
    _order = "entity, sequence, id"

    # Definition
    name = fields.Char("Label", required=True)
    technical_name = fields.Char(
        copy=False,
        help="Column name in the database. Left empty, it is made from the "
        "label, e.g. “Année d'ouverture” gives x_annee_d_ouverture. It cannot "
        "change once the field exists.",
    )
    entity = fields.Selection(
        ENTITIES,
        required=True,
        default="contact",
        help="Contacts and companies share one list of records: a field for "
        "contacts shows on people, a field for companies on companies.",
    )
    model_name = fields.Char(compute="_compute_model_name", store=True, index=True)
    field_type = fields.Selection(FIELD_TYPES, "Type", required=True, default="char")
    help_text = fields.Text("Help", help="Shown as a tooltip next to the field.")
    is_required = fields.Boolean(
        "Required",
        help="The form asks for a value before saving. Records created "
        "elsewhere (imports, other applications) may still leave it empty.",
    )
    option_ids = fields.One2many(
        "corymbus.custom.field.option", "field_id", string="Options", copy=True
    )
    partner_kind = fields.Selection(
        [
            ("any", "Contacts and Companies"),
            ("person", "Contacts"),
            ("company", "Companies"),
        ],
        "Links To",
        default="any",
    )
    no_filter_label = fields.Char(
        "Label of the “No” Filter",
        help="Yes/No fields get two filters in the search: the label and this "
        "one, e.g. “Is customer” and “Is not customer”.",
    )

    # Display
    sequence = fields.Integer(default=10)
    form_position = fields.Selection(
        [("main", "Main Information"), ("tab", "Custom Fields Tab")],
        "Place on the Form",
        required=True,
        default="tab",
    )
    list_column = fields.Selection(
        [
            ("none", "Not in Lists"),
            ("show", "Optional Column, Shown"),
            ("hide", "Optional Column, Hidden"),
        ],
        required=True,
        default="show",
    )

    # Odoo field
    ir_field_id = fields.Many2one(
        "ir.model.fields",
        string="Odoo Field",
        readonly=True,
        copy=False,
        index=True,
        ondelete="cascade",
    )

    _technical_name_unique = models.Constraint(
        "UNIQUE(model_name, technical_name)",
        "Two custom fields of the same record type cannot share a technical name.",
    )

    @api.depends("entity")
    def _compute_model_name(self):
        for custom_field in self:
            custom_field.model_name = ENTITY_MODELS.get(custom_field.entity)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """Create the definitions, then all their columns in one registry load."""
        self._check_manager()
        vals_list = [self._clean_vals(vals) for vals in vals_list]
        self._check_requested_names(vals_list)

        # Nothing touches the schema or the registry until every definition of
        # the batch is valid: a refused field leaves nothing behind.
        creating = self.with_context(corymbus_custom_field_creating=True)
        custom_fields = super(CorymbusCustomField, creating).create(vals_list)
        custom_fields = custom_fields.with_env(self.env)
        custom_fields._prepare_definitions()

        custom_fields._create_odoo_fields()
        custom_fields._regenerate_views()
        return custom_fields

    def write(self, vals):
        self._check_manager()
        for frozen in ("entity", "field_type", "technical_name", "model_name"):
            if frozen in vals and any(rec[frozen] != vals[frozen] for rec in self):
                raise UserError(
                    self.env._(
                        "The record type, the type and the technical name of a custom "
                        "field cannot change once it exists: create a new field and "
                        "remove this one."
                    )
                )
        vals = self._clean_vals(vals)

        # A "No" filter label derived from the old label follows the new one.
        if "name" in vals and "no_filter_label" not in vals:
            for custom_field in self.filtered(lambda f: f.field_type == "boolean"):
                derived = self._default_no_filter_label(custom_field.name)
                if custom_field.no_filter_label == derived:
                    custom_field._write_unchecked(
                        {"no_filter_label": self._default_no_filter_label(vals["name"])}
                    )
        result = super().write(vals)

        if "name" in vals or "no_filter_label" in vals:
            for custom_field in self:
                custom_field._check_label_available()
        if {"name", "help_text", "partner_kind"} & set(vals):
            self._update_odoo_fields()
        if {
            "name",
            "is_required",
            "partner_kind",
            "no_filter_label",
            "sequence",
            "form_position",
            "list_column",
        } & set(vals):
            self._regenerate_views()
        return result

    def unlink(self):
        """Remove the fields, their columns and what would break without them.

        Saved filters and export templates that use a field go with it; a view,
        another field or a contact group rule that uses it stops the removal
        and is named, so that nothing is left broken.
        """
        self._check_manager()
        if not self:
            return True

        blocking = []
        disposable = []
        for custom_field in self:
            for usage in custom_field._get_usages():
                (blocking if usage["blocking"] else disposable).append(usage)
        if blocking:
            raise UserError(
                self.env._(
                    "These custom fields are still used; change or remove what uses "
                    "them first:\n%(usages)s",
                    usages="\n".join(
                        f"- {usage['kind']}: {usage['name']}" for usage in blocking
                    ),
                )
            )
        for usage in disposable:
            usage["record"].sudo().unlink()

        # Views first, so that no view mentions a column about to disappear.
        for model_name in set(self.filtered("ir_field_id").mapped("model_name")):
            self._build_model_views(model_name, exclude=self)
        odoo_fields = self.sudo().ir_field_id
        result = super().unlink()
        odoo_fields.unlink()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_remove_wizard(self):
        """Open the dialog that lists what uses the field before removing it."""
        self._check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Remove Custom Fields"),
            "res_model": "corymbus.custom.field.remove",
            "view_mode": "form",
            "target": "new",
            "context": {"default_field_ids": [Command.set(self.ids)]},
        }

    @api.model
    def _remove_all_custom_fields(self):
        """Remove every custom field, column and generated view.

        Meant for the module's uninstall hook: manual fields outlive the module
        otherwise, and tags fields would point to a model that is gone.
        """
        custom_fields = self.sudo().search([])
        odoo_fields = custom_fields.ir_field_id
        self.env["ir.ui.view"].sudo().with_context(active_test=False).search(
            [("name", "=like", GENERATED_VIEW_PREFIX + ".%")]
        ).unlink()
        models.Model.unlink(custom_fields)
        odoo_fields.unlink()

    # ------------------------------------------------------------------
    # Definitions
    # ------------------------------------------------------------------

    def _write_unchecked(self, values):
        """Write values computed here, without the checks of ``write``."""
        return super().write(values)

    @api.model
    def _check_manager(self):
        """Only Corymbus administrators (and the superuser) manage custom fields."""
        if self.env.su or self.env.user.has_group(
            "corymbus_crm.group_corymbus_manager"
        ):
            return
        raise AccessError(
            self.env._("Only Corymbus administrators can manage custom fields.")
        )

    @api.model
    def _clean_vals(self, vals):
        """Check the typed texts before they reach the database."""
        vals = dict(vals)
        if "name" in vals:
            vals["name"] = check_label(self.env, vals["name"])
        if vals.get("no_filter_label"):
            vals["no_filter_label"] = check_label(self.env, vals["no_filter_label"])
        if vals.get("technical_name"):
            name = vals["technical_name"]
            if (
                not isinstance(name, str)
                or not TECHNICAL_NAME_RE.match(name.strip())
                or len(name.strip()) > NAME_MAX_LENGTH
            ):
                raise ValidationError(
                    self.env._(
                        "The technical name “%(name)s” is not valid: it starts with "
                        "x_, then has only lowercase ASCII letters, digits and "
                        "underscores, %(max)s characters at most.",
                        name=FORBIDDEN_LABEL_RE.sub("", str(name))[:70],
                        max=NAME_MAX_LENGTH,
                    )
                )
            vals["technical_name"] = name.strip()
        if isinstance(vals.get("help_text"), str):
            vals["help_text"] = vals["help_text"].replace("\x00", "")
        return vals

    @api.model
    def _check_requested_names(self, vals_list):
        """Refuse technical names typed by hand that are taken, before saving."""
        requested = set()
        for vals in vals_list:
            name = vals.get("technical_name")
            model_name = ENTITY_MODELS.get(vals.get("entity") or "contact")
            if not name or model_name not in self.env:
                continue
            model_names = self.env.registry.descendants([model_name], "_inherits")
            taken = (model_name, name) in requested or any(
                name in self.env[related]._fields for related in model_names
            )
            taken = taken or self.sudo().search_count(
                [("model_name", "=", model_name), ("technical_name", "=", name)]
            )
            if taken:
                raise ValidationError(
                    self.env._(
                        "A field named “%(name)s” already exists on these records.",
                        name=name,
                    )
                )
            requested.add((model_name, name))

    def _prepare_definitions(self):
        """Validate the new definitions and give each its technical name."""
        claimed = defaultdict(set)
        for custom_field in self:
            model_name = ENTITY_MODELS[custom_field.entity]
            if model_name not in self.env:
                raise ValidationError(
                    self.env._(
                        "Custom fields on %(entity)s need that part of Corymbus, "
                        "which is not installed.",
                        entity=dict(
                            self._fields["entity"]._description_selection(self.env)
                        )[custom_field.entity],
                    )
                )

            values = {"name": check_label(self.env, custom_field.name)}
            if custom_field.field_type == "boolean":
                values["is_required"] = False
                values["no_filter_label"] = check_label(
                    self.env,
                    custom_field.no_filter_label
                    or self._default_no_filter_label(values["name"]),
                )
            else:
                values["no_filter_label"] = False
            if custom_field.field_type != "partner":
                values["partner_kind"] = "any"
            custom_field._write_unchecked(values)
            custom_field._check_label_available()

            if custom_field.field_type in OPTION_TYPES:
                if (
                    custom_field.field_type == "selection"
                    and not custom_field.option_ids
                ):
                    raise ValidationError(
                        self.env._(
                            "The choice list “%(field)s” needs at least one option.",
                            field=custom_field.name,
                        )
                    )
            elif custom_field.option_ids:
                raise ValidationError(
                    self.env._(
                        "Only choice lists and tags have options; “%(field)s” is "
                        "not one.",
                        field=custom_field.name,
                    )
                )
            if custom_field.field_type == "monetary":
                custom_field._currency_field_name()

            name = custom_field._pick_technical_name(claimed[model_name])
            claimed[model_name].add(name)
            custom_field._write_unchecked({"technical_name": name})

    def _default_no_filter_label(self, label):
        """The label of the "No" filter of a Yes/No field, derived from its label."""
        for prefix, negative in (("Is ", "Is not "), ("Est ", "N'est pas ")):
            if label.startswith(prefix) and len(label) > len(prefix):
                return (negative + label[len(prefix) :])[:LABEL_MAX_LENGTH]
        return self.env._("%(label)s: No", label=label)[:LABEL_MAX_LENGTH]

    def _related_model_names(self):
        """The model of the field and those that embed it by delegation."""
        self.ensure_one()
        return self.env.registry.descendants([self.model_name], "_inherits")

    def _check_label_available(self):
        """Refuse a label another field of the same records already has.

        Two fields with one label would be indistinguishable in filters,
        group-bys and exports (and Odoo warns about them at every start).
        """
        self.ensure_one()
        labels = {}
        for model_name in self._related_model_names():
            for field in self.env[model_name]._fields.values():
                if field.name != self.technical_name:
                    labels[(field.string or "").casefold()] = field
        if self.name.casefold() in labels:
            raise ValidationError(
                self.env._(
                    "“%(label)s” is already the label of a field of these "
                    "records; choose another one.",
                    label=self.name,
                )
            )
        siblings = self.search(
            [("model_name", "=", self.model_name), ("id", "!=", self.id)]
        )
        if self.name.casefold() in {s.name.casefold() for s in siblings}:
            raise ValidationError(
                self.env._(
                    "Another custom field of these records is already labelled "
                    "“%(label)s”.",
                    label=self.name,
                )
            )

    def _pick_technical_name(self, claimed):
        """Return the technical name to use, checked against existing columns."""
        self.ensure_one()
        existing = set(claimed)
        for model_name in self._related_model_names():
            existing.update(self.env[model_name]._fields)
        existing.update(
            self.env["ir.model.fields"]
            .sudo()
            .search([("model", "in", list(self._related_model_names()))])
            .mapped("name")
        )

        if self.technical_name:
            name = self.technical_name.strip()
            if not TECHNICAL_NAME_RE.match(name) or len(name) > NAME_MAX_LENGTH:
                raise ValidationError(
                    self.env._(
                        "The technical name “%(name)s” is not valid: it starts with "
                        "x_, then has only lowercase ASCII letters, digits and "
                        "underscores, %(max)s characters at most.",
                        name=name,
                        max=NAME_MAX_LENGTH,
                    )
                )
            if name in existing:
                raise ValidationError(
                    self.env._(
                        "A field named “%(name)s” already exists on these records.",
                        name=name,
                    )
                )
            return name

        for name in technical_name_candidates(self.name):
            if name not in existing:
                return name
        return None  # unreachable: the candidates never end

    def _currency_field_name(self):
        """The currency that amounts of this entity are shown in."""
        Model = self.env[self.model_name]
        for name in CURRENCY_FIELDS:
            field = Model._fields.get(name)
            if (
                field
                and field.type == "many2one"
                and field.comodel_name == "res.currency"
            ):
                return name
        raise ValidationError(
            self.env._(
                "These records have no currency, so they cannot hold an amount; "
                "use a decimal number instead."
            )
        )

    # ------------------------------------------------------------------
    # Odoo fields
    # ------------------------------------------------------------------

    def _prepare_odoo_field_values(self):
        """The ``ir.model.fields`` values of a definition, from fixed choices only."""
        self.ensure_one()
        values = {
            "model_id": self.env["ir.model"]._get_id(self.model_name),
            "name": self.technical_name,
            "field_description": self.name,
            "help": self.help_text or False,
            "ttype": ODOO_TYPES[self.field_type],
            "state": "manual",
            "store": True,
        }
        if self.field_type == "selection":
            values["selection_ids"] = [
                Command.create(
                    {"value": option.value, "name": option.name, "sequence": index}
                )
                for index, option in enumerate(self.option_ids)
            ]
        elif self.field_type == "tags":
            values.update(
                relation="corymbus.custom.field.option",
                relation_table=f"x_corymbus_custom_field_{self.id}_rel",
                column1="record_id",
                column2="option_id",
                domain=repr([("field_id", "=", self.id)]),
            )
        elif self.field_type == "partner":
            values.update(
                relation="res.partner",
                on_delete="set null",
                domain=PARTNER_KIND_DOMAINS[self.partner_kind or "any"],
            )
        elif self.field_type == "monetary":
            values["currency_field"] = self._currency_field_name()
        return values

    def _create_odoo_fields(self):
        """Create every column of the batch with a single registry reload.

        Labels are written in English only: every other language falls back
        to it, so a label shows as typed whatever the user's language.
        """
        if not self:
            return
        IrField = self.env["ir.model.fields"].sudo().with_context(lang="en_US")
        odoo_fields = IrField.create(
            [custom_field._prepare_odoo_field_values() for custom_field in self]
        )
        for custom_field, odoo_field in zip(self, odoo_fields, strict=True):
            custom_field._write_unchecked({"ir_field_id": odoo_field.id})
        self._initialise_booleans()
        _logger.info(
            "Created custom fields %s", ", ".join(self.mapped("technical_name"))
        )

    def _initialise_booleans(self):
        """Make a Yes/No column hold false, never NULL, on every row.

        A NULL would count as neither yes nor no in SQL written by hand
        (dashboards, exports): existing rows are set to false and the column
        defaults to false for rows inserted without it (case BR-11).
        """
        for custom_field in self.filtered(lambda f: f.field_type == "boolean"):
            table = self.env[custom_field.model_name]._table
            column = SQL.identifier(custom_field.technical_name)
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT false",
                    SQL.identifier(table),
                    column,
                )
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = false WHERE %s IS NULL",
                    SQL.identifier(table),
                    column,
                    column,
                )
            )
            self.env[custom_field.model_name].invalidate_model(
                [custom_field.technical_name]
            )

    def _update_odoo_fields(self):
        """Carry a new label, help or link target to the Odoo fields."""
        IrField = self.env["ir.model.fields"].sudo().with_context(lang="en_US")
        for custom_field in self.filtered("ir_field_id"):
            values = {
                "field_description": custom_field.name,
                "help": custom_field.help_text or False,
            }
            if custom_field.field_type == "partner":
                values["domain"] = PARTNER_KIND_DOMAINS[
                    custom_field.partner_kind or "any"
                ]
            IrField.browse(custom_field.ir_field_id.id).write(values)

    def _sync_selection_options(self):
        """Mirror the options of choice lists as the fields' selection values."""
        Selection = self.env["ir.model.fields.selection"].sudo()
        for custom_field in self.filtered(
            lambda f: f.field_type == "selection" and f.ir_field_id
        ):
            current = {
                s.value: s for s in custom_field.sudo().ir_field_id.selection_ids
            }
            wanted = {
                o.value: (index, o) for index, o in enumerate(custom_field.option_ids)
            }

            removed = Selection.browse(
                [s.id for value, s in current.items() if value not in wanted]
            )
            if removed:
                removed.unlink()
            new_values = []
            for value, (index, option) in wanted.items():
                selection = current.get(value)
                if not selection:
                    new_values.append(
                        {
                            "field_id": custom_field.ir_field_id.id,
                            "value": value,
                            "name": option.name,
                            "sequence": index,
                        }
                    )
                elif (selection.name, selection.sequence) != (option.name, index):
                    selection.with_context(lang="en_US").write(
                        {"name": option.name, "sequence": index}
                    )
            if new_values:
                Selection.create(new_values)

    # ------------------------------------------------------------------
    # Usages
    # ------------------------------------------------------------------

    def _usage_pattern(self):
        self.ensure_one()
        return re.compile(rf"(?<![\w.]){re.escape(self.technical_name)}(?!\w)")

    def _get_usages(self):
        """List what uses the field: dicts with kind, name, record and blocking.

        Non-blocking usages (saved filters, export templates) are removed with
        the field; blocking ones must be changed by hand first.
        """
        self.ensure_one()
        if not self.technical_name:
            return []
        pattern = self._usage_pattern()
        usages = []

        filters = (
            self.env["ir.filters"]
            .sudo()
            .with_context(active_test=False)
            .search([("model_id", "=", self.model_name)])
        )
        used_filters = filters.filtered(
            lambda f: any(
                pattern.search(str(text or ""))
                for text in (f.domain, f.context, f.sort)
            )
        )
        usages += [
            {
                "kind": self.env._("Saved filter"),
                "name": f.name,
                "record": f,
                "blocking": False,
            }
            for f in used_filters
        ]

        export_lines = (
            self.env["ir.exports.line"]
            .sudo()
            .search([("export_id.resource", "=", self.model_name)])
        )
        usages += [
            {
                "kind": self.env._("Export template"),
                "name": line.export_id.name,
                "record": line,
                "blocking": False,
            }
            for line in export_lines
            if pattern.search(line.name or "")
        ]

        views = (
            self.env["ir.ui.view"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("arch_db", "like", self.technical_name),
                    ("name", "not like", GENERATED_VIEW_PREFIX),
                ]
            )
        )
        usages += [
            {
                "kind": self.env._("View"),
                "name": view.name,
                "record": view,
                "blocking": True,
            }
            for view in views
            if pattern.search(view.arch_db or "")
        ]

        other_fields = (
            self.env["ir.model.fields"]
            .sudo()
            .search(
                [
                    ("state", "=", "manual"),
                    ("id", "!=", self.ir_field_id.id),
                    "|",
                    "|",
                    ("related", "like", self.technical_name),
                    ("depends", "like", self.technical_name),
                    ("domain", "like", self.technical_name),
                ]
            )
        )
        usages += [
            {
                "kind": self.env._("Field"),
                "name": f"{other.field_description} ({other.model})",
                "record": other,
                "blocking": True,
            }
            for other in other_fields
        ]

        if self.model_name == "res.partner":
            groups = (
                self.env["corymbus.contact.group"]
                .sudo()
                .with_context(active_test=False)
                .search([])
            )
            usages += [
                {
                    "kind": self.env._("Contact group rule"),
                    "name": group.name,
                    "record": group,
                    "blocking": True,
                }
                for group in groups
                if pattern.search(group.rule_domain or "")
                or group.rule_filter_id in used_filters
            ]
        return usages + self._get_extra_usages(pattern)

    def _get_extra_usages(self, pattern):
        """Hook for addons that keep domains of their own (e.g. mailings)."""
        return []

    # ------------------------------------------------------------------
    # Generated views
    # ------------------------------------------------------------------

    def _regenerate_views(self):
        """Rebuild the generated views of the records types of ``self``."""
        if self.env.context.get("corymbus_custom_field_creating"):
            return
        for model_name in set(self.filtered("ir_field_id").mapped("model_name")):
            self._build_model_views(model_name)

    @api.model
    def _base_view(self, model_name, view_type):
        View = self.env["ir.ui.view"].sudo()
        xml_id = BASE_VIEWS.get(model_name, {}).get(view_type)
        if xml_id:
            view = self.env.ref(xml_id, raise_if_not_found=False)
            if view:
                return view.sudo()
        return View.browse(View.default_view(model_name, view_type))

    @api.model
    def _build_model_views(self, model_name, exclude=None):
        """Write (or drop) the form, list and search extensions of a model."""
        custom_fields = self.sudo().search(
            [("model_name", "=", model_name), ("ir_field_id", "!=", False)]
        )
        if exclude:
            custom_fields -= exclude.sudo()
        View = self.env["ir.ui.view"].sudo().with_context(active_test=False)
        builders = {
            "form": self._build_form_arch,
            "list": self._build_list_arch,
            "search": self._build_search_arch,
        }
        for view_type, builder in builders.items():
            base_view = self._base_view(model_name, view_type)
            if not base_view:
                continue
            name = f"{GENERATED_VIEW_PREFIX}.{model_name}.{view_type}"
            existing = View.search(
                [("name", "=", name), ("inherit_id", "=", base_view.id)]
            )
            arch = builder(custom_fields, base_view)
            if arch is None:
                existing.unlink()
                continue

            arch = etree.tostring(arch, encoding="unicode")
            if existing:
                existing[1:].unlink()
                existing[:1].with_context(lang="en_US").write(
                    {"arch_db": arch, "active": True}
                )
                view = existing[:1]
            else:
                view = View.with_context(lang="en_US").create(
                    {
                        "name": name,
                        "model": model_name,
                        "inherit_id": base_view.id,
                        "mode": "extension",
                        "priority": 99,
                        "arch_db": arch,
                    }
                )
            self._translate_view_terms(view)

    def _translate_view_terms(self, view):
        """Give the fixed words of a generated view their translations."""
        for code, _name in self.env["res.lang"].get_installed():
            if code == "en_US":
                continue
            translated = self.with_context(lang=code).env._("Custom Fields")
            view.update_field_translations(
                "arch_db", {code: {"Custom Fields": translated}}
            )

    def _field_node(self, view_type):
        """The ``<field>`` element of a custom field, from fixed attributes."""
        self.ensure_one()
        node = E.field(name=self.technical_name)
        if self.entity in ENTITY_INVISIBLE:
            node.set("invisible", ENTITY_INVISIBLE[self.entity])
        if self.field_type == "tags":
            node.set("widget", "many2many_tags")
            node.set("options", "{'color_field': 'color', 'no_create': True}")
        if view_type == "form" and self.is_required:
            node.set("required", ENTITY_REQUIRED.get(self.entity, "True"))
        if view_type == "list":
            node.set("optional", self.list_column)
        return node

    def _currency_nodes(self, custom_fields, view_type="form"):
        """Hidden currency fields that amounts need in the same view."""
        names = {
            f._currency_field_name()
            for f in custom_fields
            if f.field_type == "monetary"
        }
        attribute = "column_invisible" if view_type == "list" else "invisible"
        return [E.field(name=name, **{attribute: "1"}) for name in sorted(names)]

    @api.model
    def _build_form_arch(self, custom_fields, base_view):
        if not custom_fields:
            return None
        base_arch = etree.fromstring(base_view.get_combined_arch())
        page_label = self.with_context(lang="en_US").env._("Custom Fields")
        root = E.data()

        main = custom_fields.filtered(lambda f: f.form_position == "main")
        tab = custom_fields - main
        if base_arch.xpath("//sheet/group[group]"):
            main_target, main_wrap = "(//sheet/group[group])[1]/group[last()]", False
        elif base_arch.xpath("//sheet//group"):
            main_target, main_wrap = "(//sheet//group)[1]", False
        else:
            main_target, main_wrap = "//sheet", True
        if not base_arch.xpath("//sheet"):
            main_target, main_wrap = "/form", True

        if main:
            nodes = self._currency_nodes(main) + [f._field_node("form") for f in main]
            container = E.group(*nodes) if main_wrap else None
            xpath = E.xpath(expr=main_target, position="inside")
            xpath.extend([container] if container is not None else nodes)
            root.append(xpath)

        if tab:
            group = E.group(name="corymbus_custom_fields")
            group.extend(
                self._currency_nodes(tab) + [f._field_node("form") for f in tab]
            )
            if base_arch.xpath("//notebook"):
                page = E.page(group, name="corymbus_custom_fields", string=page_label)
                kinds = set(tab.mapped("entity"))
                if kinds == {"contact"}:
                    page.set("invisible", ENTITY_INVISIBLE["contact"])
                elif kinds == {"company"}:
                    page.set("invisible", ENTITY_INVISIBLE["company"])
                root.append(E.xpath(page, expr="(//notebook)[1]", position="inside"))
            else:
                group.set("string", page_label)
                target = "//sheet" if base_arch.xpath("//sheet") else "/form"
                root.append(E.xpath(group, expr=target, position="inside"))
        return root

    @api.model
    def _build_list_arch(self, custom_fields, base_view):
        shown = custom_fields.filtered(lambda f: f.list_column != "none")
        if not shown:
            return None
        xpath = E.xpath(expr="/list", position="inside")
        xpath.extend(
            self._currency_nodes(shown, "list") + [f._field_node("list") for f in shown]
        )
        return E.data(xpath)

    @api.model
    def _build_search_arch(self, custom_fields, base_view):
        if not custom_fields:
            return None
        xpath = E.xpath(expr="/search", position="inside")
        groupbys = []
        for custom_field in custom_fields:
            name = custom_field.technical_name
            kind_domain = ENTITY_DOMAIN.get(custom_field.entity, [])
            if custom_field.field_type in ("char", "text", "partner", "tags"):
                xpath.append(E.field(name=name))
            if custom_field.field_type == "boolean":
                xpath.append(E.separator())
                xpath.append(
                    E.filter(
                        name=f"corymbus_cf_{name}_yes",
                        string=custom_field.name,
                        domain=repr([*kind_domain, (name, "=", True)]),
                    )
                )
                xpath.append(
                    E.filter(
                        name=f"corymbus_cf_{name}_no",
                        string=custom_field.no_filter_label or custom_field.name,
                        domain=repr([*kind_domain, (name, "=", False)]),
                    )
                )
            elif custom_field.field_type == "selection":
                xpath.append(E.separator())
                for option in custom_field.option_ids:
                    xpath.append(
                        E.filter(
                            name=f"corymbus_cf_{name}_{option.value}",
                            string=f"{custom_field.name}: {option.name}",
                            domain=repr([*kind_domain, (name, "=", option.value)]),
                        )
                    )
            if custom_field.field_type in ("boolean", "selection", "partner", "date"):
                groupbys.append(
                    E.filter(
                        name=f"corymbus_cf_groupby_{name}",
                        string=custom_field.name,
                        context=repr({"group_by": name}),
                    )
                )
        if groupbys:
            xpath.append(E.group(*groupbys))
        return E.data(xpath)
