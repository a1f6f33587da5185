"""Readers of contact exports: vCard files and Google, Outlook, Thunderbird CSV.

Plain Python without Odoo: :func:`parse_contacts` takes the bytes of a file
and returns a :class:`~.record.ParseResult` of records and issues.
"""

import dataclasses
import logging

from .csv_contacts import looks_like_csv, parse_csv
from .record import ERROR, ContactRecord, ImportIssue, ParseResult, limit_lengths
from .vcard import looks_like_vcard, parse_vcards

__all__ = [
    "ERROR",
    "ContactRecord",
    "ImportIssue",
    "ParseResult",
    "parse_contacts",
]

_logger = logging.getLogger(__name__)


def parse_contacts(data, filename=""):
    """Read a contact export, telling vCard from CSV by content, then name.

    NUL characters, which a damaged file may carry and no database column can
    hold, are dropped from every value read, and over-long values are kept
    out of their fields (see :func:`~.record.limit_lengths`).

    No reading error escapes: an entry that cannot be read is an issue with
    its number, and a file that cannot be read at all gives a single
    ``file_unreadable`` issue, so the caller always has something to explain.
    """
    try:
        result = _without_nul(_parse_contacts(data, filename))
        for record in result.records:
            limit_lengths(record)
    except Exception:  # a damaged file must give a message, never a traceback
        _logger.warning("Contact file %s could not be read", filename, exc_info=True)
        return ParseResult(
            file_format="",
            issues=[ImportIssue(0, "file_unreadable", severity=ERROR)],
        )
    return result


def _without_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_without_nul(item) for item in value)
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            setattr(value, item.name, _without_nul(getattr(value, item.name)))
    return value


def _parse_contacts(data, filename):
    if not data or not data.strip():
        return ParseResult(
            file_format="", issues=[ImportIssue(0, "file_empty", severity=ERROR)]
        )
    if looks_like_vcard(data):
        return parse_vcards(data)
    if looks_like_csv(data) or filename.lower().endswith(".csv"):
        return parse_csv(data)
    if filename.lower().endswith((".vcf", ".vcard")):
        return parse_vcards(data)
    return ParseResult(
        file_format="", issues=[ImportIssue(0, "file_unknown_format", severity=ERROR)]
    )
