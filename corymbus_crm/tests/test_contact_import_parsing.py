"""The contact file readers, tested on the module's own fixtures, without a
database: each fixture reproduces one quirk of a real address book export."""

import unicodedata
from datetime import date

from odoo.tests import BaseCase, tagged

from ..importers import parse_contacts
from ..importers.charset import guess_charset
from ..importers.record import COMPANY, GROUP, parse_date, phone_match_key
from .contact_import_common import read_fixture


def parse(name):
    return parse_contacts(read_fixture(name), name)


def codes(result, severity=None):
    return [
        (issue.number, issue.code)
        for issue in result.all_issues()
        if severity is None or issue.severity == severity
    ]


@tagged("post_install", "-at_install", "corymbus_import")
class TestContactImportParsingVcard(BaseCase):
    """vCard 2.1, 3.0 and 4.0 quirks."""

    def test_android_qp_soft_breaks_and_nameless_card(self):
        result = parse("vcard21_android_qp.vcf")
        nameless, renee, odile = result.records

        self.assertEqual(result.entry_count, 3)
        self.assertEqual(nameless.name, "paulette.ravel@example.org")
        self.assertTrue(nameless.is_name_derived)
        self.assertEqual(nameless.categories, ["Book Club"])

        # An unindented QP continuation line belongs to the value.
        self.assertEqual(renee.name, "Renée Châtelain")
        self.assertEqual(
            renee.notes,
            ["Première note qui se poursuit sur la ligne suivante", "Seconde note"],
        )
        self.assertEqual(
            [(p.value, p.usage) for p in renee.phones],
            [
                ("+33 6 12 34 56 78", "mobile"),
                ("+33 6 12 34 56 78", "work"),
                ("01 23 45 67 89", "fax"),
            ],
        )

        # A soft break onto a blank line ends the value; the lone =80 byte is
        # replaced and reported, the card still read.
        self.assertEqual(odile.company_name, "Les Ateliers Réunis")
        self.assertEqual(
            odile.extra_notes, [("organization", "Ancien Employeur\ufffd")]
        )
        self.assertEqual(
            [w.value for w in odile.websites], ["http://www.ateliers-reunis.example"]
        )
        self.assertTrue(odile.photo.startswith(b"\x89PNG"))
        self.assertIn((3, "charset_invalid_bytes"), codes(result))

    def test_apple_item_labels_escapes_and_lf_photo(self):
        (record,) = parse("vcard30_apple_labels.vcf").records

        self.assertEqual(record.name, "Dr. Lucas Marin,Hugo Fontaine Jr.")
        self.assertEqual(record.middle_name, "Marin,Hugo")
        self.assertEqual(
            (record.company_name, record.department), ("Verrerie Fontaine", "Atelier")
        )
        self.assertEqual(record.phones[1].label, "AssistantPhone")
        self.assertEqual(
            record.websites[0].value, "http://www.verrerie-fontaine.example"
        )
        self.assertEqual(record.addresses[1].street, "Quai 4\nBâtiment 6")
        self.assertEqual(record.birthday, date(1979, 4, 2))
        self.assertEqual(record.uid, "0F1E2D3C-1111-2222-3333-444455556666:ABPerson")
        self.assertTrue(record.photo.startswith(b"\x89PNG"))

    def test_outlook_qp_label_tab_note_callback_and_broken_photo(self):
        result = parse("vcard21_outlook_label.vcf")
        (record,) = result.records

        self.assertEqual(record.name, "Mme Mathilde Garnier")
        self.assertEqual(
            (record.given_name, record.family_name), ("Mathilde", "Garnier")
        )
        self.assertEqual(
            record.notes, ["Premiere ligne\t\nDeuxieme ligne\nTroisieme ligne"]
        )
        self.assertEqual(record.birthday, date(1985, 7, 22))
        self.assertEqual(record.addresses[0].formatted, "8 chemin du Lac\n74000 Annecy")
        self.assertTrue(record.addresses[0].is_preferred)
        self.assertEqual(
            [(p.value, p.label) for p in record.phones][-1],
            ("(450) 555-0103", "CALLBACK"),
        )
        # The 2-byte "JPEG" decodes; the wizard finds it is no image.
        self.assertEqual(record.photo, b"\xff\xd9")
        self.assertFalse(codes(result, "error"))

    def test_evolution_folds_tabs_quoted_params_no_final_newline(self):
        (record,) = parse("vcard30_evolution_folded.vcf").records

        self.assertEqual(record.phones[0].value, "06 98 76 54 32")
        self.assertEqual(record.emails[0].value, "gaspard.lemoine@example.com")
        self.assertEqual(record.addresses[0].po_box, "BP 42")
        self.assertEqual(record.addresses[0].country, "France")
        self.assertEqual(record.department, "Ventes, Export")
        self.assertEqual(record.categories, ["VIP"])
        self.assertEqual(record.uid, "evo-6f1c2b")

    def test_company_cards(self):
        (apple,) = parse("vcard30_company_showas.vcf").records
        (kind_org,) = parse("vcard40_kind_org.vcf").records

        self.assertEqual(
            (apple.kind, apple.name), (COMPANY, "Brasserie des Trois Ponts")
        )
        self.assertEqual(apple.addresses[0].city, "Dinant")
        self.assertEqual(
            (kind_org.kind, kind_org.name), (COMPANY, "Coopérative Olivier")
        )

    def test_qp_without_charset_reads_central_european(self):
        result = parse("vcard21_qp_no_charset.vcf")
        (record,) = result.records

        self.assertEqual(record.name, "Bożena Krzyżańska")
        self.assertEqual(result.encoding, "cp1250")
        self.assertIn((1, "charset_guessed"), codes(result))

    def test_utf16_with_and_without_bom(self):
        for name, encoding in (
            ("vcard30_utf16be_nobom.vcf", "utf-16-be"),
            ("vcard30_utf16le_bom.vcf", "utf-16-le"),
        ):
            with self.subTest(name):
                result = parse(name)
                (record,) = result.records
                self.assertEqual(result.encoding, encoding)
                self.assertEqual(record.name, "Ŀudmila Ŧrnková")
                self.assertEqual(record.addresses[0].street, "7 Ulice Ořechová")

    def test_photo_only_card_is_reported(self):
        result = parse("vcard21_photo_only.vcf")

        self.assertFalse(result.records)
        self.assertEqual(codes(result, "error"), [(1, "entry_empty")])

    def test_fn_and_org_without_n(self):
        (record,) = parse("vcard21_fn_org_only.vcf").records

        self.assertEqual(
            (record.given_name, record.family_name), ("Anneliese", "Brückner")
        )
        self.assertEqual(record.company_name, "Spedition Nordlicht")
        self.assertEqual(record.addresses[0].city, "Köln")
        self.assertEqual(record.addresses[0].usage, "work")

    def test_cardbook_family_first_fn_invalid_birthday_text_phones(self):
        result = parse("vcard40_cardbook.vcf")
        henrike, jonas = result.records

        self.assertEqual(henrike.name, "Henrike Vogel")
        self.assertTrue(henrike.emails[0].is_preferred)
        # FN adds the nickname and organisation: the name parts win.
        self.assertEqual(jonas.name, "Prof. Jonas Emil Haas sen.")
        self.assertIsNone(jonas.birthday)
        self.assertEqual([p.value for p in jonas.phones], ["Festnetz", "Handy"])
        self.assertIn((2, "birthday_invalid"), codes(result))
        self.assertIn((2, "phone_no_digits"), codes(result))

    def test_groups_same_uid_several_n(self):
        result = parse("vcard40_groups.vcf")
        chidi, nameless, amara, group = result.records

        self.assertEqual(result.entry_count, 5)
        self.assertEqual(chidi.name, "Chidi Okafor")
        self.assertIn((1, "name_several"), codes(result))
        self.assertTrue(nameless.is_name_derived)
        # Cards 3 and 4 share a UID: one contact with both e-mails.
        self.assertEqual(amara.merged_numbers, [4])
        self.assertEqual(
            [e.value for e in amara.emails],
            ["amara@eze.example", "amara.work@eze.example"],
        )
        self.assertEqual(amara.phones[0].value, "+1-555-010-2030 ext. 7")
        self.assertEqual(amara.extra_notes, [("birthday", "--06-12")])
        self.assertEqual(group.kind, GROUP)
        self.assertEqual(group.name, "Reading Circle")
        self.assertEqual(len(group.members), 3)

    def test_multi_org_title_altid_birthday(self):
        result = parse("vcard40_multi_org.vcf")
        (record,) = result.records

        self.assertEqual(
            (record.company_name, record.department), ("Studio Marchetti", "Progetti")
        )
        self.assertEqual(record.job_title, "Architetta")
        self.assertIn(
            ("organization", "Università di Parma, Architettura"), record.extra_notes
        )
        self.assertIn(("job_title", "Docente"), record.extra_notes)
        self.assertEqual(record.birthday, date(1988, 3, 15))
        self.assertEqual(record.emails[1].label, "customtype")
        self.assertEqual(record.phones[1].usage, "fax")
        self.assertIsNone(record.photo)
        self.assertEqual(codes(result), [(1, "photo_link")])

    def test_xing_latin1_type_params_blank_lf_line(self):
        result = parse("vcard21_xing_latin1.vcf")
        kjeld, inge = result.records

        self.assertEqual(kjeld.name, "Kjeld Sørensen")
        self.assertEqual(kjeld.job_title, "Skibsmægler")
        self.assertTrue(kjeld.emails[0].is_preferred)
        self.assertEqual(kjeld.phones[0].usage, "mobile")
        self.assertEqual(len(kjeld.addresses), 1, "the empty home address is dropped")
        self.assertEqual(kjeld.addresses[0].city, "København")
        self.assertEqual(kjeld.uid, "XING-EX-1")
        # N (Dahl Inge) and FN disagree: FN is the name.
        self.assertEqual(inge.name, "Inge Dahl-Berg")

    def test_qp_in_v30_show_as_company_with_person(self):
        (record,) = parse("vcard30_qp_showas_person.vcf").records

        self.assertEqual(record.name, "Nora Keller")
        self.assertEqual(record.company_name, "Bäckerei Keller")
        self.assertEqual(record.emails[0].value, "nora@baeckerei-keller.example")
        self.assertEqual(record.notes, ["Brot, Kuchen\n[Offen täglich]"])
        self.assertEqual(record.addresses[0].city, "Zürich")

    def test_ios_fn_differs_from_n(self):
        ilse, ren, yuki = parse("vcard30_ios.vcf").records

        self.assertEqual(ilse.name, "Ilse")
        self.assertEqual(ren.name, "Ren Maple")
        self.assertEqual(yuki.middle_name, "Yu")
        self.assertEqual([p.usage for p in yuki.phones], ["mobile", "home"])

    def test_bom_cyrillic_is_nfc_and_label_uses_its_own_charset(self):
        (record,) = parse("vcard21_bom_cyrillic.vcf").records

        self.assertEqual(record.name, unicodedata.normalize("NFC", record.name))
        self.assertEqual(record.family_name, "Ковале́нко")
        self.assertEqual(record.addresses[0].city, "Львів")
        self.assertEqual(record.addresses[0].formatted, "Львів")

    def test_broken_structure_is_reported_and_the_rest_read(self):
        result = parse("vcard_broken.vcf")

        self.assertEqual(
            [r.name for r in result.records],
            ["Armand Ciel", "Bérénice Lune", "Corentin Soleil"],
        )
        self.assertEqual(
            codes(result),
            [(1, "card_not_closed"), (2, "card_line_unreadable"), (3, "entry_empty")],
        )


