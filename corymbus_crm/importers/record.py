"""Value objects shared by the contact file readers.

The readers turn a vCard or CSV export into :class:`ContactRecord` objects and
:class:`ImportIssue` objects. Neither knows about the database: the import
wizard decides what to create or update, and turns issue codes into messages
in the user's language.
"""

import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from datetime import date

# Kinds of record.
PERSON = "person"
COMPANY = "company"
GROUP = "group"

# Usages of an e-mail, phone, website or address, in order of precedence
# when a source gives several (a "work fax" is a fax).
USAGES = ("fax", "pager", "mobile", "work", "home", "main", "other")

# Severities of an issue.
ERROR = "error"
WARNING = "warning"

_PHONE_EXTENSION = re.compile(
    r"\s*(?:;\s*ext=|\bext\.?|\bextension|\bx)\s*(\d+)\s*$", re.IGNORECASE
)
_WHITESPACE = re.compile(r"\s+")
# Apple's year for a birthday whose year is unknown.
_NO_YEAR = 1604
# Longest one-line value (name, job title, e-mail...) written to a field: the
# database indexes these fields, and an index entry cannot hold a huge value.
MAX_VALUE_LENGTH = 256
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):(?!\d)", re.IGNORECASE)
_WEB_HOST = re.compile(r"^[\w-]+(?:\.[\w-]+)+(?::\d{1,5})?$")


@dataclass
class ImportIssue:
    """Something the user must know about one entry of a file, or the file.

    ``number`` is the card number (vCard) or line number (CSV) of the entry,
    0 for the whole file. ``code`` names the reason; the wizard turns it and
    ``params`` into a sentence in the user's language. An ``error`` means the
    entry was not imported; a ``warning`` that it was, with the noted loss or
    guess.
    """

    number: int
    code: str
    params: dict = field(default_factory=dict)
    severity: str = WARNING

    @property
    def is_error(self):
        return self.severity == ERROR


@dataclass
class ContactValue:
    """An e-mail address, phone number or website with its usage and label."""

    value: str
    usage: str = ""
    label: str = ""
    is_preferred: bool = False


@dataclass
class ContactAddress:
    """A postal address as the source gave it, split into its parts.

    ``street`` may hold several lines; ``formatted`` is the printed form some
    sources add (vCard LABEL, Google "Formatted"), used only when the parts
    are empty.
    """

    usage: str = ""
    label: str = ""
    street: str = ""
    extended: str = ""
    po_box: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    formatted: str = ""
    is_preferred: bool = False

    def has_parts(self):
        return any(
            (
                self.street,
                self.extended,
                self.po_box,
                self.city,
                self.region,
                self.postal_code,
                self.country,
            )
        )

    def is_empty(self):
        return not self.has_parts() and not self.formatted


@dataclass
class ContactRecord:
    """One contact, company or group read from a file, before any matching.

    ``number`` is the card or line number where it starts. ``extra_notes``
    holds facts without a field of their own as ``(code, value)`` pairs (an
    other organisation, a birthday without a year...) that the wizard writes
    into the notes with a translated label.
    """

    number: int
    kind: str = PERSON
    formatted_name: str = ""
    given_name: str = ""
    middle_name: str = ""
    family_name: str = ""
    name_prefix: str = ""
    name_suffix: str = ""
    is_name_derived: bool = False
    nickname: str = ""
    company_name: str = ""
    department: str = ""
    job_title: str = ""
    emails: list = field(default_factory=list)
    phones: list = field(default_factory=list)
    websites: list = field(default_factory=list)
    addresses: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    extra_notes: list = field(default_factory=list)
    birthday: date | None = None
    categories: list = field(default_factory=list)
    photo: bytes | None = None
    uid: str = ""
    members: list = field(default_factory=list)
    merged_numbers: list = field(default_factory=list)
    issues: list = field(default_factory=list)

    @property
    def is_company(self):
        return self.kind == COMPANY

    @property
    def is_group(self):
        return self.kind == GROUP

    @property
    def name(self):
        """The name to show: the formatted name, else one built from parts."""
        if self.formatted_name:
            return self.formatted_name
        return compose_name(
            self.name_prefix,
            self.given_name,
            self.middle_name,
            self.family_name,
            self.name_suffix,
        )

    def warn(self, code, **params):
        self.issues.append(ImportIssue(self.number, code, params, WARNING))


@dataclass
class ParseResult:
    """What a reader made of a whole file."""

    file_format: str
    records: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    encoding: str = ""
    versions: list = field(default_factory=list)
    entry_count: int = 0

    def all_issues(self):
        """File issues, then each record's, in entry order."""
        issues = list(self.issues)
        for record in self.records:
            issues.extend(record.issues)
        return sorted(issues, key=lambda issue: issue.number)


