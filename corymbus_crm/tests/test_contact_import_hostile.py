"""Damaged and hostile contact files: every problem is explained in the user's
language, the readable entries are imported, nothing is half-written."""

import base64
import csv
import random
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger

from ..importers import parse_contacts
from ..importers.record import MAX_VALUE_LENGTH, web_address
from .contact_import_common import FIXTURES, ContactImportCase, read_fixture

WIZARD_LOGGER = "odoo.addons.corymbus_crm.wizards.corymbus_contact_import"
IMPORTERS_LOGGERS = (
    "odoo.addons.corymbus_crm.importers",
    "odoo.addons.corymbus_crm.importers.vcard",
    "odoo.addons.corymbus_crm.importers.csv_contacts",
)

# Bytes that break quoting, line structure, encodings and property syntax.
HOSTILE_PIECES = (
    b"\x00",
    b"\r",
    b"\n",
    b'"',
    b";",
    b":",
    b"=",
    b",",
    b"\\",
    b"\xff\xfe",
    b"\xc3",
    b"\x80",
    b"BEGIN:VCARD\r\n",
    b"END:VCARD\r\n",
    b";CHARSET=base64",
    b";CHARSET=idna",
    b";CHARSET=\x00",
    b";ENCODING=B",
    b";ENCODING=QUOTED-PRINTABLE",
    b"PHOTO;ENCODING=b:iVBORw0KGgo=\r\n",
    b"URL:javascript:alert(1)\r\n",
)


def hostile_files(count, seed=1906):
    """The same ``count`` damaged copies of the fixtures on every run."""
    rng = random.Random(seed)
    seeds = [path.read_bytes() for path in sorted(FIXTURES.iterdir())]
    files = [
        b'\x00\x01\x02"a\rb',
        b'First Name,Last Name\r\n"Open,quote\r\nAda,Lovelace\r\n',
        b"\xff\xfe\x00\x00\x00",
        b"BEGIN:VCARD\r\nFN;CHARSET=\x00:Ada\r\nEND:VCARD\r\n",
    ]
    while len(files) < count:
        data = bytearray(rng.choice(seeds))
        for _step in range(rng.randint(1, 8)):
            position = rng.randint(0, len(data))
            choice = rng.random()
            if choice < 0.5:
                data[position:position] = rng.choice(HOSTILE_PIECES)
            elif choice < 0.75:
                del data[position : position + rng.randint(1, 40)]
            else:
                data[position:position] = rng.randbytes(rng.randint(1, 6))
        files.append(bytes(data))
    return files


def vcard(*lines):
    return "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(f"{line}\r\n" for line in lines)


def vcards(*cards):
    return "".join(vcard(*lines) + "END:VCARD\r\n" for lines in cards).encode()