@tagged("post_install", "-at_install", "corymbus_import")
class TestContactImportParsingCsv(BaseCase):
    """Google, Outlook and Thunderbird CSV layouts."""

    def test_google_legacy(self):
        result = parse("google_legacy.csv")
        (record,) = result.records

        self.assertEqual(result.file_format, "google_csv")
        self.assertEqual(record.name, "Dr. Élise Anne Morel")
        self.assertEqual(record.nickname, "Lili")
        self.assertEqual(record.notes, ['says "hello"'])
        self.assertEqual(record.categories, ["Suppliers"])
        self.assertEqual(
            (record.emails[0].value, record.emails[0].is_preferred),
            ("elise@morel.example", True),
        )
        self.assertEqual(len(record.emails), 3)
        self.assertEqual(record.addresses[0].po_box, "BP 7")
        self.assertEqual(record.addresses[0].formatted.count("\n"), 3)
        self.assertEqual(
            (record.company_name, record.job_title), ("Morel Conseil", "Consultante")
        )
        self.assertEqual(record.birthday, date(1982, 5, 17))

    def test_google_crlf_inside_quotes(self):
        result = parse("google_legacy_crlf.csv")

        self.assertEqual([r.number for r in result.records], [2, 3, 4, 5])
        wanda, ola = result.records[2], result.records[3]
        self.assertEqual(wanda.categories, ["klienci"])
        self.assertEqual(ola.addresses[0].street, "ul. Długa 5")
        self.assertEqual(ola.addresses[0].formatted, "Długa 5\nGdańsk")

    def test_google_new_layout_multiple_values(self):
        result = parse("google_new.csv")
        (record,) = result.records

        self.assertEqual(record.name, "Håkon Lund")
        self.assertEqual(record.categories, ["Crew"])
        self.assertEqual(len(record.emails), 2)
        self.assertEqual(len(record.phones), 2)
        self.assertEqual(record.extra_notes, [("birthday", "--12-24")])

    def test_outlook_email_columns_only(self):
        (record,) = parse("outlook_emails_only.csv").records

        self.assertEqual(record.name, "first@mail.example")
        self.assertEqual(len(record.emails), 3)

    def test_outlook_japanese_headers_in_shift_jis(self):
        result = parse("outlook_japanese_sjis.csv")
        (record,) = result.records

        self.assertEqual(
            (result.file_format, result.encoding), ("outlook_csv", "cp932")
        )
        self.assertEqual(record.name, "Erika Sommer")
        self.assertEqual(record.birthday, date(1991, 3, 2))
        self.assertEqual(record.addresses[0].city, "Siegen")
        self.assertEqual(record.phones[0].usage, "mobile")

    def test_outlook_english_windows_1252(self):
        result = parse("outlook_english_cp1252.csv")
        (record,) = result.records

        self.assertEqual(record.name, "Mr. Rémi Lefèvre")
        self.assertEqual(record.birthday, date(1975, 7, 14))
        self.assertEqual(record.categories, ["Clients", "Fromage"])
        self.assertEqual([e.value for e in record.emails], ["remi@fromagerie.example"])
        self.assertIn((2, "email_exchange"), codes(result))
        self.assertEqual([a.usage for a in record.addresses], ["work", "home"])

    def test_thunderbird(self):
        (record,) = parse("thunderbird.csv").records

        self.assertEqual(record.name, "Aurel Vasseur")
        self.assertEqual(
            (record.given_name, record.family_name), ("Aurélien", "Vasseur")
        )
        self.assertEqual(record.birthday, date(1977, 9, 8))
        self.assertEqual(record.department, "Atelier")
        self.assertEqual(len(record.phones), 2)

    def test_broken_rows_are_reported_with_their_line(self):
        result = parse("csv_broken.csv")

        self.assertEqual(
            [r.name for r in result.records], ["Bastien Roux", "Denis Vert"]
        )
        self.assertEqual(
            codes(result, "error"), [(3, "csv_bad_row"), (5, "csv_unclosed_quote")]
        )


