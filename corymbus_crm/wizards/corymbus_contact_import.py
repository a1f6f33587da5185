import base64
import logging
import time
import unicodedata
from dataclasses import dataclass, field

import psycopg2
from PIL.Image import DecompressionBombError

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize, html2plaintext, plaintext2html
from odoo.tools.image import ImageProcess
from odoo.tools.sql import escape_psql

from ..importers import charset as charsets
from ..importers import parse_contacts
from ..importers.record import (
    COMPANY,
    GROUP,
    clean_text,
    phone_match_key,
)
from ..importers.vcard import FORMAT as VCARD_FORMAT
from ..models.corymbus_partner_channel import channel_match_key

_logger = logging.getLogger(__name__)

FILE_FORMATS = [
    ("vcard", "vCard"),
    ("google_csv", "Google Contacts CSV"),
    ("outlook_csv", "Outlook CSV"),
    ("thunderbird_csv", "Thunderbird CSV"),
]

# Country names address books write that Odoo knows under another name.
COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "deutschland": "DE",
    "allemagne": "DE",
    "schweiz": "CH",
    "suisse": "CH",
    "svizzera": "CH",
    "osterreich": "AT",
    "autriche": "AT",
    "espana": "ES",
    "espagne": "ES",
    "italia": "IT",
    "italie": "IT",
    "nederland": "NL",
    "holland": "NL",
    "belgique": "BE",
    "belgie": "BE",
    "polska": "PL",
    "pologne": "PL",
    "ceska republika": "CZ",
    "cesko": "CZ",
    "россия": "RU",
    "украина": "UA",
    "україна": "UA",
    "nihon": "JP",
    "日本": "JP",
}

# Two-letter domain endings in use that are not country codes.
TWO_LETTER_DOMAINS = {"uk", "eu", "ac", "su"}

# Largest photo kept, in pixels per side (Odoo's own image_1920 size).
PHOTO_SIZE = (1920, 1920)

STATUSES = ("created", "updated", "unchanged", "skipped")


@dataclass
class _ImportRun:
    """What one import run counts and remembers from entry to entry."""

    counts: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    issues: list = field(default_factory=list)
    partner_ids: set = field(default_factory=set)
    touched_ids: set = field(default_factory=set)
    countries: dict | None = None
    states: dict | None = None


