"""Real exports from other address books, kept in the shared cases folder
beside the repository (their licences keep them out of the project). Each
test checks what the folder's README says a correct import must give.

When the folder is missing the tests are skipped, not passed.
"""

from datetime import date
from pathlib import Path

from odoo.modules import get_module_path
from odoo.tests import tagged

from ..importers import parse_contacts
from .contact_import_common import ContactImportCase


def shared_cases_folder():
    """``shared/cases/files`` beside the repository holding this addon."""
    repository = Path(get_module_path("corymbus_crm")).resolve().parent
    return repository.parent / "shared" / "cases" / "files"


@tagged("post_install", "-at_install", "corymbus_import")
class TestContactImportCases(ContactImportCase):
    """Every vCard and CSV file of the shared cases, as its README says."""

    def setUp(self):
        super().setUp()
        self.folder = shared_cases_folder()
        if not (self.folder / "vcard").is_dir():
            self.skipTest(f"shared cases folder not found at {self.folder}")

    def data(self, name):
        return (self.folder / name).read_bytes()

    def import_case(self, name):
        """Import a case file; importing it again must change nothing."""
        wizard = self.run_import(self.data(name), Path(name).name)
        again = self.run_import(self.data(name), Path(name).name)
        self.assertEqual(
            self.counts(again)[:2], (0, 0), f"re-importing {name} changed something"
        )
        return wizard

    def parsed(self, name):
        return parse_contacts(self.data(name), name).records

    def messages(self, wizard, location):
        return wizard.issue_ids.filtered(lambda i: i.location == location).mapped(
            "message"
        )

    def test_01_android_qp_multicard(self):
        wizard = self.import_case("vcard/01_android21_qp_utf8_multicard.vcf")

        self.assertEqual(self.counts(wizard), (6, 0, 0, 0))
        for email in ("john.doe@example.com", "jane.doe@example.com"):
            self.assertEqual(self.find(email).email, email)
        self.assertEqual(self.phones(self.find("Ñ Ñ Ñ Ñ Ñ")), ["123456789"])
        eleven = self.find(" ".join(["Ñ"] * 11))
        self.assertEqual(len(self.phones(eleven)), 4)
        # Its two NOTE properties are identical: read twice, written once.
        notes = self.parsed("vcard/01_android21_qp_utf8_multicard.vcf")[3].notes
        self.assertEqual(len(notes), 2)
        self.assertIn(notes[0], eleven.comment)
        bob = self.find("Ñ Ñ Ñ Ñ")
        self.assertEqual(len(self.phones(bob)), 3)
        self.assertEqual(len(self.emails(bob)), 2)
        self.assertEqual(bob.parent_id.name, "Ñ" * 12)
        self.assertEqual(bob.website, "http://www.example.com")
        self.assertTrue(any("�" in m for m in self.messages(wizard, "Card 6")))
        tag = self.env["res.partner.category"].search([("name", "=", "My Contacts")])
        self.assertEqual(len(tag.partner_ids), 5, "card 5 has no CATEGORIES")

    def test_03_apple_item_labels(self):
        self.import_case("vcard/03_apple_addressbook_abuid_itemlabels.vcf")

        john = self.find("Mr. John Richter,James Doe Sr.")
        (record,) = self.parsed("vcard/03_apple_addressbook_abuid_itemlabels.vcf")
        self.assertEqual(record.middle_name, "Richter,James")
        self.assertEqual(john.parent_id.name, "IBM")
        self.assertEqual(len(self.emails(john)), 1)
        self.assertEqual(len(self.phones(john)), 7)
        self.assertEqual(
            (john.street, john.street2), ("Street4", "Building 6, Floor 8")
        )
        self.assertEqual(len(self.other_addresses(john)), 1)
        self.assertTrue(john.image_1920)

    def test_04_outlook_label_qp_photo(self):
        self.import_case("vcard/04_outlook_v21_label_qp_photo.vcf")

        john = self.find("Mr. John Richter James Doe Sr.")
        self.assertEqual(john.parent_id.name, "IBM")
        self.assertEqual(self.phones(john), ["(905) 555-1234", "(905) 666-1234"])
        self.assertEqual(john.street, "Cresent moon drive", "the work address")
        self.assertEqual(self.other_addresses(john).street, "Silicon Alley 5,")
        self.assertEqual(john.email, "john.doe@example.cm")
        self.assertEqual(john.birthday, date(1980, 3, 22))
        self.assertEqual(john.website, "http://www.ibm.com")
        self.assertTrue(john.image_1920)

    def test_05_outlook2007_note_callback(self):
        self.import_case("vcard/05_outlook2007_qp_note_key_photo.vcf")

        niko = self.find("Mr. Nikolas Valdorf Jr.")
        (record,) = self.parsed("vcard/05_outlook2007_qp_note_key_photo.vcf")
        self.assertEqual(
            (record.given_name, record.family_name), ("Nikolas", "Valdorf")
        )
        self.assertEqual(
            (niko.parent_id.name, niko.function), ("TheCompany", "TheJobTitle")
        )
        self.assertEqual(len(record.notes[0].splitlines()), 4)
        self.assertIn("It does not preserve the formatting", niko.comment)
        self.assertEqual(len(self.phones(niko)), 5, "4 phones and the callback")
        company = niko.parent_id
        self.assertEqual(
            (company.street, company.city, company.state_id.code, company.zip),
            ("222 Broadway", "New York", "NY", "99999"),
        )
        self.assertEqual(company.country_id.code, "US")
        self.assertEqual(niko.birthday, date(1922, 3, 10))
        self.assertEqual(len(self.emails(niko)), 1)
        # The README calls the photo broken, but the file's photo is a whole
        # 72x86 JPEG ending in /9k=; a really broken one is in test_contact_import.
        self.assertTrue(niko.image_1920)

    def test_06_evolution_no_final_newline(self):
        self.import_case("vcard/06_evolution_couchdb_no_final_newline.vcf")

        john = self.find("Mr. John Richter, James Doe Sr.")
        self.assertEqual(john.parent_id.name, "IBM")
        self.assertEqual(john.category_id.mapped("name"), ["VIP"])
        self.assertEqual(sorted(self.phones(john)), ["905-555-1234", "905-666-1234"])
        self.assertEqual(john.email, "john.doe@example.com")
        self.assertEqual(john.birthday, date(1980, 3, 22))

    def test_07_google_legacy_vcard(self):
        self.import_case("vcard/07_google_legacy_multi_email_itemlabels.vcf")

        vcard = self.find("VCard Test")
        self.assertEqual(vcard.parent_id.name, "TheCompany")
        self.assertEqual(len(self.emails(vcard)), 5)
        self.assertEqual(len(self.phones(vcard)), 11)
        self.assertEqual(1 + len(self.other_addresses(vcard)), 5)
        self.assertEqual(vcard.birthday, date(1912, 6, 23))
        self.assertEqual(vcard.website, "http://www.example1.com")
        self.assertEqual(len(self.channels(vcard, "website")), 5)

    def test_09_apple_company_only(self):
        self.import_case("vcard/09_apple_company_only_showas_company.vcf")

        apple = self.find("Apple Computer AG")
        self.assertTrue(apple.is_company)
        self.assertFalse(apple.child_ids)
        self.assertEqual(
            (apple.street, apple.zip, apple.city, apple.country_id.code),
            ("Birgistrasse 4a", "8304", "Wallisellen-Zürich", "CH"),
        )
        self.assertEqual(apple.website, "http://www.apple.ch")
        self.assertTrue(apple.image_1920)

    def test_10_thebat_latin2(self):
        wizard = self.import_case("vcard/10_thebat_qp_no_charset_latin2.vcf")

        marek = self.find("Marek Zieliński")
        self.assertEqual(marek.email, "marek.zielinski@somedomain.example")
        self.assertTrue(self.messages(wizard, "Card 1"), "the guess is reported")

    def test_11_utf16be_without_bom(self):
        self.import_case("vcard/11_apple_utf16be_no_bom.vcf")

        person = self.find("Ǽgean ĽdaMonté")
        (record,) = self.parsed("vcard/11_apple_utf16be_no_bom.vcf")
        self.assertEqual((record.given_name, record.family_name), ("Ǽgean", "ĽdaMonté"))
        # The file spells "Mária" (README: "María").
        self.assertEqual(person.street, "169 Mária Canal")
        self.assertEqual((person.city, person.zip), ("LaPaz", "245-876"))
        self.assertEqual(person.country_id.code, "PE")
        self.assertIn("Conceptión", person.comment)

    def test_13_photo_only(self):
        partners = self.env["res.partner"].search_count([])

        wizard = self.import_case("vcard/13_v21_photo_only_no_fn_no_n.vcf")

        self.assertEqual(self.counts(wizard), (0, 0, 0, 1))
        self.assertEqual(wizard.issue_ids.location, "Card 1")
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_15_no_n(self):
        self.import_case("vcard/15_v21_no_n_fn_plus_org.vcf")

        henrik = self.find("Henrik Möller")
        (record,) = self.parsed("vcard/15_v21_no_n_fn_plus_org.vcf")
        self.assertEqual((record.given_name, record.family_name), ("Henrik", "Möller"))
        company = henrik.parent_id
        self.assertEqual(company.name, "Beispiel Reederei")
        self.assertEqual(
            (company.zip, company.city, company.country_id.code),
            ("90329", "Nürnberg", "DE"),
        )
        self.assertEqual(company.website, "http://www.reederei.example")
        self.assertEqual(henrik.email, "henrik@reederei.example")

    def test_19_thunderbird_cardbook(self):
        wizard = self.import_case("vcard/19_thunderbird_cardbook_v4.vcf")

        ilka = self.find("Ilka Wendel")
        self.assertEqual(ilka.parent_id.name, "KiTa Öhrbeispiel")
        max_ = self.find("Dr. Max Horst Mustermann jr.")
        self.assertEqual((max_.parent_id.name, max_.nickname), ("SED", "Maxl"))
        self.assertEqual(len(self.emails(max_)), 4)
        self.assertEqual(max_.parent_id.city, "Entenhausen")
        self.assertEqual(self.other_addresses(max_).city, "Entenhausen")
        self.assertFalse(max_.birthday)
        self.assertIn("Privattelefon", self.phones(max_)[1:])
        self.assertEqual(len(self.messages(wizard, "Card 2")), 2)

    def test_20_rfc6350_groups(self):
        wizard = self.import_case("vcard/20_rfc6350_examples_group_member_related.vcf")

        j_doe = self.find("J. Doe")
        self.assertEqual(self.emails(j_doe), ["jdoe@example.com", "ceo@example.com"])
        self.assertEqual(len(self.phones(j_doe)), 2)
        john = self.find("John Doe")
        lucien = self.find("Lucien Bergevin")
        self.assertEqual(lucien.parent_id.name, "Exemple Inc")
        self.assertEqual(lucien.phone, "+1-418-555-0142 ext. 102")
        self.assertFalse(lucien.birthday)
        self.assertIn("--02-03", lucien.comment)
        self.assertTrue(self.find("Taro Yamada"))
        self.assertTrue(self.messages(wizard, "Card 1"))

        family = self.env["res.partner.category"].search(
            [("name", "=", "The Doe family")]
        )
        self.assertEqual(family.partner_ids, john)
        self.assertTrue(
            self.env["res.partner.category"].search(
                [("name", "=", "Funky distribution list")]
            )
        )
        self.assertFalse(
            self.env["res.partner"].search(
                [("name", "in", ["The Doe family", "Funky distribution list"])]
            )
        )

    def test_21_fullcontact(self):
        self.import_case("vcard/21_fullcontact_v4_multi_org_altid.vcf")

        person = self.find("Prefix FirstName MiddleName LastName Suffix")
        self.assertEqual(person.parent_id.name, "Organization1")
        self.assertEqual(person.department, "Department1")
        self.assertIn("Organization2", person.comment)
        self.assertEqual(person.birthday, date(2016, 8, 1))
        self.assertEqual(len(self.emails(person)), 5)
        self.assertEqual(len(self.phones(person)), 9)
        self.assertEqual(1 + len(self.channels(person, "website")), 4)

    def test_23_xing(self):
        self.import_case("vcard/23_xing_v21_type_params_latin1.vcf")

        sample = self.find("Sample Person")
        self.assertEqual(
            (sample.function, sample.parent_id.name),
            ("Global Account Manager", "The Company"),
        )
        self.assertEqual(
            self.emails(sample), ["sample.person@companyhost.com", "user@homehost.org"]
        )
        self.assertEqual(len(self.phones(sample)), 3)
        self.assertEqual(sample.parent_id.street, "1234 Any Street")
        self.assertEqual(self.other_addresses(sample).street, "5432 This Street, NW")
        other = self.find("Other Person")
        self.assertEqual(other.parent_id.name, "Any Company")
        self.assertFalse(
            self.other_addresses(other), "the empty home address is dropped"
        )

    def test_24_localch(self):
        self.import_case("vcard/24_localch_v30_qp_showas_company.vcf")

        sample = self.find("Sample Person")
        company = sample.parent_id
        self.assertEqual((company.name, company.is_company), ("The Company", True))
        self.assertEqual(sample.email, "sample.person@companyhost.com")
        self.assertEqual(len(self.phones(sample)), 2)
        self.assertEqual(
            (company.street, company.city, company.state_id.code, company.zip),
            ("1234 Any Street", "New York", "NY", "12321"),
        )
        self.assertIn("[Copyright (c) local.ch ag]", sample.comment)

    def test_25_icloud(self):
        self.import_case("vcard/25_icloud_ios_multi_prodid.vcf")

        people = [
            self.find(n) for n in ("Marcello", "Tommy Oak", "Wu Zhao", "Frederik")
        ]
        self.assertEqual(sum(len(self.phones(p)) for p in people), 6)
        self.assertIn("Some notes 1", people[1].comment)
        self.assertIn("Some notes 2", people[2].comment)
        frederik = self.parsed("vcard/25_icloud_ios_multi_prodid.vcf")[3]
        self.assertEqual(frederik.middle_name, "Fred")

    def test_27_cyrillic_bom(self):
        self.import_case("vcard/27_utf8_bom_v21_mixed_charset_cyrillic.vcf")

        taras = self.find("Тарас Микола́йович Гайворо́н")
        self.assertEqual(taras.city, "Київ")
        (record,) = self.parsed("vcard/27_utf8_bom_v21_mixed_charset_cyrillic.vcf")
        self.assertEqual(record.addresses[0].formatted, "Київ")

    def test_28_kind_org(self):
        self.import_case("vcard/28_v4_kind_org_company_only.vcf")

        acme = self.find("ACME Inc.")
        self.assertTrue(acme.is_company)
        self.assertFalse(acme.child_ids)

    def test_csv_01_google_legacy(self):
        self.import_case("csv/01_google_legacy_all_fields.csv")

        person = self.find("Prefix Firstname Middle Lastname Suffix")
        (record,) = self.parsed("csv/01_google_legacy_all_fields.csv")
        self.assertEqual(
            (record.given_name, record.family_name), ("Firstname", "Lastname")
        )
        self.assertEqual(
            (person.nickname, person.birthday), ("nick", date(1975, 12, 12))
        )
        self.assertIn('note"note', person.comment)
        self.assertEqual(person.category_id.mapped("name"), ["Test"])
        self.assertEqual(self.emails(person)[0], "home@aaa.pl")
        self.assertEqual(len(self.emails(person)), 4)
        self.assertEqual(len(self.phones(person)), 7)
        home = self.other_addresses(person)
        self.assertEqual(
            (home.street, home.city, home.zip), ("home_street", "home_city", "home_zip")
        )
        self.assertIn("home_pobox", home.street2)
        self.assertEqual(person.parent_id.street, "work_street")
        self.assertEqual(
            (person.parent_id.name, person.function), ("company", "jobtitle")
        )
        self.assertEqual(person.website, "http://test.com")
        self.assertEqual(self.channels(person, "website"), ["http://home.page.com"])

    def test_csv_02_google_crlf(self):
        self.import_case("csv/02_google_legacy_my_contacts_crlf.csv")

        self.assertEqual(
            self.env["res.partner"].search_count(
                [("name", "in", ["Uffo", "Ufdo", "uzab", "Bus Winsen"])]
            ),
            5,
        )
        # The file holds ukm@example.net (README: mig@example.net).
        fourth = self.find("uzab")
        self.assertEqual(fourth.email, "ukm@example.net")
        self.assertEqual(fourth.category_id.mapped("name"), ["kunden"])
        bus = self.find("Bus Winsen")
        self.assertEqual(bus.phone, "021000000005")
        self.assertEqual((bus.street, bus.city), ("Niedersachsen Ring 22", "Winsen"))

    def test_csv_06_outlook_emails_only(self):
        self.import_case("csv/06_outlook_email_columns_only.csv")

        person = self.find("test1@domain.tld")
        self.assertEqual(
            self.emails(person),
            ["test1@domain.tld", "test2@domain.tld", "test3@domain.tld"],
        )

    def test_csv_07_outlook_japanese(self):
        wizard = self.import_case(
            "csv/07_outlook2010_japanese_headers_reconstructed.csv"
        )

        max_ = self.find("Max Mustermann")
        self.assertEqual(
            (max_.street, max_.zip, max_.city, max_.country_id.code),
            ("Hauptweg", "12345", "Olpe", "DE"),
        )
        self.assertEqual(max_.birthday, date(1990, 1, 1))
        self.assertEqual(max_.email, "max.mustermann@invalid.domain.ox")
        self.assertTrue(any(".ox" in m for m in self.messages(wizard, "Line 2")))

    def test_csv_08_thunderbird(self):
        self.import_case("csv/08_thunderbird_export.csv")

        person = self.find("Displayname")
        (record,) = self.parsed("csv/08_thunderbird_export.csv")
        self.assertEqual(
            (record.given_name, record.family_name), ("Firstname", "Lastname")
        )
        self.assertEqual(person.nickname, "Nick")
        self.assertEqual(self.emails(person), ["test@domain.tld", "next@domain.tld"])
        self.assertEqual(len(self.phones(person)), 5)
        home = self.other_addresses(person)
        self.assertEqual((home.city, home.country_id.code), ("City", "US"))
        company = person.parent_id
        self.assertEqual(
            (company.name, company.city, company.country_id.code),
            ("Organization", "Wcity", "PL"),
        )
        self.assertEqual((person.department, person.function), ("department", "title"))
        self.assertEqual(person.birthday, date(1970, 11, 15))
