import base64
import copy
import logging
import time
import unicodedata
from dataclasses import dataclass, field

import psycopg2
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, email_normalize, html2plaintext, plaintext2html
from odoo.tools.image import ImageProcess
from odoo.tools.sql import escape_psql

from ..importers import charset as charsets
from ..importers import parse_contacts
from ..importers.record import (
    COMPANY,
    ERROR,
    GROUP,
    ImportIssue,
    ParseResult,
    clean_text,
    phone_match_key,
)
from ..importers.vcard import FORMAT as VCARD_FORMAT
from ..models.corymbus_partner_channel import channel_match_key
from .corymbus_contact_import_candidates import (
    EMAIL,
    NAME,
    PHONE,
    TAG,
    UID,
    CandidateIndex,
    name_key,
)

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

# Database errors after which the whole request must be retried: reporting
# them on one entry would hide a conflict with another user's transaction.
RETRY_ERRORS = (
    pg_errors.LockNotAvailable,
    pg_errors.SerializationFailure,
    pg_errors.DeadlockDetected,
)

# Longest value of a file quoted in a problem's message.
QUOTE_LENGTH = 120

# Entries imported together: their match candidates are read in one query
# per key, and they share one savepoint while none of them fails.
CHUNK_SIZE = 200

# Partner fields the matching reads, fetched with the candidates.
CANDIDATE_FIELDS = (
    "name",
    "complete_name",
    "is_company",
    "type",
    "parent_id",
    "email",
    "email_normalized",
    "phone",
    "phone_match_key",
    "contact_uid",
)


@dataclass
class _PendingPartner:
    """A new partner of a chunk, created with the others of its batch."""

    record: object
    values: dict
    channels: list
    children: list
    issues: list = field(default_factory=list)


@dataclass
class _ImportRun:
    """What one import run counts and remembers from entry to entry."""

    counts: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    issues: list = field(default_factory=list)
    partner_ids: set = field(default_factory=set)
    touched_ids: set = field(default_factory=set)
    created_ids: set = field(default_factory=set)
    # Contacts found by their name alone: they are only completed.
    name_matched_ids: set = field(default_factory=set)
    # Companies of the cards' organisations: created by this run, or found
    # among those that existed before it.
    company_created_ids: set = field(default_factory=set)
    company_matched_ids: set = field(default_factory=set)
    # The organisation's company of the entry being imported, and whether it
    # was created for it: counted only once the entry is saved.
    entry_company: tuple | None = None
    countries: dict | None = None
    states: dict | None = None
    country_codes: set | None = None
    # Partners, channels and tags found or written so far, by match key.
    candidates: CandidateIndex = field(default_factory=CandidateIndex)
    # Partners read with the candidates of the current chunk: reading a field
    # of one reads it for all of them.
    prefetch_ids: tuple = ()
    # New partners of the current chunk not created yet (see
    # ``CorymbusContactImport._defer_partner``), and the keys later entries
    # could find them by. None outside a chunk: partners are created at once.
    pending: list | None = None
    pending_keys: set = field(default_factory=set)
    # Other addresses of existing partners to create with them, by partner.
    pending_addresses: dict = field(default_factory=dict)
    # Companies created ahead for the organisations of a chunk, not yet
    # given to their first person.
    early_company_ids: set = field(default_factory=set)

    # What an entry changes in the run, saved before a chunk so that a chunk
    # rolled back can be imported again entry by entry.
    _SAVED = (
        "counts",
        "issues",
        "partner_ids",
        "touched_ids",
        "created_ids",
        "name_matched_ids",
        "company_created_ids",
        "company_matched_ids",
    )

    def save(self):
        return {name: copy.copy(getattr(self, name)) for name in self._SAVED}

    def restore(self, saved):
        for name, value in saved.items():
            setattr(self, name, value)