@tagged("post_install", "-at_install", "corymbus_import")
class TestContactImportReadersNeverFail(BaseCase):
    """The readers turn any bytes into records and issues, never an exception."""

    @mute_logger(*IMPORTERS_LOGGERS)
    def test_damaged_files_give_records_or_issues(self):
        for index, data in enumerate(hostile_files(400)):
            for name in ("contacts.vcf", "contacts.csv", "contacts"):
                with self.subTest(file=index, name=name):
                    result = parse_contacts(data, name)
                    self.assertTrue(result.records or result.issues)
                    for issue in result.all_issues():
                        # Reasons are codes the wizard words, never the text
                        # of a Python exception.
                        self.assertNotIn("reason", issue.params)

    def test_web_addresses(self):
        cases = {
            "javascript:alert(1)": "",
            "JavaScript:alert(1)": "",
            "vbscript:msgbox": "",
            "data:text/html,<b>x</b>": "",
            "mailto:ada@example.com": "",
            "ftp://files.example.com": "",
            "http://exa mple.com": "",
            "localhost": "",
            "www.example.com": "http://www.example.com",
            "example.com:8080/shop": "http://example.com:8080/shop",
            "https://www.example.com/a?b=1": "https://www.example.com/a?b=1",
            " http://www.example.com/ ": "http://www.example.com/",
            "www.müller.example": "http://www.müller.example",
        }
        for value, expected in cases.items():
            with self.subTest(value):
                self.assertEqual(web_address(value), expected)

    def test_long_values_are_kept_in_the_notes(self):
        name = "N" * 300_000
        title = "T" * 1000
        email = "a" * 300 + "@example.com"
        data = vcards(
            (f"FN:{name}", f"TITLE:{title}", f"EMAIL:{email}", "TEL:+33 1 23 45 67 89")
        )

        (record,) = parse_contacts(data, "long.vcf").records

        self.assertEqual(record.name, "N" * MAX_VALUE_LENGTH)
        self.assertEqual(record.job_title, "T" * MAX_VALUE_LENGTH)
        self.assertEqual(record.emails, [])
        self.assertEqual(
            record.extra_notes,
            [("long_name", name), ("long_job_title", title), ("long_email", email)],
        )
        self.assertEqual(
            [(issue.code, issue.params["field"]) for issue in record.issues],
            [
                ("value_too_long", "long_name"),
                ("value_too_long", "long_job_title"),
                ("value_too_long_left_out", "long_email"),
            ],
        )