def clean_text(value):
    """Normalise a decoded value: NFC, no NUL, no surrounding blanks.

    NFC makes the same name typed with a combining accent or a precomposed
    letter compare equal, so that a re-import finds the contact again.
    """
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value.replace("\x00", ""))
    return value.strip()


def compose_name(*parts):
    """Join name parts with single spaces, skipping empty ones."""
    return " ".join(part.strip() for part in parts if part and part.strip())


def name_words(value):
    """The words of a name, casefolded, without trailing commas, sorted."""
    words = (word.strip(",").casefold() for word in _WHITESPACE.split(value))
    return sorted(word for word in words if word)


def split_phone_extension(value):
    """Split ``"+1 418 555 0142 ext. 102"`` into number and extension."""
    match = _PHONE_EXTENSION.search(value)
    if not match:
        return value.strip(), ""
    return value[: match.start()].strip(), match.group(1)


def phone_match_key(value):
    """Key two phone numbers share when they are the same number.

    Only the digits count: spaces, dashes, dots and brackets are dropped. A
    leading ``+`` or ``00`` is the international prefix and is kept as ``+``.
    An extension is ignored. No country code is added or removed, so a
    national number (``0612...``) and its international form (``+33612...``)
    do not match. A value without digits has no key.
    """
    if not value:
        return ""
    number, _extension = split_phone_extension(value)
    if number.lower().startswith("tel:"):
        number = number[4:]
    digits = "".join(char for char in number if char.isdigit())
    if not digits:
        return ""
    stripped = number.lstrip()
    if stripped.startswith("+"):
        return "+" + digits
    if digits.startswith("00") and len(digits) > 2:
        return "+" + digits[2:]
    return digits


def email_match_key(value):
    """Key two e-mail addresses share: the address, trimmed and lowercased."""
    return clean_text(value).lower()


def phone_dedupe_key(value):
    """Key of a phone number within one record: its match key and extension."""
    number, extension = split_phone_extension(value)
    key = phone_match_key(number) or value.casefold()
    return f"{key};{extension}" if extension else key


def website_key(value):
    """Key two web addresses share: no scheme, no ``www.``, no final slash."""
    key = value.strip().lower()
    for prefix in ("http://", "https://"):
        if key.startswith(prefix):
            key = key[len(prefix) :]
    return key.rstrip("/")


def dedupe_values(values, key_function):
    """Drop repeated values with the same usage; preferred ones first."""
    seen = set()
    kept = []
    for value in sorted(values, key=lambda item: not item.is_preferred):
        key = (key_function(value.value), value.usage)
        if key in seen:
            continue
        seen.add(key)
        kept.append(value)
    return kept


def choose_display_name(record):
    """Decide between the formatted name and one built from the name parts.

    The formatted name wins, unless it only reorders the parts ("Wendel
    Ilka" for given name Ilka, family name Wendel) or adds the nickname and
    organisation to them: then the parts give the name, in given-name-first
    order. Without name parts, the formatted name is split into a given
    name and a family name on its last space.
    """
    composed = compose_name(
        record.name_prefix,
        record.given_name,
        record.middle_name,
        record.family_name,
        record.name_suffix,
    )
    formatted = record.formatted_name
    if formatted and composed and formatted != composed:
        wanted = name_words(composed)
        words = name_words(formatted)
        if words == wanted:
            record.formatted_name = composed
            return
        extra = name_words(compose_name(record.nickname, record.company_name))
        remaining = list(words)
        for word in extra:
            if word in remaining:
                remaining.remove(word)
        if remaining == wanted:
            record.formatted_name = composed
    elif formatted and not composed and " " in formatted:
        record.given_name, record.family_name = formatted.rsplit(" ", 1)


def derive_name(record):
    """Name a record that has none after its first e-mail or phone."""
    if record.emails:
        record.formatted_name = record.emails[0].value
        record.is_name_derived = True
        record.warn("name_from_email", value=record.formatted_name)
        return record
    if record.phones:
        record.formatted_name = record.phones[0].value
        record.is_name_derived = True
        record.warn("name_from_phone", value=record.formatted_name)
        return record
    return None