class CorymbusContactImport(models.TransientModel):
    """Import contacts and companies from an address book export.

    Reads vCard files (2.1, 3.0, 4.0) and the CSV exports of Google
    Contacts, Outlook and Thunderbird. A contact already in Odoo, found by
    UID, e-mail or phone number (see :meth:`_match_partner`), is updated
    rather than duplicated, and importing the same file again changes
    nothing. Entries are written by chunks, each in a savepoint; a chunk in
    which an entry fails is written again one entry per savepoint, so that
    the failing entry is listed with its card or line number and leaves
    nothing behind, while the others are imported.
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
    company_created_count = fields.Integer(
        "Companies Created",
        readonly=True,
        help="New companies made from the organisations of the cards.",
    )
    company_matched_count = fields.Integer(
        "Companies Matched",
        readonly=True,
        help="Companies already here that the organisations of the cards were "
        "linked to.",
    )
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
                "company_created_count": len(run.company_created_ids),
                "company_matched_count": len(run.company_matched_ids),
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
            "%s updated, %s unchanged, %s skipped, companies %s created and "
            "%s matched in %.1fs",
            self.file_name,
            result.file_format,
            dry_run,
            self.env.uid,
            run.counts["created"],
            run.counts["updated"],
            run.counts["unchanged"],
            run.counts["skipped"],
            len(run.company_created_ids),
            len(run.company_matched_ids),
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
        try:
            data = base64.b64decode(self.file_data)
        except ValueError:  # binascii.Error: the upload itself is damaged
            data = None
        result = (
            parse_contacts(data, self.file_name or "")
            if data is not None
            else ParseResult(
                file_format="",
                issues=[ImportIssue(0, "file_unreadable", severity=ERROR)],
            )
        )
        fatal = [
            issue for issue in result.issues if issue.is_error and not issue.number
        ]
        if not result.file_format or (fatal and not result.records):
            reasons = [self._issue_message(issue.code, issue.params) for issue in fatal]
            # The reasons are whole sentences: they follow this one.
            raise UserError(
                self.env._(
                    "This file cannot be imported. %(reason)s",
                    reason=" ".join(reasons)
                    or self._issue_message("file_unknown_format", {}),
                )
            )
        return result

    def _import_records(self, result, run):
        """Import contacts and companies first, then groups (they list them).

        Entries go by chunks of :data:`CHUNK_SIZE`: the partners they may
        match are read for the whole chunk, which is then written in one
        savepoint: the companies of its organisations first, then the new
        partners by batches (see :meth:`_defer_partner`). If any entry of a
        chunk fails, the chunk is rolled back
        and imported again one entry at a time, each in its own savepoint:
        the failing entry is reported with its number and leaves nothing
        behind, while the others are imported.
        """
        records = [record for record in result.records if record.kind != GROUP]
        records += [record for record in result.records if record.kind == GROUP]
        for first in range(0, len(records), CHUNK_SIZE):
            chunk = records[first : first + CHUNK_SIZE]
            self._prefetch_candidates(chunk, run)
            if not self._import_chunk(chunk, run):
                for record in chunk:
                    self._import_alone(record, run)

    def _import_chunk(self, chunk, run):
        """Import the entries of a chunk together; False if one failed.

        A failed chunk leaves nothing behind: its savepoint is rolled back,
        and so are the counts, problems and candidates its entries added.
        """
        saved = run.save()
        mark = run.candidates.mark()
        notes = [len(record.extra_notes) for record in chunk]
        run.pending = []
        run.pending_keys = set()
        run.pending_addresses = {}
        try:
            with self.env.cr.savepoint():
                self._create_companies(chunk, run)
                for record in chunk:
                    if run.pending and (
                        record.kind == GROUP
                        or self._lookup_keys(record) & run.pending_keys
                    ):
                        # The entry may be about a partner not created yet.
                        self._create_pending(run)
                    record_issues = []
                    run.entry_company = None
                    status, partner = self._import_entry(record, run, record_issues)
                    first_issue = len(run.issues)
                    self._record_outcome(record, run, status, partner, record_issues)
                    if run.pending and run.pending[-1].record is record:
                        run.pending[-1].issues = run.issues[first_issue:]
                self._create_pending(run)
        except (psycopg2.InterfaceError, *RETRY_ERRORS):
            raise
        except psycopg2.OperationalError as error:
            if not error.pgcode:
                raise
            failure = error
        except Exception as error:  # the chunk is imported again entry by entry
            failure = error
        else:
            return True
        finally:
            run.pending = None
            run.pending_keys = set()
            run.pending_addresses = {}
            run.early_company_ids = set()
        _logger.debug(
            "Contact import: chunk from entry %s imported entry by entry (%s)",
            chunk[0].number,
            type(failure).__name__,
        )
        run.restore(saved)
        run.candidates.undo(mark)
        for record, count in zip(chunk, notes, strict=True):
            del record.extra_notes[count:]
        return False

    def _import_alone(self, record, run):
        """Import one entry in its own savepoint; report it if it fails."""
        record_issues = []
        run.entry_company = None
        mark = run.candidates.mark()
        try:
            with self.env.cr.savepoint():
                status, partner = self._import_entry(record, run, record_issues)
        except (psycopg2.InterfaceError, *RETRY_ERRORS):
            # A lost connection or a conflict with another transaction:
            # the whole request must be retried, not this entry reported.
            raise
        except psycopg2.OperationalError as error:
            if not error.pgcode:
                raise
            # Otherwise the database refused a value of this entry (too
            # long for an index, out of range...): the entry is reported.
            status, partner = "skipped", None
            record_issues = self._entry_failure(record, error)
            run.candidates.undo(mark)
        except Exception as error:  # reported with its number, never silent
            status, partner = "skipped", None
            record_issues = self._entry_failure(record, error)
            run.candidates.undo(mark)
        self._record_outcome(record, run, status, partner, record_issues)

    def _record_outcome(self, record, run, status, partner, record_issues):
        """Count an imported or skipped entry and keep its problems."""
        run.counts[status] += 1
        # Cards merged into this one (same UID) count as updating it.
        merged_status = "updated" if status == "created" else status
        run.counts[merged_status] += len(record.merged_numbers)
        if partner:
            run.partner_ids.add(partner.id)
            run.touched_ids.add(partner.id)
            if status == "created":
                run.created_ids.add(partner.id)
        if run.entry_company and status != "skipped":
            self._count_company(run, *run.entry_company)
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

    def _prefetch_candidates(self, chunk, run):
        """Read, in one query per kind of key, the partners the entries of a
        chunk may match: by UID, e-mail, phone, and company or person name,
        and the other e-mails and phones (channels) holding their keys.

        Keys read for an earlier chunk are not read again: the index already
        holds their partners, and those the import wrote since.
        """
        index = run.candidates
        uids, emails, phones, names = set(), set(), set(), set()
        for record in chunk:
            if record.kind == GROUP:
                continue
            uids.add(record.uid)
            emails.update(email_normalize(email.value) for email in record.emails)
            phones.update(phone_match_key(phone.value) for phone in record.phones)
            if record.company_name:
                names.add(record.company_name.strip())
            if record.kind == COMPANY or not (record.emails or record.phones):
                names.add(record.name.strip())
        # Partners found for an earlier chunk are read with the new ones.
        known = set()
        for kind, keys in ((UID, uids), (EMAIL, emails), (PHONE, phones)):
            for key in keys:
                known.update(index.ids(kind, key))
        for name in names:
            known.update(index.ids(NAME, name_key(name)))
        uids = index.missing(UID, uids)
        emails = index.missing(EMAIL, emails)
        phones = index.missing(PHONE, phones)
        names = {name for name in names if name}
        names = {name for name in names if (NAME, name) not in index.fetched}

        Partner = self._partner_model()
        domains = []
        if uids:
            domains.append(Domain("contact_uid", "in", sorted(uids)))
        if emails:
            domains.append(Domain("email_normalized", "in", sorted(emails)))
        if phones:
            domains.append(Domain("phone_match_key", "in", sorted(phones)))
        if names:
            domains.append(self._names_domain(names))
        partners = Partner
        if domains:
            partners = Partner.search_fetch(
                Domain.OR(domains), CANDIDATE_FIELDS, order="id"
            )
        for partner in partners:
            self._index_partner(partner, index)
        if emails or phones:
            channels = self.env["corymbus.partner.channel"].search_fetch(
                Domain.OR(
                    [
                        Domain("kind", "=", "email")
                        & Domain("match_key", "in", sorted(emails)),
                        Domain("kind", "=", "phone")
                        & Domain("match_key", "in", sorted(phones)),
                    ]
                ),
                ["kind", "match_key", "partner_id"],
                order="id",
            )
            for channel in channels:
                index.add_channel(
                    channel.kind, channel.match_key, channel.id, channel.partner_id.id
                )
            partners |= channels.partner_id
        index.mark_fetched(UID, uids)
        index.mark_fetched(EMAIL, emails)
        index.mark_fetched(PHONE, phones)
        index.mark_fetched(NAME, names)
        run.prefetch_ids = tuple(dict.fromkeys((*partners.ids, *sorted(known))))

    @staticmethod
    def _names_domain(names):
        """Partners whose name equals one of ``names``, case ignored as the
        database compares it (as ``=ilike`` does)."""
        names = sorted(names)

        def to_sql(model, alias, query):
            return SQL(
                "lower(%s) = ANY(ARRAY(SELECT lower(unnest(%s::varchar[]))))",
                model._field_to_sql(alias, "name", query),
                names,
            )

        return Domain.custom(to_sql=to_sql)

    @staticmethod
    def _index_partner(partner, index):
        """Remember a partner under its current keys."""
        index.add(UID, partner.contact_uid, partner.id)
        index.add(EMAIL, partner.email_normalized, partner.id)
        index.add(PHONE, partner.phone_match_key, partner.id)
        index.add(NAME, name_key(partner.name), partner.id)

    def _entry_failure(self, record, error):
        """The problem to list for an entry whose import failed."""
        _logger.warning(
            "Contact import: entry %s of %s failed",
            record.number,
            self.file_name,
            exc_info=error,
        )
        return [
            {
                "number": record.number,
                "severity": "error",
                "message": self._failure_message(error),
            }
        ]

    def _import_entry(self, record, run, issues):
        """Import one record; return its status and the partner it gave."""
        if record.kind == GROUP:
            return self._import_group(record, run, issues)
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
            company, changed = self._company_for(record, run)
            run.entry_company = (company.id, changed)
        partner = self._match_partner(record, run)
        is_new = not partner

        self._check_emails(record, run, issues)
        values = self._partner_values(record, partner, company, run, issues)
        if partner:
            if values.get("parent_id"):
                values.update(self._keep_own_address(partner, company))
            if values:
                partner.write(values)
                changed = True
        elif run.pending is not None:
            self._defer_partner(record, values, company, run, issues)
            return "created", None
        else:
            partner = Partner.create(values)

        changed |= self._sync_channels(partner, record, issues)
        changed |= self._sync_addresses(partner, record, company, run, issues)
        changed |= self._sync_categories(partner, record.categories, run)
        changed |= self._sync_notes(partner, record)

        # Later entries find the partner under its new e-mail, phone, name...
        self._index_partner(partner, run.candidates)
        for channel in partner.contact_channel_ids:
            run.candidates.add_channel(
                channel.kind, channel.match_key, channel.id, partner.id
            )
        if is_new:
            return "created", partner
        return ("updated" if changed else "unchanged"), partner

    # ------------------------------------------------------------------
    # New partners of a chunk, created together
    # ------------------------------------------------------------------

    @staticmethod
    def _lookup_keys(record):
        """The keys the import of ``record`` may look partners up by."""
        keys = {(UID, record.uid)} if record.uid else set()
        keys.update((EMAIL, email_normalize(e.value)) for e in record.emails)
        keys.update((PHONE, phone_match_key(p.value)) for p in record.phones)
        keys.add((NAME, name_key(record.name)))
        if record.company_name:
            keys.add((NAME, name_key(record.company_name)))
        return {(kind, key) for kind, key in keys if key}

    @staticmethod
    def _found_by_keys(record, values):
        """The keys a partner created for ``record`` may be found by: its own
        and those of its other e-mails and phones."""
        keys = {(UID, record.uid)} if record.uid else set()
        for email in record.emails:
            keys.add((EMAIL, email_normalize(email.value)))
            keys.add((EMAIL, channel_match_key("email", email.value)))
        keys.update((PHONE, phone_match_key(p.value)) for p in record.phones)
        keys.add((NAME, name_key(values.get("name"))))
        return {(kind, key) for kind, key in keys if key}

    def _defer_partner(self, record, values, company, run, issues):
        """Prepare a new partner of a chunk, created later with the others.

        The values, other e-mails and phones, addresses, tags and notes are
        those the partner would get if it were created now and then brought
        up to date with the record; what the record gives its company is
        written at once. Until it is created, an entry that could find it by
        one of its keys first has the pending partners created.
        """
        Partner = self._partner_model()
        values = dict(values)
        # A draft holding the main e-mail, phone and website receives the
        # other ones, as the partner would once created.
        main = ("email", "phone", "website")
        draft = Partner.new({kind: values[kind] for kind in main if kind in values})
        self._sync_channels(draft, record, issues)
        channels = [
            {
                "kind": channel.kind,
                "usage": channel.usage,
                "label": channel.label,
                "value": channel.value,
            }
            for channel in draft.contact_channel_ids
        ]
        children = []
        addresses = sorted(record.addresses, key=lambda a: not a.is_preferred)
        if addresses:
            if values.get("parent_id"):
                # A person at a company shares the company's address.
                work = next((a for a in addresses if a.usage == "work"), None)
                if work:
                    addresses.remove(work)
                    self._place_address(company, work, record, run, issues)
                    self._fill_company_website(company, record)
                own = company._get_address_values()
            else:
                own = self._address_values(addresses.pop(0), record, run, issues)
                values.update(own)
            others = []
            for address in addresses:
                address_values = self._address_values(address, record, run, issues)
                if (
                    not address_values
                    or self._same_address(address_values, own)
                    or any(self._same_address(address_values, o) for o in others)
                ):
                    continue
                others.append(address_values)
                children.append(
                    {
                        "type": "other",
                        "name": address.label
                        or self._usage_labels().get(address.usage)
                        or False,
                        **address_values,
                    }
                )
        category_ids = []
        for name in record.categories:
            category = self._category_for(name, run)
            if category.id not in category_ids:
                category_ids.append(category.id)
        if category_ids:
            values["category_id"] = [fields.Command.link(cid) for cid in category_ids]
        comment = self._notes_html(record, "")
        if comment:
            values["comment"] = comment
        run.pending.append(_PendingPartner(record, values, channels, children))
        run.pending_keys |= self._found_by_keys(record, values)

    def _create_companies(self, chunk, run):
        """Create in one batch the companies of the chunk's organisations
        that are not found, named as the first person at each one gives it.

        The first person at one of them counts it as created, as if it were
        created for them. An organisation named like a company card of the
        chunk is left to the entries: the card may create that company.
        """
        cards = {name_key(r.name) for r in chunk if r.kind == COMPANY}
        names = {}
        for record in chunk:
            if record.kind in (COMPANY, GROUP) or not record.company_name:
                continue
            key = name_key(record.company_name)
            if key in cards or key in names:
                continue
            if not self._find_company(record.company_name, run):
                names[key] = record.company_name
        if not names:
            return
        companies = self._partner_model().create(
            [{"name": name, "is_company": True} for name in names.values()]
        )
        for company in companies:
            self._index_partner(company, run.candidates)
        run.early_company_ids = set(companies.ids)

    def _create_pending(self, run):
        """Create the pending partners of the chunk in one batch, companies
        first, then their other e-mails, phones and addresses."""
        pending = sorted(run.pending, key=lambda p: not p.values.get("is_company"))
        child_values = [v for vs in run.pending_addresses.values() for v in vs]
        run.pending = []
        run.pending_keys = set()
        run.pending_addresses = {}
        Partner = self._partner_model()
        partners = Partner.create([entry.values for entry in pending])
        channel_values = []
        for entry, partner in zip(pending, partners, strict=True):
            channel_values += [{**v, "partner_id": partner.id} for v in entry.channels]
            child_values += [{**v, "parent_id": partner.id} for v in entry.children]
        channels = self.env["corymbus.partner.channel"].create(channel_values)
        if child_values:
            Partner.create(child_values)
        for entry, partner in zip(pending, partners, strict=True):
            self._index_partner(partner, run.candidates)
            run.partner_ids.add(partner.id)
            run.touched_ids.add(partner.id)
            run.created_ids.add(partner.id)
            for values in entry.issues:
                values["partner_id"] = partner.id
        for channel in channels:
            run.candidates.add_channel(
                channel.kind, channel.match_key, channel.id, channel.partner_id.id
            )

    def _partner_model(self):
        """Partners written without chatter tracking: an import is not an edit."""
        return self.env["res.partner"].with_context(
            tracking_disable=True, mail_create_nolog=True
        )

    def _company_for(self, record, run):
        """The company a person works at, found by name or created."""
        company = self._find_company(record.company_name, run)
        if company.id in run.early_company_ids:
            run.early_company_ids.discard(company.id)
            return company, True
        if company:
            return company, False
        company = self._partner_model().create(
            {"name": record.company_name, "is_company": True}
        )
        self._index_partner(company, run.candidates)
        return company, True

    @staticmethod
    def _count_company(run, company_id, is_created):
        """Count an organisation's company once: created, or matched if it
        existed before the run: a company made earlier in the same file, for
        an organisation or from a company card, is not matched again."""
        if is_created:
            run.company_created_ids.add(company_id)
        elif company_id not in run.company_created_ids | run.created_ids:
            run.company_matched_ids.add(company_id)

    def _find_company(self, name, run):
        """A company whose name equals ``name`` once trimmed and casefolded."""
        return next(
            (
                company
                for company in self._partners_named(name, run)
                if company.is_company
            ),
            self.env["res.partner"],
        )

    def _candidates(self, run, ids, keep):
        """The partners of ``ids`` that ``keep`` accepts, in that order.

        Their fields are read together with those of the chunk's other
        candidates, not one partner at a time.
        """
        partners = self._prefetched(run, self._partner_model().browse(ids))
        return self._prefetched(run, partners.filtered(keep))

    @staticmethod
    def _prefetched(run, partners):
        """The partners, reading their fields with the chunk's candidates."""
        return partners.with_prefetch(
            tuple(dict.fromkeys((*partners.ids, *run.prefetch_ids)))
        )

    def _match_partner(self, record, run):
        """Find the contact or company a record describes, if Odoo has it.

        In order: the same UID; for companies, the same name; the same
        e-mail address, case ignored (as main or other e-mail); the same
        normalised phone number, for a person only when the name agrees too,
        as one number is often shared (a switchboard, a family landline).

        A name alone tells no one apart, so it finds a person only when
        neither the record nor the contact has any e-mail or phone, and at
        the same company: that keeps a second import of the same file from
        duplicating such entries. A contact found that way is only completed
        (see :meth:`_partner_values`). Within one file, cards with different
        UIDs are different contacts, so a contact written by this run under
        another UID never matches; UIDs of other address books are not
        compared.
        """
        Partner = self._partner_model()
        is_company = record.kind == COMPANY
        index = run.candidates
        if record.uid:
            candidates = self._candidates(
                run,
                index.ids(UID, record.uid),
                lambda p: p.contact_uid == record.uid and p.is_company == is_company,
            )
            if candidates:
                # The first one in the partners' own order, as a search gives.
                return candidates.sorted(lambda p: (p.complete_name or "", -p.id))[:1]

        def other_uid(partner):
            return (
                record.uid
                and partner.id in run.touched_ids
                and partner.contact_uid
                and partner.contact_uid != record.uid
            )

        if is_company:
            company = self._find_company(record.name, run)
            if company and not other_uid(company):
                return company

        email_keys = {
            key for key in (email_normalize(e.value) for e in record.emails) if key
        }
        if email_keys:
            ids = sorted(set().union(*(index.ids(EMAIL, key) for key in email_keys)))
            candidates = self._candidates(
                run,
                ids,
                lambda p: (
                    p.email_normalized in email_keys and p.is_company == is_company
                ),
            ) | self._partners_by_channel("email", email_keys, is_company, run)
            for partner in self._prefetched(run, candidates):
                if not other_uid(partner):
                    return partner

        phone_keys = {
            key for key in (phone_match_key(p.value) for p in record.phones) if key
        }
        if phone_keys and not is_company:
            ids = sorted(set().union(*(index.ids(PHONE, key) for key in phone_keys)))
            candidates = self._candidates(
                run, ids, lambda p: p.phone_match_key in phone_keys and not p.is_company
            ) | self._partners_by_channel("phone", phone_keys, is_company, run)
            for partner in self._prefetched(run, candidates):
                if not other_uid(partner) and self._same_person(partner, record):
                    return partner

        if is_company or record.emails or record.phones:
            return Partner
        for partner in self._partners_named(record.name, run):
            if (
                partner.is_company
                or partner.type != "contact"
                or other_uid(partner)
                or not self._same_company(partner, record)
                or self._has_email_or_phone(partner)
            ):
                continue
            run.name_matched_ids.add(partner.id)
            return partner
        return Partner

    @staticmethod
    def _has_email_or_phone(partner):
        return bool(
            partner.email
            or partner.phone
            or partner.contact_channel_ids.filtered(
                lambda channel: channel.kind in ("email", "phone")
            )
        )

    def _partners_named(self, name, run):
        """Partners whose name equals ``name`` once trimmed and casefolded,
        and, as the database compares them, once only trimmed and lowercased.
        """
        key = name_key(name)
        lowered = name.strip().lower()
        return self._candidates(
            run,
            run.candidates.ids(NAME, key),
            lambda p: name_key(p.name) == key and (p.name or "").lower() == lowered,
        )

    @staticmethod
    def _same_company(partner, record):
        company = clean_text(record.company_name).casefold()
        return not company or clean_text(partner.parent_id.name).casefold() == company

    def _partners_by_channel(self, kind, keys, is_company, run):
        """Partners holding one of ``keys`` among their other e-mails or
        phones, in the order the channels were added."""
        ids = run.candidates.channel_partner_ids(kind, keys)
        return self._candidates(run, ids, lambda p: p.is_company == is_company)

    def _search_by_channel(self, kind, keys):
        """Partners holding one of ``keys`` among their other e-mails or
        phones, read from the database."""
        channels = self.env["corymbus.partner.channel"].search(
            [("kind", "=", kind), ("match_key", "in", list(keys))], order="id"
        )
        return channels.partner_id

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
        in, so that two entries about one contact cannot undo each other;
        so is a partner found by its name alone, which may be a namesake.
        """
        is_company = record.kind == COMPANY
        fill_only = partner.id in run.touched_ids | run.name_matched_ids
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

    def _check_emails(self, record, run, issues):
        """Warn about e-mail addresses that cannot be right; keep them anyway."""
        for email in record.emails:
            normalized = email_normalize(email.value)
            if not normalized:
                issues.append(self._warning(record, "email_invalid", value=email.value))
                continue
            ending = normalized.rsplit(".", 1)[-1] if "." in normalized else ""
            if len(ending) != 2 or not ending.isascii() or ending in TWO_LETTER_DOMAINS:
                continue
            if run.country_codes is None:
                countries = self.env["res.country"].search([])
                run.country_codes = {code.lower() for code in countries.mapped("code")}
            if ending not in run.country_codes:
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
        except Exception:  # a hostile image may fail anywhere inside Pillow
            _logger.debug("Contact import: photo of entry %s left out", record.number)
            issues.append(self._warning(record, "photo_invalid"))
            return None
        return base64.b64encode(photo)

    def _sync_channels(self, partner, record, issues):
        """Add the e-mails, phones and websites the partner does not have yet.

        The partner's own e-mail, phone or website stands for the first
        record value it equals; every other value is kept once per usage.
        """
        existing = {
            (channel.kind, channel.match_key or channel.value.casefold(), channel.usage)
            for channel in partner.contact_channel_ids
        }
        main = {
            "email": partner.email,
            "phone": partner.phone,
            "website": partner.website,
        }
        to_create = self._channel_values(partner, record, main, existing)
        if not to_create:
            return False
        if not partner.id:
            # A draft of a partner not created yet: created with it.
            partner.contact_channel_ids = [
                fields.Command.create(values) for values in to_create
            ]
            return True
        self.env["corymbus.partner.channel"].create(
            [{**values, "partner_id": partner.id} for values in to_create]
        )
        return True

    @staticmethod
    def _channel_values(partner, record, main, existing):
        """Values of the record's e-mails, phones and websites to add as
        other channels: neither in ``existing`` nor the main value (from
        ``main``, by kind) they stand for."""
        to_create = []
        for kind, items in (
            ("email", record.emails),
            ("phone", record.phones),
            ("website", record.websites),
        ):
            main_key = channel_match_key(kind, main[kind])
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
                        "kind": kind,
                        "usage": item.usage or False,
                        "label": item.label or False,
                        "value": value,
                    }
                )
        return to_create

    def _sync_categories(self, partners, names, run):
        """Give the partners the tags named, creating the missing tags."""
        changed = False
        for name in names:
            category = self._category_for(name, run)
            missing = partners.filtered(lambda p, c=category: c not in p.category_id)
            if missing:
                missing.write({"category_id": [fields.Command.link(category.id)]})
                changed = True
        return changed

    def _category_for(self, name, run):
        """The tag of that name, created if there is none."""
        category = self._find_category(name, run)
        if not category:
            category = self.env["res.partner.category"].create({"name": name})
            run.candidates.add(TAG, name_key(name), category.id)
        return category

    def _find_category(self, name, run):
        """The tag of that name: from the tags this run used, else searched."""
        key = name_key(name)
        Category = self.env["res.partner.category"]
        known = run.candidates.ids(TAG, key)
        if known:
            return Category.browse(known[0])
        candidates = Category.search(
            [("name", "=ilike", escape_psql(name.strip()))], order="id"
        )
        category = next(
            (c for c in candidates if clean_text(c.name).casefold() == key),
            Category,
        )
        run.candidates.add(TAG, key, category.id)
        return category

    def _sync_notes(self, partner, record):
        """Append the notes the partner does not hold yet to its comment."""
        html = self._notes_html(record, partner.comment)
        if not html:
            return False
        partner.comment = (partner.comment or "") + html
        return True

    def _notes_html(self, record, comment):
        """The record's notes missing from ``comment``, as HTML to append."""
        blocks = list(record.notes)
        blocks += [
            f"{self._extra_note_label(code)}: {value}"
            for code, value in record.extra_notes
        ]
        current = self._plain(comment)
        missing = []
        for block in blocks:
            plain = self._plain(plaintext2html(block))
            if plain and plain not in current and plain not in missing:
                missing.append(block)
        return "".join(plaintext2html(block) for block in missing)

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
            "long_name": self.env._("Full name"),
            "long_nickname": self.env._("Nickname"),
            "long_company": self.env._("Company name"),
            "long_department": self.env._("Department"),
            "long_job_title": self.env._("Job title"),
            "long_category": self.env._("Tag"),
            "long_address": self.env._("Address"),
            "long_label": self.env._("Label"),
            "long_email": self.env._("E-mail"),
            "long_phone": self.env._("Phone"),
            "long_website": self.env._("Website"),
            "long_uid": self.env._("UID"),
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
        child = {
            "parent_id": partner.id,
            "type": "other",
            "name": address.label or self._usage_labels().get(address.usage) or False,
            **values,
        }
        if run.pending is None:
            self._partner_model().create(child)
            return True
        # In a chunk, created with its new partners.
        pending = run.pending_addresses.setdefault(partner.id, [])
        if any(self._same_address(values, other) for other in pending):
            return False
        pending.append(child)
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

    def _import_group(self, record, run, issues):
        """A vCard group becomes a tag given to the members Odoo knows."""
        Category = self.env["res.partner.category"]
        category = self._find_category(record.name, run)
        is_new = not category
        if is_new:
            category = Category.create({"name": record.name})
            run.candidates.add(TAG, name_key(record.name), category.id)
        members = self.env["res.partner"]
        for member in record.members:
            partner = self._find_member(member)
            if partner:
                members |= partner
            else:
                issues.append(
                    self._warning(record, "group_member_missing", member=member)
                )
        changed = self._sync_categories(members, [category.name], run)
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
                or self._search_by_channel("email", {key})[:1]
            )
        if lowered.startswith("tel:"):
            key = phone_match_key(member[4:])
            if not key:
                return Partner
            return (
                Partner.search([("phone_match_key", "=", key)], limit=1)
                or self._search_by_channel("phone", {key})[:1]
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
            reason = self.env._("An unexpected error occurred; see the server log.")
        # The reason is a sentence of its own: it follows this one.
        return self.env._("Not imported. %(reason)s", reason=reason)

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
        """The sentence, in the user's language, for a reader's issue code.

        Values quoted from the file are shortened: a damaged file may hold
        a value of any length.
        """
        params = {key: _quoted(value) for key, value in params.items()}
        if "field" in params:
            params["field"] = self._extra_note_label(params["field"])
        messages = {
            "file_empty": lambda: self.env._("The file is empty."),
            "file_unreadable": lambda: self.env._(
                "Its content is damaged or is not text that can be read."
            ),
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
            "csv_no_rows": lambda: self.env._(
                "It has a line of column names but no contacts."
            ),
            "csv_bad_row": lambda: self.env._(
                "This line breaks the CSV quoting rules; it was not imported."
            ),
            "csv_field_too_long": lambda: self.env._(
                "A value on this line is longer than %(limit)s characters; the "
                "line was not imported.",
                **params,
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
                "The entry could not be read; it was not imported."
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
            "website_invalid": lambda: self.env._(
                "“%(value)s” is not a web address (http or https); it was left out.",
                **params,
            ),
            "value_too_long": lambda: self.env._(
                "“%(field)s” is longer than %(limit)s characters: it was shortened "
                "and kept whole in the notes.",
                **params,
            ),
            "value_too_long_left_out": lambda: self.env._(
                "“%(field)s” is longer than %(limit)s characters, too long to be "
                "right: it was left out and kept in the notes.",
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


def _quoted(value):
    """A value from the file, cut to :data:`QUOTE_LENGTH` characters."""
    if isinstance(value, str) and len(value) > QUOTE_LENGTH:
        return value[:QUOTE_LENGTH].rstrip() + "…"
    return value


def _fold(text):
    """Casefold and strip accents and dots, to compare place names."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.replace(".", "").casefold().split())