@tagged("post_install", "-at_install", "corymbus_import")
class TestContactImportHostileFiles(ContactImportCase):
    """What the user sees when a file is damaged, hostile or too big."""

    def refusal(self, data, file_name, lang="en_US"):
        """The message of the error a preview of the file raises."""
        wizard = (
            self.env["corymbus.contact.import"]
            .with_user(self.importer)
            .with_context(lang=lang)
            .create({"file_data": base64.b64encode(data), "file_name": file_name})
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_preview()
        return caught.exception.args[0]

    def issues(self, wizard):
        return [
            (issue.location, issue.severity, issue.message)
            for issue in wizard.issue_ids
        ]

    def test_refusal_is_one_translated_message(self):
        self.assertEqual(
            self.refusal(b"First Name,Last Name,E-mail Address\r\n", "empty.csv"),
            "This file cannot be imported. It has a line of column names but no "
            "contacts.",
        )
        self.assertEqual(
            self.refusal(b'\x00\x01\x02"a\rb', "g2.vcf"),
            "This file cannot be imported. The file contains no vCard (BEGIN:VCARD).",
        )
        self.assertEqual(
            self.refusal(b"%PDF-1.4\x00\x01binary", "scan.pdf"),
            "This file cannot be imported. It is neither a vCard file nor a "
            "Google, Outlook or Thunderbird CSV export.",
        )

        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["corymbus_crm"], ["fr_FR"])
        self.assertEqual(
            self.refusal(b'\x00\x01\x02"a\rb', "g2.vcf", lang="fr_FR"),
            "Ce fichier ne peut pas être importé. Le fichier ne contient aucune "
            "vCard (BEGIN:VCARD).",
        )
        self.assertEqual(
            self.refusal(b"%PDF-1.4\x00\x01binary", "scan.pdf", lang="fr_FR"),
            "Ce fichier ne peut pas être importé. Ce n'est ni un fichier vCard ni "
            "un export CSV de Google, d'Outlook ou de Thunderbird.",
        )

    @mute_logger(*IMPORTERS_LOGGERS)
    def test_file_the_readers_cannot_read_at_all(self):
        with patch(
            "odoo.addons.corymbus_crm.importers.looks_like_vcard",
            side_effect=RecursionError("maximum recursion depth exceeded"),
        ):
            message = self.refusal(read_fixture("vcard30_ios.vcf"), "ios.vcf")
        self.assertEqual(
            message,
            "This file cannot be imported. Its content is damaged or is not text "
            "that can be read.",
        )

        # An upload that is not even valid base64 (written over RPC).
        wizard = (
            self.env["corymbus.contact.import"]
            .with_user(self.importer)
            .create({"file_data": b"abc", "file_name": "ios.vcf"})
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_preview()
        self.assertEqual(caught.exception.args[0], message)

    @mute_logger(WIZARD_LOGGER, *IMPORTERS_LOGGERS)
    def test_damaged_files_are_refused_or_imported_with_their_problems(self):
        for index, data in enumerate(hostile_files(40, seed=77)):
            for name in ("contacts.vcf", "contacts.csv"):
                with self.subTest(file=index, name=name):
                    before = self.env["res.partner"].search_count([])
                    try:
                        wizard = self.run_import(data, name)
                    except UserError as error:
                        self.assertTrue(
                            error.args[0].startswith("This file cannot be imported. ")
                        )
                        self.assertEqual(
                            self.env["res.partner"].search_count([]), before
                        )
                        continue
                    self.assertEqual(
                        wizard.skipped_count,
                        len(
                            set(
                                wizard.issue_ids.filtered(
                                    lambda issue: (
                                        issue.severity == "error" and issue.number
                                    )
                                ).mapped("number")
                            )
                        ),
                    )
                    for issue in wizard.issue_ids:
                        self.assertNotIn("Error", issue.message)
                        self.assertTrue(issue.location)

    def test_csv_rows_that_break_the_rules_are_listed_in_words(self):
        # Odoo raises the CSV reader's limit on the length of a value; a
        # lower one makes a line that goes beyond it affordable here.
        self.addCleanup(csv.field_size_limit, csv.field_size_limit(100_000))
        data = (
            "First Name,Last Name,E-mail Address\r\n"
            "Ada,Lovelace,ada@example.com\r\n"
            'Bad,"Quote"x,bad@example.com\r\n'
            f"Long,{'x' * 200_000},long@example.com\r\n"
            "Alan,Turing,alan@example.com\r\n"
        ).encode()

        wizard = self.run_import(data, "contacts.csv")

        self.assertEqual(self.counts(wizard), (2, 0, 0, 2))
        self.assertEqual(
            self.issues(wizard),
            [
                (
                    "Line 3",
                    "error",
                    "This line breaks the CSV quoting rules; it was not imported.",
                ),
                (
                    "Line 4",
                    "error",
                    "A value on this line is longer than 100000 characters; the "
                    "line was not imported.",
                ),
            ],
        )
        self.assertTrue(self.find("Alan Turing"))

    @mute_logger(*IMPORTERS_LOGGERS)
    def test_card_that_cannot_be_read_is_listed_and_the_rest_imported(self):
        from ..importers import vcard as vcard_reader

        original = vcard_reader._Card._read_misc

        def failing(card, collected):
            if card.number == 2:
                raise ValueError("Python's own words")
            return original(card, collected)

        data = vcards(
            ("FN:Ada Lovelace", "EMAIL:ada@example.com"),
            ("FN:Bad Card", "EMAIL:bad@example.com"),
            ("FN:Alan Turing", "EMAIL:alan@example.com"),
        )
        with patch.object(vcard_reader._Card, "_read_misc", failing):
            wizard = self.run_import(data, "cards.vcf")

        self.assertEqual(self.counts(wizard), (2, 0, 0, 1))
        self.assertEqual(
            self.issues(wizard),
            [
                (
                    "Card 2",
                    "error",
                    "The entry could not be read; it was not imported.",
                )
            ],
        )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Bad Card")]))

    def test_photo_that_breaks_the_image_library_is_left_out(self):
        data = vcards(
            (
                "FN:Ada Lovelace",
                "EMAIL:ada@example.com",
                "PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgoAAAANSUhEUg==",
            )
        )
        with patch(
            "odoo.addons.corymbus_crm.wizards.corymbus_contact_import.ImageProcess",
            side_effect=ZeroDivisionError("division by zero"),
        ):
            wizard = self.run_import(data, "photo.vcf")

        self.assertEqual(self.counts(wizard), (1, 0, 0, 0))
        self.assertFalse(self.find("Ada Lovelace").image_1920)
        self.assertEqual(
            self.issues(wizard),
            [("Card 1", "warning", "The photo is not a valid image; it was left out.")],
        )

    @mute_logger(WIZARD_LOGGER, "odoo.sql_db")
    def test_value_the_database_refuses_fails_only_its_entry(self):
        # Without the length limit, the name is too long for its index: the
        # database refuses that card only.
        data = vcards(
            ("FN:" + "N" * 300_000, "EMAIL:long@example.com"),
            ("FN:Ada Lovelace", "EMAIL:ada@example.com"),
        )
        with patch(
            "odoo.addons.corymbus_crm.importers.limit_lengths",
            side_effect=lambda record: record,
        ):
            preview = self.run_import(data, "long.vcf", preview=True)
            wizard = self.run_import(data, "long.vcf")

        for result in (preview, wizard):
            self.assertEqual(self.counts(result), (1, 0, 0, 1))
            self.assertEqual(
                self.issues(result),
                [
                    (
                        "Card 1",
                        "error",
                        "Not imported. An unexpected error occurred; see the server "
                        "log.",
                    )
                ],
            )
        self.assertTrue(self.find("Ada Lovelace"))
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "long@example.com")])
        )

    def test_long_values_are_shortened_and_kept_whole_in_the_notes(self):
        name = "Ñ" * 300_000
        company = "C" * 5000
        email = "a" * 300 + "@example.com"
        note = "Long note. " * 30_000
        data = vcards(
            (
                f"FN:{name}",
                f"ORG:{company}",
                f"EMAIL:{email}",
                "TEL:+33 1 23 45 67 89",
                f"NOTE:{note}",
            ),
            ("FN:Ada Lovelace", "EMAIL:ada@example.com"),
        )

        preview = self.run_import(data, "long.vcf", preview=True)
        self.assertEqual(self.counts(preview), (2, 0, 0, 0))
        wizard = self.run_import(data, "long.vcf")

        self.assertEqual(self.counts(wizard), (2, 0, 0, 0))
        person = self.find("Ñ" * MAX_VALUE_LENGTH)
        self.assertEqual(person.parent_id.name, "C" * MAX_VALUE_LENGTH)
        self.assertFalse(person.email)
        self.assertEqual(self.emails(person), [])
        self.assertEqual(person.phone, "+33 1 23 45 67 89")
        comment = self._plain(person.comment)
        for value in (name, company, email, note.strip()):
            self.assertIn(value, comment)
        self.assertEqual(
            [message for _where, _severity, message in self.issues(wizard)],
            [
                "“Full name” is longer than 256 characters: it was shortened and "
                "kept whole in the notes.",
                "“Company name” is longer than 256 characters: it was shortened "
                "and kept whole in the notes.",
                "“E-mail” is longer than 256 characters, too long to be right: it "
                "was left out and kept in the notes.",
            ],
        )
        self.assertTrue(self.find("Ada Lovelace"))

        again = self.run_import(data, "long.vcf")
        self.assertEqual(self.counts(again), (0, 0, 2, 0))

    def _plain(self, html):
        wizard = self.env["corymbus.contact.import"]
        return wizard._plain(html)

    def test_only_web_addresses_become_websites(self):
        data = vcards(
            (
                "FN:Ada Lovelace",
                "EMAIL:ada@example.com",
                "URL:javascript:alert(1)",
                "URL:www.lovelace.example",
                "URL:ftp://files.lovelace.example",
            )
        )

        wizard = self.run_import(data, "web.vcf")

        ada = self.find("Ada Lovelace")
        self.assertEqual(ada.website, "http://www.lovelace.example")
        self.assertEqual(self.channels(ada, "website"), [])
        self.assertEqual(
            [message for _where, _severity, message in self.issues(wizard)],
            [
                "“javascript:alert(1)” is not a web address (http or https); it "
                "was left out.",
                "“ftp://files.lovelace.example” is not a web address (http or "
                "https); it was left out.",
            ],
        )

        csv = (
            b"First Name,Last Name,E-mail Address,Web Page\r\n"
            b"Alan,Turing,alan@example.com,javascript:alert(1)\r\n"
        )
        wizard = self.run_import(csv, "web.csv")
        self.assertFalse(self.find("Alan Turing").website)
        self.assertEqual(wizard.warning_count, 1)


