"""Reader for the CSV contact exports of Google, Outlook and Thunderbird.

The layout is told from the header row; each data row becomes a
:class:`ContactRecord` numbered after the file line where the row starts (a
quoted field may span several lines). Outlook column names written in
Japanese are mapped to their English names first.
"""

import csv
import io
import logging
import re

from . import charset as charsets
from .record import (
    COMPANY,
    ERROR,
    ContactAddress,
    ContactRecord,
    ContactValue,
    ImportIssue,
    ParseResult,
    choose_display_name,
    clean_text,
    compose_name,
    derive_name,
    finish_values,
    parse_date,
)

_logger = logging.getLogger(__name__)

GOOGLE = "google_csv"
OUTLOOK = "outlook_csv"
THUNDERBIRD = "thunderbird_csv"

_GOOGLE_NUMBERED = re.compile(
    r"^(e-mail|phone|address|website|organization|relation|im) (\d+) - (.+)$"
)
_OUTLOOK_EMAIL = re.compile(r"^e-mail(?: (\d+))? (address|type|display name)$")
_LINE_END = re.compile(r"\r\n|\r|\n")
# Google marks the primary value with "* " and joins several with " ::: ".
_GOOGLE_SEPARATOR = " ::: "
_GOOGLE_SYSTEM_GROUPS = {"my contacts", "mycontacts", "starred"}
_GOOGLE_USAGES = {
    "home": "home",
    "work": "work",
    "mobile": "mobile",
    "main": "main",
    "other": "other",
    "pager": "pager",
    "home fax": "fax",
    "work fax": "fax",
    "other fax": "fax",
    "fax": "fax",
}

# Japanese Outlook writes its column names in Japanese.
_OUTLOOK_JAPANESE = {
    "肩書き": "title",
    "名": "first name",
    "ミドル ネーム": "middle name",
    "姓": "last name",
    "敬称": "suffix",
    "会社名": "company",
    "部署": "department",
    "役職": "job title",
    "番地 (会社)": "business street",
    "住所 2 (会社)": "business street 2",
    "住所 3 (会社)": "business street 3",
    "市町村 (会社)": "business city",
    "都道府県 (会社)": "business state",
    "郵便番号 (会社)": "business postal code",
    "国 (会社)/地域": "business country/region",
    "番地 (自宅)": "home street",
    "住所 2 (自宅)": "home street 2",
    "住所 3 (自宅)": "home street 3",
    "市町村 (自宅)": "home city",
    "都道府県 (自宅)": "home state",
    "郵便番号 (自宅)": "home postal code",
    "国 (自宅)/地域": "home country/region",
    "番地 (その他)": "other street",
    "住所 2 (その他)": "other street 2",
    "住所 3 (その他)": "other street 3",
    "市町村 (その他)": "other city",
    "都道府県 (その他)": "other state",
    "郵便番号 (その他)": "other postal code",
    "国 (その他)/地域": "other country/region",
    "秘書の電話": "assistant's phone",
    "会社 fax": "business fax",
    "会社電話": "business phone",
    "会社電話 2": "business phone 2",
    "コールバック": "callback",
    "自動車電話": "car phone",
    "会社代表電話": "company main phone",
    "自宅 fax": "home fax",
    "自宅電話": "home phone",
    "自宅電話 2": "home phone 2",
    "携帯電話": "mobile phone",
    "その他の fax": "other fax",
    "その他の電話": "other phone",
    "ポケットベル": "pager",
    "通常の電話": "primary phone",
    "無線電話": "radio phone",
    "tty/tdd": "tty/tdd phone",
    "テレックス": "telex",
    "web ページ": "web page",
    "メモ": "notes",
    "分類": "categories",
    "誕生日": "birthday",
    "会社住所私書箱": "business address po box",
    "自宅住所私書箱": "home address po box",
    "その他住所私書箱": "other address po box",
    "電子メール アドレス": "e-mail address",
    "電子メールの種類": "e-mail type",
    "電子メール表示名": "e-mail display name",
    "電子メール 2 アドレス": "e-mail 2 address",
    "電子メール 2 の種類": "e-mail 2 type",
    "電子メール 2 表示名": "e-mail 2 display name",
    "電子メール 3 アドレス": "e-mail 3 address",
    "電子メール 3 の種類": "e-mail 3 type",
    "電子メール 3 表示名": "e-mail 3 display name",
}