@tagged("post_install", "-at_install", "corymbus_import")
class TestContactImportParsingRules(BaseCase):
    """Small rules the readers share."""

    def test_nul_bytes_are_dropped(self):
        """A damaged file's NUL bytes never reach a value (no column holds them)."""
        data = (
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\x00 Lee\r\n"
            b"EMAIL:ann\x00@lee.example\r\nEND:VCARD\r\n\x00\xff"
        )
        result = parse_contacts(data, "damaged.vcf")
        self.assertEqual(len(result.records), 1)
        record = result.records[0]
        self.assertEqual([email.value for email in record.emails], ["ann@lee.example"])
        self.assertNotIn("\x00", repr(record))

    def test_phone_match_key(self):
        self.assertEqual(phone_match_key("+33 (0)6 12-34.56"), "+3306123456")
        self.assertEqual(phone_match_key("0033 6 12 34 56"), "+336123456")
        self.assertEqual(phone_match_key("+1 418 555 0142 ext. 102"), "+14185550142")
        self.assertEqual(phone_match_key("tel:+1-555-0100"), "+15550100")
        self.assertEqual(phone_match_key("Privattelefon"), "")

    def test_parse_date(self):
        self.assertEqual(parse_date("1980-03-22"), date(1980, 3, 22))
        self.assertEqual(parse_date("19800322"), date(1980, 3, 22))
        self.assertEqual(parse_date("19531015T231000Z"), date(1953, 10, 15))
        self.assertEqual(parse_date("22.03.1980"), date(1980, 3, 22))
        self.assertEqual(parse_date("3/22/1980"), date(1980, 3, 22))
        self.assertEqual(parse_date("--0203"), "--02-03")
        self.assertEqual(parse_date("1604-02-03"), "--02-03")
        self.assertIsNone(parse_date("19723101"))
        self.assertIsNone(parse_date("circa 1800"))

    def test_guess_charset(self):
        self.assertEqual(guess_charset(["Gdańsk Łódź".encode("cp1250")]), "cp1250")
        self.assertEqual(guess_charset(["Müller Straße".encode("cp1252")]), "cp1252")
        self.assertEqual(guess_charset(["Привет Мир".encode("cp1251")]), "cp1251")

    def test_unknown_and_empty_files(self):
        self.assertEqual(
            codes(parse_contacts(b"%PDF-1.4 binary", "x.pdf")),
            [(0, "file_unknown_format")],
        )
        self.assertEqual(codes(parse_contacts(b"  \n", "x.vcf")), [(0, "file_empty")])
        self.assertEqual(
            codes(parse_contacts(b"Foo,Bar\n1,2\n", "x.csv")),
            [(1, "csv_unknown_layout")],
        )
