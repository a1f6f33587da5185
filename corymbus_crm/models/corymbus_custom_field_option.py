from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .corymbus_custom_field import LABEL_MAX_LENGTH, check_label, slugify


class CorymbusCustomFieldOption(models.Model):
    """One option of a choice list or tags custom field.

    For a choice list, each option is mirrored as a selection value of the
    Odoo field (its ``value`` is an ASCII slug fixed at creation, so renaming
    an option never rewrites stored data). For tags, the options are the
    records the tags field links to.
    """

    _name = "corymbus.custom.field.option"
    _description = "Corymbus Custom Field Option"
    _order = "field_id, sequence, id"

    field_id = fields.Many2one(
        "corymbus.custom.field",
        string="Custom Field",
        required=True,
        index=True,
        ondelete="cascade",
    )
    name = fields.Char("Option", required=True)
    value = fields.Char(
        "Technical Value",
        readonly=True,
        copy=False,
        help="Stored in the database for choice lists; set once from the label.",
    )
    sequence = fields.Integer(default=10)
    color = fields.Integer("Color Index")

    _value_unique = models.Constraint(
        "UNIQUE(field_id, value)",
        "Two options of the same field cannot have the same technical value.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["corymbus.custom.field"]._check_manager()
        vals_list = [self._clean_vals(vals) for vals in vals_list]
        options = super().create(vals_list)
        options._check_and_fill_values()

        # Options added to an existing choice list become selection values;
        # while the field itself is being created, it takes care of that.
        if not self.env.context.get("corymbus_custom_field_creating"):
            options.field_id._sync_selection_options()
            options.field_id._regenerate_views()
        return options

    def write(self, vals):
        self.env["corymbus.custom.field"]._check_manager()
        vals = self._clean_vals(vals)
        if "field_id" in vals and any(o.field_id.id != vals["field_id"] for o in self):
            raise ValidationError(
                self.env._("An option cannot move to another custom field.")
            )
        result = super().write(vals)

        if {"name", "sequence"} & set(vals):
            self._check_and_fill_values()
            self.field_id._sync_selection_options()
            self.field_id._regenerate_views()
        return result

    def unlink(self):
        self.env["corymbus.custom.field"]._check_manager()
        custom_fields = self.field_id
        result = super().unlink()
        custom_fields.exists()._sync_selection_options()
        custom_fields.exists()._regenerate_views()
        return result

    def _write_unchecked(self, values):
        """Write values computed here, without the checks of ``write``."""
        return super().write(values)

    @api.model
    def _clean_vals(self, vals):
        """Check an option's label before it reaches the database."""
        vals = dict(vals)
        # The technical value is made from the label, never typed.
        vals.pop("value", None)
        if "name" in vals:
            vals["name"] = check_label(self.env, vals["name"], LABEL_MAX_LENGTH)
        return vals

    def _check_and_fill_values(self):
        """Validate the labels and give new options a unique ASCII value."""
        for option in self:
            label = check_label(self.env, option.name, LABEL_MAX_LENGTH)
            if label != option.name:
                option._write_unchecked({"name": label})

        for custom_field in self.field_id:
            options = custom_field.option_ids
            seen_labels = {}
            for option in options:
                key = option.name.casefold()
                if key in seen_labels:
                    raise ValidationError(
                        self.env._(
                            "The option “%(option)s” is listed twice in “%(field)s”.",
                            option=option.name,
                            field=custom_field.name,
                        )
                    )
                seen_labels[key] = option

            taken = {o.value for o in options if o.value}
            for index, option in enumerate(options.filtered(lambda o: not o.value)):
                base = slugify(option.name)[:40] or f"option_{index + 1}"
                value = base
                suffix = 2
                while value in taken:
                    value = f"{base}_{suffix}"
                    suffix += 1
                taken.add(value)
                option._write_unchecked({"value": value})