# Outlook phone columns: (column, usage, label).
_OUTLOOK_PHONES = (
    ("primary phone", "main", ""),
    ("mobile phone", "mobile", ""),
    ("business phone", "work", ""),
    ("business phone 2", "work", ""),
    ("company main phone", "main", ""),
    ("home phone", "home", ""),
    ("home phone 2", "home", ""),
    ("other phone", "other", ""),
    ("business fax", "fax", ""),
    ("home fax", "fax", ""),
    ("other fax", "fax", ""),
    ("pager", "pager", ""),
    ("assistant's phone", "", "Assistant"),
    ("callback", "", "Callback"),
    ("car phone", "", "Car"),
    ("isdn", "", "ISDN"),
    ("radio phone", "", "Radio"),
    ("tty/tdd phone", "", "TTY/TDD"),
    ("telex", "", "Telex"),
)
_OUTLOOK_ADDRESSES = (("business", "work"), ("home", "home"), ("other", "other"))
_THUNDERBIRD_PHONES = (
    ("work phone", "work"),
    ("home phone", "home"),
    ("mobile number", "mobile"),
    ("fax number", "fax"),
    ("pager number", "pager"),
)


def _normalise(name):
    name = " ".join(name.replace("\ufeff", "").split()).casefold()
    return _OUTLOOK_JAPANESE.get(name, name)


def detect_layout(header):
    """Tell the exporting program from a header row; "" when unknown."""
    names = {_normalise(name) for name in header}
    if any(_GOOGLE_NUMBERED.match(name) for name in names) or names & {
        "group membership",
        "labels",
    }:
        return GOOGLE
    if "primary email" in names or {"display name", "birth year"} <= names:
        return THUNDERBIRD
    outlook_columns = {
        "e-mail address",
        "business phone",
        "mobile phone",
        "home street",
        "business street",
        "company",
    }
    if names & outlook_columns or {"first name", "last name"} <= names:
        return OUTLOOK
    return ""


class _Row:
    """A data row read by normalised column name."""

    def __init__(self, header, values):
        self.values = {}
        for name, value in zip(header, values, strict=False):
            self.values.setdefault(name, value)

    def get(self, *names):
        for name in names:
            value = clean_text(self.values.get(name, "")).replace("\r\n", "\n")
            if value:
                return value
        return ""


def parse_csv(data):
    """Read a Google, Outlook or Thunderbird CSV export given as bytes."""
    text, encoding = charsets.decode_text(data)
    result = ParseResult(file_format="", encoding=encoding)
    rows = _read_rows(text, result.issues)
    if not rows:
        result.issues.append(ImportIssue(0, "file_empty", severity=ERROR))
        return result

    header_line, raw_header = rows[0]
    header = [_normalise(name) for name in raw_header]
    layout = detect_layout(raw_header)
    if not layout:
        columns = ", ".join(name for name in raw_header[:6] if name)
        result.issues.append(
            ImportIssue(header_line, "csv_unknown_layout", {"columns": columns}, ERROR)
        )
        return result
    result.file_format = layout

    build = {GOOGLE: _google, OUTLOOK: _outlook, THUNDERBIRD: _thunderbird}[layout]
    for number, values in rows[1:]:
        if not any(value.strip() for value in values):
            continue
        result.entry_count += 1
        record = ContactRecord(number=number)
        extra = [value for value in values[len(header) :] if value.strip()]
        if extra:
            record.warn("csv_extra_values", values=", ".join(extra))
        try:
            build(record, _Row(header, values))
            record = _finish(record)
        except Exception:  # one row must not stop the file
            _logger.warning("CSV line %s could not be read", number, exc_info=True)
            record = ImportIssue(number, "entry_unreadable", severity=ERROR)
        if isinstance(record, ImportIssue):
            result.issues.append(record)
        else:
            result.records.append(record)
    if not result.entry_count and not result.issues:
        result.issues.append(ImportIssue(0, "csv_no_rows", severity=ERROR))
    return result


def looks_like_csv(data):
    """Whether the first line of a file is the header of a known layout."""
    text, _encoding = charsets.decode_text(data[:65536])
    first_line = _first_line(text)
    try:
        header = next(csv.reader([first_line], delimiter=_delimiter(first_line)), [])
    except csv.Error:
        return False
    return bool(detect_layout(header))


def _first_line(text):
    """The first line of a text, whatever its line ending."""
    return _LINE_END.split(text.lstrip("\ufeff"), maxsplit=1)[0]


