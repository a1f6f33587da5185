"""Reader for vCard 2.1, 3.0 and 4.0 files as real address books write them.

Reading happens in three steps. The file is split into physical lines on any
line ending, and the lines into logical properties: a line that starts with
a space or a TAB continues the previous one, a quoted-printable value that
ends in ``=`` goes on with the next line even when it is not indented, and a
2.1 base64 block may go on unindented until a blank line. Each property keeps
its raw bytes; it is decoded only when read, with its own CHARSET, since a
file may mix several. Finally the properties of a card become a
:class:`ContactRecord`.

Entries that cannot be read become :class:`ImportIssue` errors with their card
number; the other cards are read anyway.
"""

import base64
import binascii
import codecs
import logging
import re
import urllib.parse
from datetime import date

from . import charset as charsets
from .record import (
    COMPANY,
    ERROR,
    GROUP,
    PERSON,
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

FORMAT = "vcard"

_LINE_BREAK = re.compile(rb"\r\n|\n|\r")
_BASE64_LINE = re.compile(rb"^[A-Za-z0-9+/=]+$")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_BARE_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
# Type names that give a usage, the most telling first: a "work fax" is a fax.
_TYPE_PRECEDENCE = (
    "fax",
    "pager",
    "cell",
    "mobile",
    "iphone",
    "work",
    "home",
    "main",
    "other",
)
_USAGE_TYPES = {
    "fax": "fax",
    "pager": "pager",
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
    "work": "work",
    "home": "home",
    "main": "main",
    "other": "other",
}
# Types that say nothing a contact form can show.
_SILENT_TYPES = {
    "internet",
    "pref",
    "voice",
    "msg",
    "text",
    "video",
    "x400",
    "dom",
    "intl",
    "postal",
    "parcel",
    "jpeg",
    "png",
    "gif",
}
# Apple wraps its standard labels as "_$!<Label>!$_".
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_APPLE_LABEL_USAGES = {
    "home": "home",
    "work": "work",
    "mobile": "mobile",
    "iphone": "mobile",
    "main": "main",
    "homefax": "fax",
    "workfax": "fax",
    "otherfax": "fax",
    "pager": "pager",
    "other": "other",
    "homepage": "",
}
_NAME_PROPERTIES = ("FN", "N")
_PERSON_KINDS = {"", "individual"}
_COMPANY_KINDS = {"org", "organization"}
_UNSUPPORTED_KINDS = {"location", "application", "device"}


class Property:
    """One logical vCard line: ``[group.]NAME;PARAMS:value`` with raw value."""

    def __init__(self, group, name, params, raw, line):
        self.group = group
        self.name = name
        self.params = params
        self.raw = raw
        self.line = line

    def param(self, name):
        values = self.params.get(name)
        return values[0] if values else ""

    @property
    def types(self):
        return {value.lower() for value in self.params.get("TYPE", ())}

    @property
    def encoding(self):
        return self.param("ENCODING").upper()

    @property
    def is_preferred(self):
        return "pref" in self.types or "PREF" in self.params


def parse_vcards(data):
    """Read every card of a vCard file given as bytes.

    Returns a :class:`ParseResult` whose records keep the order of the
    file, with cards that share a UID merged into the first of them.
    """
    result = ParseResult(file_format=FORMAT)
    text, unicode_charset = charsets.unicode_layout(data)
    if text is not None:
        data = text.encode(charsets.UTF8)
        result.encoding = unicode_charset
    lines = _LINE_BREAK.split(data)
    cards = list(_split_cards(lines, result.issues))
    result.entry_count = len(cards)
    if not cards:
        result.issues.append(ImportIssue(0, "file_no_card", severity=ERROR))
        return result

    fallback = _file_fallback_charset(cards)
    versions = []
    for number, properties in cards:
        try:
            record = _Card(number, properties, fallback).build()
        except Exception:  # one card must not stop the file
            _logger.warning("vCard %s could not be read", number, exc_info=True)
            result.issues.append(
                ImportIssue(number, "entry_unreadable", severity=ERROR)
            )
            continue
        if isinstance(record, ImportIssue):
            result.issues.append(record)
            continue
        versions.extend(
            clean_text(prop.raw.decode("ascii", "replace"))
            for prop in properties
            if prop.name == "VERSION"
        )
        result.records.append(record)
    result.records = merge_same_uid(result.records)
    result.versions = sorted(set(versions))
    result.encoding = result.encoding or (
        fallback if _needs_fallback(cards) else charsets.UTF8
    )
    return result


def merge_same_uid(records):
    """Merge cards that carry the same UID: they are versions of one contact.

    The first card stays in place; a later card's values replace its single
    values and add to its lists.
    """
    merged = []
    by_uid = {}
    for record in records:
        first = by_uid.get(record.uid) if record.uid and not record.is_group else None
        if first is None:
            if record.uid:
                by_uid[record.uid] = record
            merged.append(record)
            continue
        _merge_into(first, record)
    return merged


_NAME_FIELDS = (
    "formatted_name",
    "given_name",
    "middle_name",
    "family_name",
    "name_prefix",
    "name_suffix",
)
_SINGLE_FIELDS = (
    "nickname",
    "company_name",
    "department",
    "job_title",
    "birthday",
    "photo",
)
_LIST_FIELDS = (
    "emails",
    "phones",
    "websites",
    "addresses",
    "notes",
    "extra_notes",
    "categories",
    "members",
)


def _merge_into(first, later):
    if not later.is_name_derived:
        for name in _NAME_FIELDS:
            setattr(first, name, getattr(later, name))
        first.is_name_derived = False
    for name in _SINGLE_FIELDS:
        value = getattr(later, name)
        if value:
            setattr(first, name, value)
    for name in _LIST_FIELDS:
        target = getattr(first, name)
        target.extend(item for item in getattr(later, name) if item not in target)
    first.merged_numbers.append(later.number)
    first.issues.extend(later.issues)
    first.issues.append(
        ImportIssue(later.number, "entry_merged_uid", {"first": first.number})
    )


def looks_like_vcard(data):
    """Whether a file starts like a vCard (after any BOM or UTF-16)."""
    text, _charset = charsets.unicode_layout(data[:4096])
    head = text if text is not None else data[:4096].decode("latin-1")
    return head.lstrip().upper().startswith("BEGIN:VCARD")


# Splitting into cards and properties -----------------------------------------


def _split_cards(lines, issues):
    """Yield ``(card number, [Property])`` for each top-level card."""
    number = 0
    properties = None
    nested = 0
    for line_no, logical in _logical_lines(lines):
        prop = _parse_property(logical, line_no)
        if prop is None:
            if properties is not None and not nested:
                text = logical.decode("utf-8", "replace").strip()
                issues.append(
                    ImportIssue(number, "card_line_unreadable", {"line": text[:80]})
                )
            continue
        value = prop.raw.strip().upper()
        if prop.name == "BEGIN" and value == b"VCARD":
            if properties is None:
                number += 1
                properties = []
            elif properties and properties[-1].name == "AGENT":
                nested += 1
            else:
                issues.append(ImportIssue(number, "card_not_closed"))
                yield number, properties
                number += 1
                properties = []
            continue
        if prop.name == "END" and value == b"VCARD":
            if nested:
                nested -= 1
            elif properties is not None:
                yield number, properties
                properties = None
            continue
        if properties is not None and not nested:
            properties.append(prop)
    if properties is not None:
        issues.append(ImportIssue(number, "card_not_closed"))
        yield number, properties


def _logical_lines(lines):
    """Join folded lines, QP soft breaks and unindented base64 lines."""
    index = 0
    count = len(lines)
    while index < count:
        line_no = index + 1
        parts = [lines[index]]
        index += 1
        if not parts[0].strip():
            continue
        header = None
        while index < count:
            following = lines[index]
            if header is None:
                header = _header(b"".join(parts)).upper() or None
            if following[:1] in (b" ", b"\t"):
                parts.append(following[1:])
            elif header and _continues_qp(header, parts[-1], following):
                parts[-1] = parts[-1][:-1]
                parts.append(following)
            elif header and _continues_base64(header, following):
                parts.append(following)
            else:
                break
            index += 1
        yield line_no, b"".join(parts)


def _header(logical):
    colon = _find_unquoted(logical, b":")
    return logical[:colon] if colon >= 0 else b""


def _continues_qp(header, last, following):
    """A QP value ending in ``=`` is soft-broken onto the next line."""
    return (
        last.endswith(b"=")
        and b"QUOTED-PRINTABLE" in header
        and following.strip().upper() != b"END:VCARD"
    )


def _continues_base64(header, following):
    """2.1 writers may leave base64 lines unindented until a blank line."""
    return (
        bool(following)
        and (b"BASE64" in header or b"ENCODING=B" in header)
        and bool(_BASE64_LINE.match(following))
    )


def _find_unquoted(data, needle):
    quoted = False
    for index in range(len(data)):
        char = data[index : index + 1]
        if char == b'"':
            quoted = not quoted
        elif char == needle and not quoted:
            return index
    return data.find(needle)


def _split_unquoted(data, separator):
    parts, current, quoted = [], b"", False
    for index in range(len(data)):
        char = data[index : index + 1]
        if char == b'"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append(current)
            current = b""
        else:
            current += char
    parts.append(current)
    return parts


def _parse_property(logical, line_no):
    colon = _find_unquoted(logical, b":")
    if colon <= 0:
        return None
    head, raw = logical[:colon], logical[colon + 1 :]
    pieces = _split_unquoted(head, b";")
    group, _dot, name = pieces[0].strip().decode("ascii", "replace").rpartition(".")
    name = name.strip().upper()
    if not name or " " in name:
        return None
    params = {}
    for piece in pieces[1:]:
        text = piece.decode("utf-8", "replace").strip()
        if not text:
            continue
        key, equals, value = text.partition("=")
        if not equals:
            key, value = _bare_param(key)
        key = key.strip().upper()
        params.setdefault(key, []).extend(_split_param_values(key, value))
    return Property(group.lower(), name, params, raw, line_no)


def _bare_param(value):
    """2.1 writes ``TEL;WORK;VOICE`` and ``PHOTO;JPEG;BASE64``: give each a key."""
    if value.upper() in _BARE_ENCODINGS:
        return "ENCODING", value
    if value.upper() == "PREF":
        return "TYPE", "pref"
    return "TYPE", value


def _split_param_values(key, value):
    """Unquote a parameter value; TYPE lists are split on their commas."""
    value = value.strip()
    if key != "TYPE":
        return [value[1:-1] if value[:1] == value[-1:] == '"' else value]
    value = value.strip('"')
    return [item.strip().strip('"') for item in value.split(",") if item.strip()]


# Decoding values --------------------------------------------------------------


def _raw_bytes(prop):
    """The value's bytes after transfer decoding (quoted-printable)."""
    if prop.encoding == "QUOTED-PRINTABLE":
        return binascii.a2b_qp(prop.raw)
    return prop.raw


def _needs_fallback_bytes(prop):
    return (
        not prop.param("CHARSET")
        and prop.encoding not in ("BASE64", "B")
        and not charsets.is_utf8(_raw_bytes(prop))
    )


def _needs_fallback(cards):
    return any(
        _needs_fallback_bytes(prop) for _number, props in cards for prop in props
    )


def _file_fallback_charset(cards):
    """The code page to read values that declare none and are not UTF-8.

    It is chosen once for the whole file, from all such values together: a
    file comes from one computer, in one language.
    """
    chunks = [
        _raw_bytes(prop)
        for _number, props in cards
        for prop in props
        if _needs_fallback_bytes(prop)
    ]
    return charsets.guess_charset(chunks) if chunks else charsets.FALLBACK_CHARSETS[0]


def _unescape(value):
    def replace(match):
        char = match.group(1)
        return "\n" if char in "nN" else char

    return _ESCAPE.sub(replace, value)


def _split_escaped(value, separators):
    """Split on unescaped separators, keeping escapes for :func:`_unescape`."""
    parts, current, index = [], "", 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            current += value[index : index + 2]
            index += 2
            continue
        if char in separators:
            parts.append(current)
            current = ""
        else:
            current += char
        index += 1
    parts.append(current)
    return parts


class _Card:
    """Turns the properties of one card into a :class:`ContactRecord`."""

    def __init__(self, number, properties, fallback):
        self.number = number
        self.properties = properties
        self.fallback = fallback
        self.record = ContactRecord(number=number)
        self.labels = {}
        self._warned = set()

    def warn_once(self, code, **params):
        if code not in self._warned:
            self._warned.add(code)
            self.record.warn(code, **params)

    def text(self, prop):
        """Decode a property value into text with its charset, unescaped."""
        return clean_text(_unescape(self.decoded(prop)))

    def decoded(self, prop):
        """Decode a property value into text, escapes kept."""
        data = _raw_bytes(prop)
        declared = prop.param("CHARSET")
        if declared:
            codec = _text_codec(declared)
            if not codec:
                codec = self.fallback if not charsets.is_utf8(data) else "utf-8"
                self.warn_once(
                    "charset_unknown",
                    charset=declared,
                    used=charsets.label(codec),
                )
            try:
                text = data.decode(codec)
            except UnicodeError:
                text = _decode_replacing(data, codec)
                self.record.warn(
                    "charset_invalid_bytes",
                    property=prop.name,
                    charset=charsets.label(codec),
                )
        elif charsets.is_utf8(data):
            text = data.decode(charsets.UTF8)
        else:
            text = data.decode(self.fallback, errors="replace")
            self.warn_once("charset_guessed", charset=charsets.label(self.fallback))
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def components(self, prop, size=0):
        """Split a structured value (N, ADR, ORG) into unescaped components."""
        parts = [
            clean_text(_unescape(part))
            for part in _split_escaped(self.decoded(prop), ";")
        ]
        if size:
            parts = (parts + [""] * size)[:size]
        return parts

    def usage_and_label(self, prop):
        """The usage (home, work, mobile...) and free label of a property."""
        types = prop.types
        usage = next(
            (_USAGE_TYPES[name] for name in _TYPE_PRECEDENCE if name in types), ""
        )
        label = ""
        for value in prop.params.get("TYPE", ()):
            lowered = value.lower()
            if lowered not in _USAGE_TYPES and lowered not in _SILENT_TYPES:
                label = value
                break
        group_label = self.labels.get(prop.group) if prop.group else None
        if group_label:
            apple = _APPLE_LABEL.match(group_label)
            if apple:
                known = _APPLE_LABEL_USAGES.get(apple.group(1).lower())
                if known is None:
                    label = apple.group(1)
                else:
                    usage = known or usage
            else:
                label = group_label
        return usage, label

    def build(self):
        """Read every property and decide what kind of entry the card is."""
        self.labels = {
            prop.group: self.text(prop)
            for prop in self.properties
            if prop.name == "X-ABLABEL" and prop.group
        }
        collected = {}
        for prop in self.properties:
            collected.setdefault(prop.name, []).append(prop)
        self._read_names(collected)
        self._read_work(collected)
        self._read_channels(collected)
        self._read_addresses(collected)
        self._read_misc(collected)
        return self._classify(collected)

    def _read_names(self, collected):
        record = self.record
        names = collected.get("N", [])
        if len(names) > 1:
            record.warn("name_several")
        if names:
            family, given, middle, prefix, suffix = self.components(names[0], 5)
            record.family_name, record.given_name = family, given
            record.middle_name = middle
            record.name_prefix, record.name_suffix = prefix, suffix
        formatted = [self.components(prop) for prop in collected.get("FN", [])]
        if formatted:
            record.formatted_name = compose_name(*formatted[0])
        nicknames = [self.text(prop) for prop in collected.get("NICKNAME", [])]
        record.nickname = next((nick for nick in nicknames if nick), "")

    def _read_work(self, collected):
        record = self.record
        organisations = []
        for prop in collected.get("ORG", []):
            parts = [part for part in self.components(prop) if part]
            if parts and parts not in organisations:
                organisations.append(parts)
        if organisations:
            record.company_name = organisations[0][0]
            record.department = ", ".join(organisations[0][1:])
        for parts in organisations[1:]:
            record.extra_notes.append(("organization", ", ".join(parts)))
        titles = [self.text(prop) for prop in collected.get("TITLE", [])]
        roles = [self.text(prop) for prop in collected.get("ROLE", [])]
        titles = [title for title in titles if title]
        roles = [role for role in roles if role]
        if not titles and roles:
            titles, roles = roles[:1], roles[1:]
        if titles:
            record.job_title = titles[0]
        record.extra_notes.extend(("job_title", title) for title in titles[1:])
        record.extra_notes.extend(("role", role) for role in roles)

    def _read_channels(self, collected):
        record = self.record
        for prop in collected.get("EMAIL", []):
            value = self.text(prop)
            if value.lower().startswith("mailto:"):
                value = value[7:]
            if value:
                usage, label = self.usage_and_label(prop)
                record.emails.append(
                    ContactValue(value, usage, label, prop.is_preferred)
                )
        for prop in collected.get("TEL", []) + collected.get("X-MS-TEL", []):
            value = _phone_text(self.text(prop))
            if value:
                usage, label = self.usage_and_label(prop)
                record.phones.append(
                    ContactValue(value, usage, label, prop.is_preferred)
                )
        for prop in collected.get("URL", []):
            value = self.text(prop)
            if value:
                usage, label = self.usage_and_label(prop)
                record.websites.append(
                    ContactValue(value, usage, label, prop.is_preferred)
                )
        finish_values(record)

    def _read_addresses(self, collected):
        record = self.record
        labels = []
        for prop in collected.get("LABEL", []):
            usage, _label = self.usage_and_label(prop)
            labels.append((usage, self.text(prop)))
        for prop in collected.get("ADR", []):
            po_box, extended, street, city, region, postal_code, country = (
                self.components(prop, 7)
            )
            usage, label = self.usage_and_label(prop)
            address = ContactAddress(
                usage=usage,
                label=label,
                street=street,
                extended=extended,
                po_box=po_box,
                city=city,
                region=region,
                postal_code=postal_code,
                country=country,
                formatted=clean_text(_unescape(prop.param("LABEL"))),
                is_preferred=prop.is_preferred,
            )
            if address.is_empty():
                continue
            record.addresses.append(address)
        for usage, text in labels:
            if not text:
                continue
            same = [a for a in record.addresses if a.usage == usage]
            if same:
                same[0].formatted = same[0].formatted or text
            elif not record.addresses or usage:
                record.addresses.append(ContactAddress(usage=usage, formatted=text))

    def _read_misc(self, collected):
        record = self.record
        record.notes = [
            note for note in (self.text(p) for p in collected.get("NOTE", [])) if note
        ]
        for prop in collected.get("CATEGORIES", []):
            for part in _split_escaped(self.decoded(prop), ",;"):
                category = clean_text(_unescape(part))
                if category and category not in record.categories:
                    record.categories.append(category)
        self._read_birthday(collected.get("BDAY", []))
        for prop in collected.get("PHOTO", []):
            if record.photo:
                break
            record.photo = self._read_photo(prop)
        # Apple writes its own identifier when it writes no UID.
        uid_properties = collected.get("UID", []) + collected.get("X-ABUID", [])
        uids = [self.text(prop) for prop in uid_properties]
        record.uid = next((uid for uid in uids if uid), "")
        for name in ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER"):
            record.members.extend(
                member
                for member in (self.text(prop) for prop in collected.get(name, []))
                if member
            )

    def _read_birthday(self, properties):
        record = self.record
        invalid, partial = [], []
        for prop in properties:
            value = self.text(prop)
            if not value:
                continue
            parsed = parse_date(value)
            if isinstance(parsed, date):
                record.birthday = parsed
                return
            (partial if parsed else invalid).append(parsed or value)
        if partial:
            record.extra_notes.append(("birthday", partial[0]))
            record.warn("birthday_no_year", value=partial[0])
        for value in invalid:
            record.warn("birthday_invalid", value=value)

    def _read_photo(self, prop):
        value = self.decoded(prop).strip()
        lowered = value[:11].lower()
        if prop.encoding in ("BASE64", "B"):
            data = _base64(prop.raw)
        elif lowered.startswith("data:"):
            header, _comma, payload = value.partition(",")
            if ";base64" in header.lower():
                data = _base64(payload.encode("ascii", "ignore"))
            else:
                data = urllib.parse.unquote_to_bytes(payload)
        elif lowered.startswith(("http://", "https://")):
            self.warn_once("photo_link", url=value)
            return None
        else:
            data = _base64(prop.raw) if _BASE64_LINE.match(prop.raw.strip()) else None
        if data is None:
            self.record.warn("photo_undecodable")
        return data or None

    def _classify(self, collected):
        record = self.record
        kind = self._kind(collected)
        if kind in _UNSUPPORTED_KINDS:
            return ImportIssue(self.number, "entry_kind", {"kind": kind}, ERROR)

        if kind == "group":
            record.kind = GROUP
            record.formatted_name = record.name or record.company_name
            if not record.formatted_name:
                return ImportIssue(self.number, "group_no_name", severity=ERROR)
            return record

        person_name = compose_name(
            record.given_name, record.middle_name, record.family_name
        )
        show_as_company = any(
            self.text(prop).upper() == "COMPANY"
            for prop in collected.get("X-ABSHOWAS", [])
        )
        same_as_company = record.company_name and (
            not record.formatted_name
            or record.formatted_name.casefold() == record.company_name.casefold()
        )
        if (
            kind in _COMPANY_KINDS
            or (show_as_company and not person_name)
            or (not person_name and same_as_company)
        ):
            record.kind = COMPANY
            record.formatted_name = record.company_name or record.formatted_name
            record.company_name = ""
            if record.department:
                record.extra_notes.insert(0, ("department", record.department))
                record.department = ""
            return record if record.formatted_name else self._no_identity()

        record.kind = PERSON
        choose_display_name(record)
        if not record.name:
            return derive_name(record) or self._no_identity()
        return record

    def _kind(self, collected):
        for name in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
            for prop in collected.get(name, []):
                kind = self.text(prop).lower()
                if kind in _PERSON_KINDS | _COMPANY_KINDS | _UNSUPPORTED_KINDS:
                    return kind
                if kind == "group":
                    return kind
        return ""

    def _no_identity(self):
        return ImportIssue(self.number, "entry_empty", severity=ERROR)


def _text_codec(name):
    """Python's name of a declared character set; "" if unknown or not text.

    A hostile CHARSET may name a codec that is no character set at all
    (``base64``, ``zlib``) or hold characters no codec name has.
    """
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return ""
    # Binary codecs (base64, zlib...) are looked up but decode no text.
    try:
        "".encode(info.name)
    except LookupError:
        return ""
    return info.name


def _decode_replacing(data, codec):
    """Decode with "�" for bad bytes; as UTF-8 if the codec cannot even that.

    Some codecs (``idna``, ``punycode``) fail on bad input whatever the
    error handler.
    """
    try:
        return data.decode(codec, errors="replace")
    except (UnicodeError, ValueError):
        return data.decode(charsets.UTF8, errors="replace")


def _phone_text(value):
    """A phone value as people write it: ``tel:`` URIs become plain text."""
    if value.lower().startswith("tel:"):
        value = value[4:]
        number, _semicolon, params = value.partition(";")
        extension = ""
        for param in params.split(";"):
            key, _equals, param_value = param.partition("=")
            if key.strip().lower() == "ext" and param_value:
                extension = param_value.strip()
        value = f"{number} ext. {extension}" if extension else number
    return value.strip()


def _base64(raw):
    data = re.sub(rb"[^A-Za-z0-9+/=_-]", b"", raw)
    data = data.replace(b"-", b"+").replace(b"_", b"/").rstrip(b"=")
    data += b"=" * (-len(data) % 4)
    try:
        return base64.b64decode(data)
    except (binascii.Error, ValueError):
        return None