def parse_date(value):
    """Read a birthday in the forms contact files use.

    Returns a :class:`date`; or a ``--MM-DD`` string for a day without a
    year; or ``None`` when the value is not a date. Understood: ``1980-03-22``,
    ``19800322``, with or without a time, ``--0322`` and ``--03-22``,
    ``22.03.1980`` (day first) and ``3/22/1980`` (month first, as US Outlook
    writes it, unless the first number cannot be a month).
    """
    value = value.strip()
    match = re.match(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$", value)
    if match:
        year, month, day = (int(part) for part in match.groups())
        if year == _NO_YEAR:
            return _partial(month, day)
        return _safe_date(year, month, day)
    match = re.match(r"^--(\d{2})-?(\d{2})$", value)
    if match:
        return _partial(*(int(part) for part in match.groups()))
    match = re.match(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$", value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return _safe_date(year, month, day)
    match = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", value)
    if match:
        month, day, year = (int(part) for part in match.groups())
        if month > 12:
            month, day = day, month
        return _safe_date(year, month, day)
    return None


def _safe_date(year, month, day):
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _partial(month, day):
    if _safe_date(2000, month, day) is None:
        return None
    return f"--{month:02d}-{day:02d}"


def web_address(value):
    """The value as an http or https address, or "" when it is not one.

    A bare host name ("www.example.com/shop") gets "http://", as Odoo's
    contact form gives it. Other schemes (``javascript:``, ``mailto:``,
    ``ftp:``...), values with spaces or control characters, and hosts
    without a dot are not web addresses.
    """
    value = value.strip()
    if not value or any(char.isspace() or ord(char) < 32 for char in value):
        return ""
    scheme = _SCHEME.match(value)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        return ""
    if not scheme:
        value = "http://" + value.removeprefix("//")
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return ""
    host = parts.netloc.rpartition("@")[2]
    if not _WEB_HOST.match(host):
        return ""
    return value


def finish_values(record):
    """Drop repeated e-mails, phones and websites; flag phones without digits.

    Websites that are not http or https addresses are left out with a
    warning: a link to anything else would run or open it from the contact.
    """
    websites = []
    for website in record.websites:
        address = web_address(website.value)
        if address:
            website.value = address
            websites.append(website)
        else:
            record.warn("website_invalid", value=website.value)
    record.emails = dedupe_values(record.emails, email_match_key)
    record.phones = dedupe_values(record.phones, phone_dedupe_key)
    record.websites = dedupe_values(websites, website_key)
    no_digits = [
        phone.value for phone in record.phones if not phone_match_key(phone.value)
    ]
    if no_digits:
        record.warn("phone_no_digits", values=", ".join(no_digits))


def limit_lengths(record):
    """Keep values longer than :data:`MAX_VALUE_LENGTH` out of their fields.

    Nothing is lost: every such value is kept whole in the notes, with a
    warning. A text (name, nickname, organisation, department, job title,
    tag, address, label) is shortened in its field; an e-mail, phone, web
    address or UID, which a cut would make wrong, is left out of its field.
    """
    name = record.name
    if len(name) > MAX_VALUE_LENGTH:
        record.formatted_name = _shortened(record, "long_name", name)
    for attribute, code in (
        ("nickname", "long_nickname"),
        ("company_name", "long_company"),
        ("department", "long_department"),
        ("job_title", "long_job_title"),
    ):
        value = getattr(record, attribute)
        if len(value) > MAX_VALUE_LENGTH:
            setattr(record, attribute, _shortened(record, code, value))
    record.categories = [
        _shortened(record, "long_category", category)
        if len(category) > MAX_VALUE_LENGTH
        else category
        for category in record.categories
    ]
    for address in record.addresses:
        _limit_address(record, address)
    for code, values in (
        ("long_email", record.emails),
        ("long_phone", record.phones),
        ("long_website", record.websites),
    ):
        for item in list(values):
            if len(item.label) > MAX_VALUE_LENGTH:
                item.label = _shortened(record, "long_label", item.label)
            if len(item.value) > MAX_VALUE_LENGTH:
                values.remove(item)
                _left_out(record, code, item.value)
    if len(record.uid) > MAX_VALUE_LENGTH:
        _left_out(record, "long_uid", record.uid)
        record.uid = ""
    return record


def _limit_address(record, address):
    parts = (
        "street",
        "extended",
        "po_box",
        "city",
        "region",
        "postal_code",
        "country",
        "formatted",
    )
    if len(address.label) > MAX_VALUE_LENGTH:
        address.label = _shortened(record, "long_label", address.label)
    # Street lines are checked one by one: each becomes a field of its own.
    too_long = [
        name
        for name in parts
        if any(
            len(line) > MAX_VALUE_LENGTH for line in getattr(address, name).split("\n")
        )
    ]
    if not too_long:
        return
    whole = ", ".join(filter(None, (getattr(address, name) for name in parts)))
    record.extra_notes.append(("long_address", whole))
    record.warn("value_too_long", field="long_address", limit=MAX_VALUE_LENGTH)
    for name in too_long:
        lines = getattr(address, name).split("\n")
        setattr(
            address,
            name,
            "\n".join(line[:MAX_VALUE_LENGTH].rstrip() for line in lines),
        )


def _shortened(record, code, value):
    record.extra_notes.append((code, value))
    record.warn("value_too_long", field=code, limit=MAX_VALUE_LENGTH)
    return value[:MAX_VALUE_LENGTH].rstrip()


def _left_out(record, code, value):
    record.extra_notes.append((code, value))
    record.warn("value_too_long_left_out", field=code, limit=MAX_VALUE_LENGTH)