class _CountingLines:
    """Iterate over the lines of a text and count them, for line numbers."""

    def __init__(self, text):
        self._lines = iter(io.StringIO(text, newline=""))
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self):
        line = next(self._lines)
        self.count += 1
        return line


def _delimiter(first_line):
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _read_rows(text, issues):
    """Split the text into ``(line number, values)`` rows.

    A row that breaks the CSV quoting rules is reported with its line number
    and reading goes on with the next line; a quote left open swallows the
    rest of the file, which is reported as such.
    """
    text = text.lstrip("\ufeff")
    delimiter = _delimiter(_first_line(text))
    lines = _CountingLines(text)
    rows = []
    while True:
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        start = lines.count + 1
        try:
            for values in reader:
                rows.append((start, values))
                start = lines.count + 1
        except csv.Error as error:
            if "end of data" in str(error):
                issues.append(
                    ImportIssue(
                        start, "csv_unclosed_quote", {"last": lines.count}, ERROR
                    )
                )
                break
            # The reader's own message is English and technical: only its
            # kind is kept, for a message in the user's language.
            too_long = "field limit" in str(error)
            code = "csv_field_too_long" if too_long else "csv_bad_row"
            issues.append(
                ImportIssue(start, code, {"limit": csv.field_size_limit()}, ERROR)
            )
            continue
        break
    return rows


def _finish(record):
    """Pick the kind of entry and its display name, as for a vCard card."""
    finish_values(record)
    person_name = compose_name(
        record.given_name, record.middle_name, record.family_name
    )
    if not person_name and not record.formatted_name and record.company_name:
        record.kind = COMPANY
        record.formatted_name = record.company_name
        record.company_name = ""
        return record
    choose_display_name(record)
    if not record.name:
        return derive_name(record) or ImportIssue(
            record.number, "entry_empty", severity=ERROR
        )
    return record


def _google_value(text):
    """Split a Google type into (usage, label, preferred)."""
    preferred = text.startswith("* ")
    text = text[2:] if preferred else text
    usage = _GOOGLE_USAGES.get(text.strip().lower(), "")
    label = "" if usage else text.strip()
    return usage, label, preferred


def _google(record, row):
    record.formatted_name = row.get("name")
    record.given_name = row.get("given name", "first name")
    record.middle_name = row.get("additional name", "middle name")
    record.family_name = row.get("family name", "last name")
    record.name_prefix = row.get("name prefix")
    record.name_suffix = row.get("name suffix")
    record.nickname = row.get("nickname")
    _birthday(record, row.get("birthday"))
    note = row.get("notes")
    if note:
        record.notes.append(note)
    for group in row.get("group membership", "labels").split(_GOOGLE_SEPARATOR):
        group = group.strip()
        if group.startswith("* "):
            group = group[2:].strip()
            if group.casefold() in _GOOGLE_SYSTEM_GROUPS:
                continue
        if group and group not in record.categories:
            record.categories.append(group)
    photo = row.get("photo")
    if photo:
        record.warn("photo_link", url=photo)

    numbered = {}
    for name in row.values:
        match = _GOOGLE_NUMBERED.match(name)
        if match:
            kind, index, part = match.groups()
            numbered.setdefault((kind, int(index)), {})[part] = row.get(name)
    for (kind, _index), parts in sorted(numbered.items()):
        usage, label, preferred = _google_value(
            parts.get("type") or parts.get("label", "")
        )
        if kind == "address":
            _google_address(record, parts, usage, label, preferred)
        elif kind == "organization":
            _google_organization(record, parts)
        elif kind in ("e-mail", "phone", "website"):
            target = {
                "e-mail": record.emails,
                "phone": record.phones,
                "website": record.websites,
            }[kind]
            for value in (parts.get("value") or "").split(_GOOGLE_SEPARATOR):
                if value.strip():
                    target.append(ContactValue(value.strip(), usage, label, preferred))
    record.company_name = record.company_name or row.get("organization name")
    record.job_title = record.job_title or row.get("organization title")
    record.department = record.department or row.get("organization department")


def _google_address(record, parts, usage, label, preferred):
    address = ContactAddress(
        usage=usage,
        label=label,
        street=parts.get("street", ""),
        extended=parts.get("extended address", ""),
        po_box=parts.get("po box", ""),
        city=parts.get("city", ""),
        region=parts.get("region", ""),
        postal_code=parts.get("postal code", ""),
        country=parts.get("country", ""),
        formatted=parts.get("formatted", ""),
        is_preferred=preferred,
    )
    if not address.is_empty():
        record.addresses.append(address)


