import base64
import csv
import io

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV cell that a spreadsheet will not run as a formula."""
    value = value or ""
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def vcard_escape(value):
    """Escape a text value for a vCard 3.0 property."""
    value = (value or "").replace("\\", "\\\\").replace("\r\n", "\n")
    return (
        value.replace("\n", "\\n")
        .replace("\r", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def vcard_fold(line):
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


class CorymbusAudienceExport(models.TransientModel):
    """The audience of a campaign: a contact group or a saved contact filter.

    Contacts who opted out of mailings are never part of it. Without Email
    Marketing the audience is exported as a CSV or vCard file; with it, a
    bridge module adds a button that creates a mailing to this audience.
    """

    _name = "corymbus.audience.export"
    _description = "Corymbus Campaign Audience"

    group_id = fields.Many2one("corymbus.contact.group", string="Contact Group")
    filter_id = fields.Many2one(
        "ir.filters",
        string="Saved Filter",
        domain=[("model_id", "=", "res.partner")],
    )
    file_format = fields.Selection(
        [("csv", "CSV (spreadsheet)"), ("vcard", "vCard (address book)")],
        "Format",
        required=True,
        default="csv",
    )
    audience_count = fields.Integer("Contacts", compute="_compute_audience_count")
    data = fields.Binary("File", readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.depends("group_id", "filter_id")
    def _compute_audience_count(self):
        for wizard in self:
            if wizard.group_id or wizard.filter_id:
                wizard.audience_count = self.env["res.partner"].search_count(
                    wizard._get_audience_domain()
                )
            else:
                wizard.audience_count = 0

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards._check_filter()
        return wizards

    def write(self, vals):
        result = super().write(vals)
        if "filter_id" in vals:
            self._check_filter()
        return result

    def _check_filter(self):
        # sudo: the filters are checked there, with the user's rights.
        self.env["corymbus.contact.group"]._check_saved_filters(
            self.sudo().filter_id.with_env(self.env)
        )

    def _get_audience_domain(self):
        """The audience as a domain, evaluated now."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        if self.group_id:
            return self.group_id._get_audience_domain()
        if self.filter_id:
            context = self.env["corymbus.contact.group"]._rule_eval_context()
            domain = Domain(safe_eval(self.filter_id.domain or "[]", context))
            return domain & Partner._corymbus_reachable_domain()
        raise UserError(self.env._("Choose a contact group or a saved filter."))

    def _get_audience(self):
        return self.env["res.partner"].search(
            self._get_audience_domain(), order="name, id"
        )

    def _audience_label(self):
        return (self.group_id or self.filter_id).name or "audience"

    def action_export(self):
        """Build the file and offer it for download."""
        self.ensure_one()
        partners = self._get_audience()
        if self.file_format == "vcard":
            content = self._render_vcard(partners).encode("utf-8")
            extension = "vcf"
        else:
            content = self._render_csv(partners).encode("utf-8-sig")
            extension = "csv"
        self.write(
            {
                "data": base64.b64encode(content),
                "filename": f"{self._audience_label()}.{extension}",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": (
                f"/web/content/?model={self._name}&id={self.id}"
                "&field=data&filename_field=filename&download=true"
            ),
            "target": "self",
        }

    def _render_csv(self, partners):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            [
                self.env._("Name"),
                self.env._("Email"),
                self.env._("Phone"),
                self.env._("Job Position"),
                self.env._("Company"),
                self.env._("City"),
                self.env._("Country"),
            ]
        )
        for partner in partners:
            company = partner.parent_id.name if partner.parent_id else ""
            writer.writerow(
                [
                    csv_cell(value)
                    for value in (
                        partner.name,
                        partner.email,
                        partner.phone,
                        partner.function,
                        company,
                        partner.city,
                        partner.country_id.name,
                    )
                ]
            )
        return buffer.getvalue()

    def _render_vcard(self, partners):
        cards = []
        for partner in partners:
            lines = [
                "BEGIN:VCARD",
                "VERSION:3.0",
                f"FN:{vcard_escape(partner.name)}",
                f"N:{vcard_escape(partner.name)};;;;",
            ]
            if partner.is_company:
                lines.append(f"ORG:{vcard_escape(partner.name)}")
            elif partner.parent_id:
                lines.append(f"ORG:{vcard_escape(partner.parent_id.name)}")
            if partner.function:
                lines.append(f"TITLE:{vcard_escape(partner.function)}")
            if partner.email:
                lines.append(f"EMAIL;TYPE=INTERNET:{vcard_escape(partner.email)}")
            if partner.phone:
                lines.append(f"TEL;TYPE=WORK,VOICE:{vcard_escape(partner.phone)}")
            lines.append("END:VCARD")
            cards.append("\r\n".join(vcard_fold(line) for line in lines))
        return "".join(card + "\r\n" for card in cards)