class CorymbusContactImport(models.TransientModel):
    """Import contacts and companies from an address book export.

    Reads vCard files (2.1, 3.0, 4.0) and the CSV exports of Google
    Contacts, Outlook and Thunderbird. A contact already in Odoo, found by
    UID, e-mail or phone number, is updated rather than duplicated, and
    importing the same file again changes nothing. Each entry is written in
    its own savepoint: an entry that fails is listed with its card or line
    number and leaves nothing behind, while the others are imported.
    """

    _name = "corymbus.contact.import"
    _description = "Import Contacts"

    # Upload
    state = fields.Selection(
        [("upload", "Upload"), ("preview", "Preview"), ("done", "Done")],
        default="upload",
        required=True,
    )
    file_data = fields.Binary("File", attachment=False)
    file_name = fields.Char()

    # Analysis
    file_format = fields.Selection(FILE_FORMATS, readonly=True)
    file_details = fields.Char("Details", readonly=True)
    entry_count = fields.Integer("Entries", readonly=True)

    # Result
    created_count = fields.Integer("Created", readonly=True)
    updated_count = fields.Integer("Updated", readonly=True)
    unchanged_count = fields.Integer("Unchanged", readonly=True)
    skipped_count = fields.Integer("Not Imported", readonly=True)
    issue_ids = fields.One2many(
        "corymbus.contact.import.issue", "wizard_id", string="Problems"
    )
    error_count = fields.Integer(compute="_compute_issue_counts")
    warning_count = fields.Integer(compute="_compute_issue_counts")
    partner_ids = fields.Many2many(
        "res.partner",
        "corymbus_contact_import_partner_rel",
        "wizard_id",
        "partner_id",
        string="Imported Contacts",
        readonly=True,
    )

    @api.depends("issue_ids.severity")
    def _compute_issue_counts(self):
        for wizard in self:
            severities = wizard.issue_ids.mapped("severity")
            wizard.error_count = severities.count("error")
            wizard.warning_count = severities.count("warning")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_preview(self):
        """Read the file and show what an import would do, saving nothing."""
        self.ensure_one()
        self._run(dry_run=True)
        self.state = "preview"
        return self._action_reopen()

    def action_import(self):
        """Import the file and show what was created, updated or skipped."""
        self.ensure_one()
        self._run(dry_run=False)
        self.state = "done"
        return self._action_reopen()

    def action_back(self):
        """Go back to the upload step to choose another file."""
        self.ensure_one()
        self.issue_ids.unlink()
        self.write({"state": "upload", "partner_ids": [fields.Command.clear()]})
        return self._action_reopen()

    def action_open_contacts(self):
        """List the contacts and companies the import touched."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported Contacts"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", self.partner_ids.ids)],
        }

    def _action_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "name": self.env._("Import Contacts"),
        }

    # ------------------------------------------------------------------
    # Run
    # ------------------------------------------------------------------

    def _run(self, dry_run):
        """Parse the file, import every entry, and store counts and problems.

        A dry run does the same work inside a savepoint that is rolled back,
        so the preview shows exactly what the import would do.
        """
        self._check_rights()
        started = time.monotonic()
        result = self._parse_file()
        run = _ImportRun()
        for issue in result.issues:
            run.issues.append(self._issue_values(issue))
        skipped = {issue.number for issue in result.issues if issue.is_error}
        run.counts["skipped"] = len(skipped - {0})

        with self.env.cr.savepoint() as savepoint:
            self._import_records(result, run)
            if dry_run:
                savepoint.rollback()

        self.issue_ids.unlink()
        self.write(
            {
                "file_format": result.file_format,
                "file_details": self._file_details(result),
                "entry_count": result.entry_count,
                "created_count": run.counts["created"],
                "updated_count": run.counts["updated"],
                "unchanged_count": run.counts["unchanged"],
                "skipped_count": run.counts["skipped"],
                "issue_ids": [
                    fields.Command.create(
                        {
                            **values,
                            "location": self._location(result, values["number"]),
                            "partner_id": False if dry_run else values["partner_id"],
                        }
                    )
                    for values in sorted(run.issues, key=lambda v: v["number"])
                ],
                "partner_ids": [
                    fields.Command.set([] if dry_run else sorted(run.partner_ids))
                ],
            }
        )
        _logger.info(
            "Contact import of %s (%s, dry run: %s) by user %s: %s created, "
            "%s updated, %s unchanged, %s skipped in %.1fs",
            self.file_name,
            result.file_format,
            dry_run,
            self.env.uid,
            run.counts["created"],
            run.counts["updated"],
            run.counts["unchanged"],
            run.counts["skipped"],
            time.monotonic() - started,
        )

    def _check_rights(self):
        try:
            self.env["res.partner"].check_access("create")
            self.env["res.partner"].check_access("write")
        except AccessError as error:
            raise UserError(
                self.env._("You need the right to create and edit contacts to import.")
            ) from error

    def _parse_file(self):
        """Read the uploaded file; a file that is no contact export is refused."""
        if not self.file_data:
            raise UserError(self.env._("Choose a vCard or CSV file to import."))
        data = base64.b64decode(self.file_data)
        result = parse_contacts(data, self.file_name or "")
        fatal = [
            issue for issue in result.issues if issue.is_error and not issue.number
        ]
        if not result.file_format or (fatal and not result.records):
            reasons = [self._issue_message(issue.code, issue.params) for issue in fatal]
            raise UserError(
                self.env._(
                    "This file cannot be imported: %(reason)s",
                    reason=" ".join(reasons)
                    or self._issue_message("file_unknown_format", {}),
                )
            )
        return result

    def _import_records(self, result, run):
        """Import contacts and companies first, then groups (they list them)."""
        records = [record for record in result.records if record.kind != GROUP]
        records += [record for record in result.records if record.kind == GROUP]
        for record in records:
            record_issues = []
            try:
                with self.env.cr.savepoint():
                    status, partner = self._import_entry(record, run, record_issues)
            except psycopg2.OperationalError:
                # A lost connection or a serialisation failure: the whole
                # request must be retried, not this entry reported.
                raise
            except Exception as error:  # reported with its number, never silent
                _logger.warning(
                    "Contact import: entry %s of %s failed",
                    record.number,
                    self.file_name,
                    exc_info=True,
                )
                status, partner = "skipped", None
                record_issues = [
                    {
                        "number": record.number,
                        "severity": "error",
                        "message": self._failure_message(error),
                    }
                ]
            run.counts[status] += 1
            # Cards merged into this one (same UID) count as updating it.
            merged_status = "updated" if status == "created" else status
            run.counts[merged_status] += len(record.merged_numbers)
            if partner:
                run.partner_ids.add(partner.id)
                run.touched_ids.add(partner.id)
            for issue in record.issues:
                run.issues.append(self._issue_values(issue, partner))
            for values in record_issues:
                values["partner_id"] = partner.id if partner else False
                run.issues.append(values)
            _logger.debug(
                "Contact import: entry %s %s (partner %s)",
                record.number,
                status,
                partner.id if partner else None,
            )

    def _import_entry(self, record, run, issues):
        """Import one record; return its status and the partner it gave."""
        if record.kind == GROUP:
            return self._import_group(record, issues)
        return self._import_contact(record, run, issues)

    # ------------------------------------------------------------------
    # Contacts and companies
    # ------------------------------------------------------------------

    def _import_contact(self, record, run, issues):
        """Create or update the contact or company a record describes."""
        Partner = self._partner_model()
        changed = False

        company = Partner
        if record.company_name and record.kind != COMPANY:
            company, changed = self._company_for(record)
        partner = self._match_partner(record, run)
        is_new = not partner

        self._check_emails(record, issues)
        values = self._partner_values(record, partner, company, run, issues)
        if partner:
            if values.get("parent_id"):
                values.update(self._keep_own_address(partner, company))
            if values:
                partner.write(values)
                changed = True
        else:
            partner = Partner.create(values)

        changed |= self._sync_channels(partner, record, issues)
        changed |= self._sync_addresses(partner, record, company, run, issues)
        changed |= self._sync_categories(partner, record.categories)
        changed |= self._sync_notes(partner, record)
        if is_new:
            return "created", partner
        return ("updated" if changed else "unchanged"), partner

    def _partner_model(self):
        """Partners written without chatter tracking: an import is not an edit."""
        return self.env["res.partner"].with_context(
            tracking_disable=True, mail_create_nolog=True
        )

    def _company_for(self, record):
        """The company a person works at, found by name or created."""
        company = self._find_company(record.company_name)
        if company:
            return company, False
        company = self._partner_model().create(
            {"name": record.company_name, "is_company": True}
        )
        return company, True

    def _find_company(self, name):
        """A company whose name equals ``name`` once trimmed and casefolded."""
        key = clean_text(name).casefold()
        candidates = self._partner_model().search(
            [("is_company", "=", True), ("name", "=ilike", escape_psql(name.strip()))],
            order="id",
        )
        return next(
            (
                company
                for company in candidates
                if clean_text(company.name).casefold() == key
            ),
            self.env["res.partner"],
        )

    def _match_partner(self, record, run):
        """Find the contact or company a record describes, if Odoo has it.

        In order: the same UID; for companies, the same name; the same
        e-mail address (as main or other e-mail); the same phone number, for
        a person only when the name agrees too, as one number is often
        shared (a switchboard, a family landline); last, the same name at the
        same company, when the record or the contact has neither e-mail nor
        phone to tell them apart. Within one file, cards with different UIDs
        are different contacts, so a contact written by this run under
        another UID never matches; UIDs of other address books are not
        compared.
        """
        Partner = self._partner_model()
        kind_domain = [("is_company", "=", record.kind == COMPANY)]
        if record.uid:
            partner = Partner.search(
                [*kind_domain, ("contact_uid", "=", record.uid)], limit=1
            )
            if partner:
                return partner

        def other_uid(partner):
            return (
                record.uid
                and partner.id in run.touched_ids
                and partner.contact_uid
                and partner.contact_uid != record.uid
            )

        if record.kind == COMPANY:
            company = self._find_company(record.name)
            if company and not other_uid(company):
                return company

        email_keys = {
            key for key in (email_normalize(e.value) for e in record.emails) if key
        }
        if email_keys:
            candidates = Partner.search(
                [*kind_domain, ("email_normalized", "in", list(email_keys))],
                order="id",
            ) | self._partners_by_channel("email", email_keys, kind_domain)
            for partner in candidates:
                if not other_uid(partner):
                    return partner

        phone_keys = {
            key for key in (phone_match_key(p.value) for p in record.phones) if key
        }
        if phone_keys and record.kind != COMPANY:
            candidates = Partner.search(
                [*kind_domain, ("phone_match_key", "in", list(phone_keys))],
                order="id",
            ) | self._partners_by_channel("phone", phone_keys, kind_domain)
            for partner in candidates:
                if not other_uid(partner) and self._same_person(partner, record):
                    return partner

        if record.kind != COMPANY and not record.is_name_derived:
            for partner in self._partners_named(record.name, kind_domain):
                if other_uid(partner) or not self._same_company(partner, record):
                    continue
                if (email_keys or phone_keys) and (partner.email or partner.phone):
                    continue
                return partner
        return Partner

    def _partners_named(self, name, kind_domain):
        """Contacts whose name equals ``name`` once trimmed and casefolded."""
        key = clean_text(name).casefold()
        candidates = self._partner_model().search(
            [
                *kind_domain,
                ("type", "=", "contact"),
                ("name", "=ilike", escape_psql(name.strip())),
            ],
            order="id",
        )
        return candidates.filtered(lambda p: clean_text(p.name).casefold() == key)

    @staticmethod
    def _same_company(partner, record):
        company = clean_text(record.company_name).casefold()
        return not company or clean_text(partner.parent_id.name).casefold() == company

    def _partners_by_channel(self, kind, keys, kind_domain):
        channels = self.env["corymbus.partner.channel"].search(
            [("kind", "=", kind), ("match_key", "in", list(keys))], order="id"
        )
        return channels.partner_id.filtered_domain(kind_domain)

    def _same_person(self, partner, record):
        """Whether a partner found by phone bears the record's name."""
        if record.is_name_derived:
            return True
        name = clean_text(partner.name).casefold()
        if name == clean_text(record.name).casefold():
            return True
        derived = {channel_match_key("email", partner.email), partner.phone_match_key}
        return bool(
            name
            and (
                channel_match_key("email", name) in derived
                or phone_match_key(name) in derived
            )
        )

    def _partner_values(self, record, partner, company, run, issues):
        """Values to write: all of them for a new partner, else the changes.

        A value from the file replaces the partner's, except the name of a
        company and the main e-mail, phone and website, which are only
        filled in (other ones go to the list of other channels). A partner
        that an earlier entry of the same file already wrote is only filled
        in, so that two entries about one contact cannot undo each other.
        """
        is_company = record.kind == COMPANY
        fill_only = partner.id in run.touched_ids
        values = {}

        def put(field_name, value, overwrite=True):
            if value in (None, "", False):
                return
            if not partner:
                values[field_name] = value
                return
            current = partner[field_name]
            if isinstance(current, models.BaseModel):
                current = current.id
            if current == value or (current and (fill_only or not overwrite)):
                return
            values[field_name] = value

        if not partner:
            values["is_company"] = is_company
        put(
            "name", record.name, overwrite=not is_company and not record.is_name_derived
        )
        if not is_company:
            put("parent_id", company.id)
            put("function", record.job_title)
            put("department", record.department)
            put("nickname", record.nickname)
        put("birthday", record.birthday)
        put("contact_uid", record.uid, overwrite=False)
        put("image_1920", self._photo_value(record, issues))

        email = next((e.value for e in record.emails if email_normalize(e.value)), "")
        phone = next((p.value for p in record.phones if phone_match_key(p.value)), "")
        website = record.websites[0].value if record.websites else ""
        put("email", email, overwrite=False)
        put("phone", phone, overwrite=False)
        put("website", website and partner._clean_website(website), overwrite=False)
        return values

    def _check_emails(self, record, issues):
        """Warn about e-mail addresses that cannot be right; keep them anyway."""
        country_codes = None
        for email in record.emails:
            normalized = email_normalize(email.value)
            if not normalized:
                issues.append(self._warning(record, "email_invalid", value=email.value))
                continue
            ending = normalized.rsplit(".", 1)[-1] if "." in normalized else ""
            if len(ending) != 2 or not ending.isascii() or ending in TWO_LETTER_DOMAINS:
                continue
            if country_codes is None:
                countries = self.env["res.country"].search([])
                country_codes = {code.lower() for code in countries.mapped("code")}
            if ending not in country_codes:
                issues.append(
                    self._warning(
                        record, "email_domain", value=email.value, ending=ending
                    )
                )

    def _photo_value(self, record, issues):
        """The photo as Odoo stores it, or None with a warning if unreadable."""
        if not record.photo:
            return None
        try:
            image = ImageProcess(record.photo, verify_resolution=True)
            if not image.image:
                raise ValueError("not a raster image")
            image.image.load()
            photo = image.resize(*PHOTO_SIZE).image_quality()
        except (UserError, ValueError, OSError, SyntaxError, DecompressionBombError):
            issues.append(self._warning(record, "photo_invalid"))
            return None
        return base64.b64encode(photo)

    def _sync_channels(self, partner, record, issues):
        """Add the e-mails, phones and websites the partner does not have yet.

        The partner's own e-mail, phone or website stands for the first
        record value it equals; every other value is kept once per usage.
        """
        Channel = self.env["corymbus.partner.channel"]
        existing = {
            (channel.kind, channel.match_key or channel.value.casefold(), channel.usage)
            for channel in partner.contact_channel_ids
        }
        to_create = []
        for kind, items, main_value in (
            ("email", record.emails, partner.email),
            ("phone", record.phones, partner.phone),
            ("website", record.websites, partner.website),
        ):
            main_key = channel_match_key(kind, main_value)
            main_seen = False
            for item in items:
                value = item.value
                if kind == "website":
                    value = partner._clean_website(value)
                key = channel_match_key(kind, value) or value.casefold()
                if main_key and key == main_key and not main_seen:
                    main_seen = True
                    continue
                identity = (kind, key, item.usage or False)
                if identity in existing:
                    continue
                existing.add(identity)
                to_create.append(
                    {
                        "partner_id": partner.id,
                        "kind": kind,
                        "usage": item.usage or False,
                        "label": item.label or False,
                        "value": value,
                    }
                )
        if to_create:
            Channel.create(to_create)
        return bool(to_create)

    def _sync_categories(self, partners, names):
        """Give the partners the tags named, creating the missing tags."""
        Category = self.env["res.partner.category"]
        changed = False
        for name in names:
            category = self._find_category(name)
            if not category:
                category = Category.create({"name": name})
            missing = partners.filtered(lambda p, c=category: c not in p.category_id)
            if missing:
                missing.write({"category_id": [fields.Command.link(category.id)]})
                changed = True
        return changed

    def _find_category(self, name):
        key = clean_text(name).casefold()
        candidates = self.env["res.partner.category"].search(
            [("name", "=ilike", escape_psql(name.strip()))], order="id"
        )
        return next(
            (c for c in candidates if clean_text(c.name).casefold() == key),
            self.env["res.partner.category"],
        )

    def _sync_notes(self, partner, record):
        """Append the notes the partner does not hold yet to its comment."""
        blocks = list(record.notes)
        blocks += [
            f"{self._extra_note_label(code)}: {value}"
            for code, value in record.extra_notes
        ]
        current = self._plain(partner.comment)
        missing = []
        for block in blocks:
            plain = self._plain(plaintext2html(block))
            if plain and plain not in current and plain not in missing:
                missing.append(block)
        if not missing:
            return False
        html = "".join(plaintext2html(block) for block in missing)
        partner.comment = (partner.comment or "") + html
        return True

    @staticmethod
    def _plain(html):
        text = html2plaintext(html or "", include_references=False)
        return " ".join(text.split())

    def _extra_note_label(self, code):
        labels = {
            "organization": self.env._("Other organisation"),
            "job_title": self.env._("Other job title"),
            "role": self.env._("Role"),
            "department": self.env._("Department"),
            "birthday": self.env._("Birthday (no year)"),
            "address": self.env._("Address"),
        }
        return labels.get(code, code)

    # ------------------------------------------------------------------
    # Addresses
    # ------------------------------------------------------------------

    def _keep_own_address(self, partner, company):
        """Keep a person's own address before linking them to a company.

        Odoo gives a company's people the company's address, and pushes a
        newly linked person's address up to a company that has none. The
        person's address is kept as an other address of theirs instead, and
        the returned values clear it from the person.
        """
        address = partner._get_address_values()
        if not address or self._same_address(address, company._get_address_values()):
            return {}
        self._partner_model().create(
            {
                "parent_id": partner.id,
                "type": "other",
                "name": self.env._("Personal address"),
                **address,
            }
        )
        return dict.fromkeys(address, False)

    def _sync_addresses(self, partner, record, company, run, issues):
        """Place the record's addresses and add the ones Odoo lacks.

        A company or a person without a company gets the preferred (or
        first) address as their own. A person at a company shares its
        address, as Odoo wants: their work address becomes the company's when
        the company has none. Every other address becomes an "other" address
        of the partner unless it already has it.
        """
        addresses = sorted(record.addresses, key=lambda a: not a.is_preferred)
        if not addresses:
            return False
        changed = False
        linked = partner.parent_id and partner.type == "contact"
        if linked:
            work = next((a for a in addresses if a.usage == "work"), None)
            if work:
                addresses.remove(work)
                changed |= self._place_address(company, work, record, run, issues)
                changed |= self._fill_company_website(company, record)
        else:
            main = addresses.pop(0)
            changed |= self._place_address(partner, main, record, run, issues)
        for address in addresses:
            changed |= self._place_address(
                partner, address, record, run, issues, as_other=True
            )
        return changed

    def _place_address(self, partner, address, record, run, issues, as_other=False):
        """Give ``partner`` the address, as its own or as an other address."""
        values = self._address_values(address, record, run, issues)
        if not values:
            return False
        own = partner._get_address_values()
        if self._same_address(values, own):
            return False
        if not as_other and not own:
            partner.write(values)
            return True
        others = partner.child_ids.filtered(lambda child: child.type != "contact")
        if any(self._same_address(values, o._get_address_values()) for o in others):
            return False
        self._partner_model().create(
            {
                "parent_id": partner.id,
                "type": "other",
                "name": address.label
                or self._usage_labels().get(address.usage)
                or False,
                **values,
            }
        )
        return True

    def _fill_company_website(self, company, record):
        work = next((w for w in record.websites if w.usage == "work"), None)
        if not work or company.website:
            return False
        company.website = company._clean_website(work.value)
        return True

    def _usage_labels(self):
        """Translated labels of the usages (Home, Work...) of a channel."""
        usage_field = self.env["corymbus.partner.channel"]._fields["usage"]
        return dict(usage_field._description_selection(self.env))

    def _address_values(self, address, record, run, issues):
        """Odoo address values for a parsed address.

        Street lines beyond the first, the extended address and the PO box
        go to the second street line. A country or region Odoo does not know
        is reported and kept, with the whole address, in the notes.
        """
        lines = [line.strip() for line in address.street.split("\n") if line.strip()]
        if not address.has_parts() and address.formatted:
            lines = [
                line.strip() for line in address.formatted.split("\n") if line.strip()
            ]
        extra = lines[1:]
        if address.extended:
            extra.append(address.extended)
        if address.po_box:
            extra.append(self.env._("PO Box %(number)s", number=address.po_box))
        country = self._find_country(address.country, run)
        state = self._find_state(address.region, country, run)
        values = {
            "street": lines[0] if lines else False,
            "street2": ", ".join(extra) or False,
            "zip": address.postal_code or False,
            "city": address.city or False,
            "country_id": country.id or False,
            "state_id": state.id or False,
        }
        leftovers = []
        if address.country and not country:
            issues.append(
                self._warning(record, "country_unknown", value=address.country)
            )
            leftovers.append(address.country)
        if address.region and not state:
            if country and country.state_ids:
                issues.append(
                    self._warning(record, "state_unknown", value=address.region)
                )
            leftovers.append(address.region)
        if leftovers:
            text = ", ".join(
                part
                for part in (
                    *lines,
                    address.extended,
                    address.postal_code,
                    address.city,
                    *leftovers,
                )
                if part
            )
            record.extra_notes.append(("address", text))
        if not any(values.values()):
            return {}
        return values

    @staticmethod
    def _same_address(values, other):
        def key(vals):
            return tuple(
                clean_text(str(vals.get(name) or "")).casefold()
                if not isinstance(vals.get(name), models.BaseModel)
                else str(vals.get(name).id)
                for name in (
                    "street",
                    "street2",
                    "zip",
                    "city",
                    "state_id",
                    "country_id",
                )
            )

        return bool(values) and bool(other) and key(values) == key(other)

    def _find_country(self, text, run):
        """The country named by ``text``: a code, a name in any installed
        language (accents and case ignored) or a common local name."""
        Country = self.env["res.country"]
        if not text:
            return Country
        if run.countries is None:
            run.countries = {}
            languages = [code for code, _name in self.env["res.lang"].get_installed()]
            for language in {"en_US", *languages}:
                for country in Country.with_context(lang=language).search([]):
                    run.countries.setdefault(_fold(country.name), country.id)
                    run.countries.setdefault(_fold(country.code), country.id)
            for alias, code in COUNTRY_ALIASES.items():
                country = Country.search([("code", "=", code)], limit=1)
                if country:
                    run.countries.setdefault(_fold(alias), country.id)
        country_id = run.countries.get(_fold(text))
        return Country.browse(country_id) if country_id else Country

    def _find_state(self, text, country, run):
        """The state or region of ``country`` named or coded by ``text``."""
        State = self.env["res.country.state"]
        if not text or not country:
            return State
        if run.states is None:
            run.states = {}
        cache_key = ("country", country.id)
        if cache_key not in run.states:
            states = {}
            for state in country.state_ids:
                states.setdefault(_fold(state.code), state.id)
                states.setdefault(_fold(state.name), state.id)
            run.states[cache_key] = states
        state_id = run.states[cache_key].get(_fold(text))
        return State.browse(state_id) if state_id else State

    # ------------------------------------------------------------------
    # Groups
    # ------------------------------------------------------------------

    def _import_group(self, record, issues):
        """A vCard group becomes a tag given to the members Odoo knows."""
        Category = self.env["res.partner.category"]
        category = self._find_category(record.name)
        is_new = not category
        if is_new:
            category = Category.create({"name": record.name})
        members = self.env["res.partner"]
        for member in record.members:
            partner = self._find_member(member)
            if partner:
                members |= partner
            else:
                issues.append(
                    self._warning(record, "group_member_missing", member=member)
                )
        changed = self._sync_categories(members, [category.name])
        if is_new:
            return "created", None
        return ("updated" if changed else "unchanged"), None

    def _find_member(self, member):
        """The partner a group MEMBER value points to, by UID, e-mail or phone."""
        Partner = self._partner_model()
        lowered = member.lower()
        if lowered.startswith("mailto:"):
            key = email_normalize(member[7:])
            if not key:
                return Partner
            return (
                Partner.search([("email_normalized", "=", key)], limit=1)
                or self._partners_by_channel("email", {key}, [])[:1]
            )
        if lowered.startswith("tel:"):
            key = phone_match_key(member[4:])
            if not key:
                return Partner
            return (
                Partner.search([("phone_match_key", "=", key)], limit=1)
                or self._partners_by_channel("phone", {key}, [])[:1]
            )
        if ":" in member and not lowered.startswith("urn:"):
            return Partner
        return Partner.search([("contact_uid", "=", member)], limit=1)

    # ------------------------------------------------------------------
    # Messages
    # ------------------------------------------------------------------

    def _warning(self, record, code, **params):
        return {
            "number": record.number,
            "severity": "warning",
            "message": self._issue_message(code, params),
            "partner_id": False,
        }

    def _issue_values(self, issue, partner=None):
        return {
            "number": issue.number,
            "severity": issue.severity,
            "message": self._issue_message(issue.code, issue.params),
            "partner_id": partner.id if partner else False,
        }

    def _location(self, result, number):
        """Where an issue is: the whole file, a vCard card or a CSV line."""
        if not number:
            return self.env._("File")
        if result.file_format == VCARD_FORMAT:
            return self.env._("Card %(number)s", number=number)
        return self.env._("Line %(number)s", number=number)

    def _failure_message(self, error):
        if isinstance(error, UserError):
            reason = error.args[0] if error.args else str(error)
        else:
            reason = self.env._("unexpected error, see the server log")
        return self.env._("Not imported: %(reason)s", reason=reason)

    def _file_details(self, result):
        parts = []
        if result.versions:
            parts.append(
                self.env._("version %(versions)s", versions=", ".join(result.versions))
            )
        if result.encoding:
            parts.append(charsets.label(result.encoding))
        return ", ".join(parts)

    def _issue_message(self, code, params):
        """The sentence, in the user's language, for a reader's issue code."""
        messages = {
            "file_empty": lambda: self.env._("The file is empty."),
            "file_unknown_format": lambda: self.env._(
                "It is neither a vCard file nor a Google, Outlook or Thunderbird "
                "CSV export."
            ),
            "file_no_card": lambda: self.env._(
                "The file contains no vCard (BEGIN:VCARD)."
            ),
            "csv_unknown_layout": lambda: self.env._(
                "The CSV columns (%(columns)s) are not those of a Google, Outlook "
                "or Thunderbird export.",
                **params,
            ),
            "csv_unclosed_quote": lambda: self.env._(
                "A quote opened here is never closed: the lines up to %(last)s "
                "could not be read.",
                **params,
            ),
            "csv_bad_row": lambda: self.env._(
                "This line breaks the CSV quoting rules (%(reason)s).", **params
            ),
            "csv_extra_values": lambda: self.env._(
                "More values than columns; not imported: %(values)s", **params
            ),
            "card_not_closed": lambda: self.env._(
                "The card has no END:VCARD; it was read up to the next card or the "
                "end of the file."
            ),
            "card_line_unreadable": lambda: self.env._(
                "A line could not be read and was left out: %(line)s", **params
            ),
            "entry_unreadable": lambda: self.env._(
                "The entry could not be read (%(reason)s).", **params
            ),
            "entry_empty": lambda: self.env._(
                "No name, organisation, e-mail or phone: nothing to import."
            ),
            "entry_kind": lambda: self.env._(
                "Entries of kind “%(kind)s” are not contacts and were not imported.",
                **params,
            ),
            "entry_merged_uid": lambda: self.env._(
                "Same UID as entry %(first)s: both were merged into one contact.",
                **params,
            ),
            "group_no_name": lambda: self.env._(
                "A group without a name was not imported."
            ),
            "group_member_missing": lambda: self.env._(
                "Group member %(member)s is not among the contacts.", **params
            ),
            "name_from_email": lambda: self.env._(
                "No name: the contact is named after its e-mail %(value)s.", **params
            ),
            "name_from_phone": lambda: self.env._(
                "No name: the contact is named after its phone %(value)s.", **params
            ),
            "name_several": lambda: self.env._(
                "Several names (N) were given; the first one was used."
            ),
            "charset_unknown": lambda: self.env._(
                "Unknown character set %(charset)s; read as %(used)s.", **params
            ),
            "charset_invalid_bytes": lambda: self.env._(
                "%(property)s holds bytes that are not valid %(charset)s; they were "
                "replaced by “�”.",
                **params,
            ),
            "charset_guessed": lambda: self.env._(
                "No character set given; the text was read as %(charset)s. Check "
                "accented letters.",
                **params,
            ),
            "birthday_invalid": lambda: self.env._(
                "The birthday “%(value)s” is not a valid date and was left out.",
                **params,
            ),
            "birthday_no_year": lambda: self.env._(
                "The birthday %(value)s has no year; it was kept in the notes.",
                **params,
            ),
            "photo_link": lambda: self.env._(
                "The photo is a link (%(url)s) and was not downloaded.", **params
            ),
            "photo_undecodable": lambda: self.env._("The photo could not be decoded."),
            "photo_invalid": lambda: self.env._(
                "The photo is not a valid image; it was left out."
            ),
            "phone_no_digits": lambda: self.env._(
                "Phone entries without digits were kept as text: %(values)s", **params
            ),
            "email_invalid": lambda: self.env._(
                "“%(value)s” is not an e-mail address; it was kept in the other "
                "e-mails.",
                **params,
            ),
            "email_exchange": lambda: self.env._(
                "“%(value)s” is an Exchange address, not an e-mail; left out.",
                **params,
            ),
            "email_domain": lambda: self.env._(
                "The e-mail %(value)s ends in “.%(ending)s”, which is no country's "
                "domain: check it.",
                **params,
            ),
            "country_unknown": lambda: self.env._(
                "Unknown country “%(value)s”; the address was kept in the notes.",
                **params,
            ),
            "state_unknown": lambda: self.env._(
                "Unknown state or region “%(value)s”; the address was kept in the "
                "notes.",
                **params,
            ),
        }
        message = messages.get(code)
        if message is None:
            _logger.warning("Contact import: no message for issue code %s", code)
            return code
        return message()


def _fold(text):
    """Casefold and strip accents and dots, to compare place names."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.replace(".", "").casefold().split())