@tagged("post_install", "-at_install", "corymbus_import")
class TestContactImportMatching(ContactImportCase):
    """A contact is found by e-mail or phone, never by a name alone when an
    e-mail or phone could tell two people apart."""

    def test_name_does_not_merge_a_contact_with_an_email_into_another(self):
        xia = self.env["res.partner"].create({"name": "Xia Example"})
        data = b"First Name,Last Name,E-mail Address\r\nXia,Example,xia@example.com\r\n"

        wizard = self.run_import(data, "xia.csv")

        self.assertEqual(self.counts(wizard), (1, 0, 0, 0))
        self.assertFalse(xia.email)
        namesakes = self.env["res.partner"].search([("name", "=", "Xia Example")])
        self.assertEqual(len(namesakes), 2)
        self.assertEqual((namesakes - xia).email, "xia@example.com")

        # The file's contact is found by its e-mail from now on.
        again = self.run_import(data, "xia.csv")
        self.assertEqual(self.counts(again), (0, 0, 1, 0))

    def test_name_does_not_merge_an_entry_into_a_contact_with_a_phone(self):
        zoe = self.env["res.partner"].create(
            {"name": "Zoé Example", "phone": "+33 1 00 00 00 01"}
        )
        data = b"First Name,Last Name,Job Title\r\nZo\xc3\xa9,Example,Chef\r\n"

        wizard = self.run_import(data, "zoe.csv")

        self.assertEqual(self.counts(wizard), (1, 0, 0, 0))
        self.assertFalse(zoe.function)

    def test_email_matches_ignoring_case_and_phone_needs_the_name(self):
        yan = self.env["res.partner"].create(
            {"name": "Yan Example", "email": "Yan@Example.com"}
        )
        other = self.env["res.partner"].create(
            {"name": "Somebody Else", "phone": "+33 1 00 00 00 02"}
        )
        data = (
            b"First Name,Last Name,E-mail Address,Mobile Phone\r\n"
            b"Yan,Example,yan@EXAMPLE.com,\r\n"
            b"Wen,Example,,+33 1 00 00 00 02\r\n"
        )

        wizard = self.run_import(data, "matching.csv")

        self.assertEqual(self.counts(wizard), (1, 0, 1, 0))
        self.assertEqual(yan.email, "Yan@Example.com")
        self.assertEqual(other.name, "Somebody Else")
        self.assertTrue(self.find("Wen Example"))

    def test_entry_with_only_a_name_is_not_duplicated_by_a_second_import(self):
        data = b"First Name,Last Name,Job Title\r\nVal,Example,Chef\r\n"

        first = self.run_import(data, "names.csv")
        again = self.run_import(data, "names.csv")

        self.assertEqual(self.counts(first), (1, 0, 0, 0))
        self.assertEqual(self.counts(again), (0, 0, 1, 0))
        self.assertEqual(self.find("Val Example").function, "Chef")

    def test_contact_found_by_its_name_alone_is_only_completed(self):
        una = self.env["res.partner"].create(
            {"name": "Una Example", "function": "Baker"}
        )
        data = (
            b"First Name,Last Name,Job Title,Department\r\nUna,Example,Chef,Sales\r\n"
        )

        wizard = self.run_import(data, "una.csv")

        self.assertEqual(self.counts(wizard), (0, 1, 0, 0))
        self.assertEqual((una.function, una.department), ("Baker", "Sales"))