def _google_organization(record, parts):
    name = parts.get("name", "")
    if not record.company_name and (name or parts.get("title")):
        record.company_name = name
        record.job_title = parts.get("title", "")
        record.department = parts.get("department", "")
    elif name:
        details = [name, parts.get("department", ""), parts.get("title", "")]
        record.extra_notes.append(
            ("organization", ", ".join(part for part in details if part))
        )


def _outlook(record, row):
    record.name_prefix = row.get("title")
    record.given_name = row.get("first name")
    record.middle_name = row.get("middle name")
    record.family_name = row.get("last name")
    record.name_suffix = row.get("suffix")
    record.nickname = row.get("nickname")
    record.company_name = row.get("company")
    record.department = row.get("department")
    record.job_title = row.get("job title")
    _birthday(record, row.get("birthday"))
    note = row.get("notes")
    if note:
        record.notes.append(note)
    for category in re.split(r"[;,]", row.get("categories")):
        category = category.strip()
        if category and category not in record.categories:
            record.categories.append(category)
    website = row.get("web page")
    if website:
        record.websites.append(ContactValue(website))

    for index in ("", "2", "3"):
        prefix = f"e-mail {index} " if index else "e-mail "
        address = row.get(prefix + "address")
        kind = row.get(prefix + "type").upper()
        if not address:
            continue
        if kind == "EX" or address.upper().startswith("/O="):
            record.warn("email_exchange", value=address)
            continue
        record.emails.append(ContactValue(address, is_preferred=not index))
    for column, usage, label in _OUTLOOK_PHONES:
        value = row.get(column)
        if value:
            record.phones.append(
                ContactValue(value, usage, label, column == "primary phone")
            )
    for prefix, usage in _OUTLOOK_ADDRESSES:
        lines = [row.get(f"{prefix} street{suffix}") for suffix in ("", " 2", " 3")]
        address = ContactAddress(
            usage=usage,
            street="\n".join(line for line in lines if line),
            po_box=row.get(f"{prefix} address po box"),
            city=row.get(f"{prefix} city"),
            region=row.get(f"{prefix} state"),
            postal_code=row.get(f"{prefix} postal code"),
            country=row.get(f"{prefix} country/region", f"{prefix} country"),
        )
        if not address.is_empty():
            record.addresses.append(address)


def _thunderbird(record, row):
    record.formatted_name = row.get("display name")
    record.given_name = row.get("first name")
    record.family_name = row.get("last name")
    record.nickname = row.get("nickname")
    record.company_name = row.get("organization")
    record.department = row.get("department")
    record.job_title = row.get("job title")
    note = row.get("notes")
    if note:
        record.notes.append(note)
    year = row.get("birth year")
    month = row.get("birth month").zfill(2)
    day = row.get("birth day").zfill(2)
    if month.strip("0") and day.strip("0"):
        _birthday(record, f"{year}-{month}-{day}" if year else f"--{month}-{day}")

    for column in ("primary email", "secondary email"):
        value = row.get(column)
        if value:
            record.emails.append(
                ContactValue(value, is_preferred=column == "primary email")
            )
    for column, usage in _THUNDERBIRD_PHONES:
        value = row.get(column)
        if value:
            record.phones.append(ContactValue(value, usage))
    for column in ("web page 1", "web page 2"):
        value = row.get(column)
        if value:
            record.websites.append(ContactValue(value))
    for prefix, usage in (("home", "home"), ("work", "work")):
        lines = (row.get(f"{prefix} address"), row.get(f"{prefix} address 2"))
        address = ContactAddress(
            usage=usage,
            street="\n".join(line for line in lines if line),
            city=row.get(f"{prefix} city"),
            region=row.get(f"{prefix} state"),
            postal_code=row.get(f"{prefix} zipcode"),
            country=row.get(f"{prefix} country"),
        )
        if not address.is_empty():
            record.addresses.append(address)


def _birthday(record, value):
    if not value or value in ("0/0/00", "0.0.00"):
        return
    parsed = parse_date(value)
    if parsed is None:
        record.warn("birthday_invalid", value=value)
    elif isinstance(parsed, str):
        record.extra_notes.append(("birthday", parsed))
        record.warn("birthday_no_year", value=parsed)
    else:
        record.birthday = parsed
