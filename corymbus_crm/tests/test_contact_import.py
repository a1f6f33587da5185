"""The contact import wizard end to end: creating, matching, updating, and
reporting what could not be imported without writing half of it."""

import unicodedata
from datetime import date
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..wizards.corymbus_contact_import import CorymbusContactImport
from .contact_import_common import ContactImportCase, read_fixture


def snapshot(env):
    """Everything an import may write, to compare two runs."""
    partners = env["res.partner"].with_context(active_test=False).search([])
    return {
        partner.id: (
            partner.name,
            partner.email,
            partner.phone,
            partner.website,
            partner.parent_id.id,
            partner.street,
            partner.city,
            partner.country_id.id,
            partner.birthday,
            partner.function,
            str(partner.comment or ""),
            tuple(partner.category_id.ids),
            tuple(partner.contact_channel_ids.mapped("value")),
            bool(partner.image_1920),
        )
        for partner in partners
    }


@tagged("post_install", "-at_install", "corymbus_import")
class TestContactImport(ContactImportCase):
    """Creating and updating contacts from files."""

    def test_person_with_company_addresses_channels_and_photo(self):
        wizard = self.import_fixture("vcard30_apple_labels.vcf")

        self.assertEqual(self.counts(wizard), (1, 0, 0, 0))
        self.assertEqual(wizard.file_format, "vcard")
        lucas = self.find("Dr. Lucas Marin,Hugo Fontaine Jr.")
        company = lucas.parent_id
        self.assertEqual(company.name, "Verrerie Fontaine")
        self.assertTrue(company.is_company)
        self.assertEqual((lucas.function, lucas.department), ("Souffleur", "Atelier"))
        self.assertEqual(lucas.birthday, date(1979, 4, 2))
        self.assertTrue(lucas.image_1920)
        self.assertEqual(lucas.email, "lucas.fontaine@example.net")
        self.assertEqual(self.phones(lucas), ["+33 4 72 00 00 01", "+33 4 72 00 00 02"])
        self.assertEqual(lucas.website, "http://www.verrerie-fontaine.example")

        # The work address is the company's, shared by its person; the
        # preferred home address is kept as an other address.
        self.assertEqual((company.street, company.street2), ("Quai 4", "Bâtiment 6"))
        self.assertEqual(company.country_id.code, "FR")
        self.assertEqual(lucas.street, "Quai 4")
        self.assertEqual(
            self.other_addresses(lucas).mapped("street"), ["12 rue des Lilas"]
        )
        self.assertEqual(wizard.partner_ids, lucas)

    def test_company_card_and_company_filled_from_person(self):
        self.import_fixture("vcard30_company_showas.vcf")
        self.import_fixture("vcard21_fn_org_only.vcf")

        brasserie = self.find("Brasserie des Trois Ponts", is_company=True)
        self.assertEqual((brasserie.city, brasserie.country_id.code), ("Dinant", "BE"))
        self.assertEqual(brasserie.website, "http://www.trois-ponts.example")
        self.assertFalse(brasserie.child_ids)

        anneliese = self.find("Anneliese Brückner")
        spedition = anneliese.parent_id
        self.assertEqual(spedition.name, "Spedition Nordlicht")
        self.assertEqual((spedition.zip, spedition.city), ("50667", "Köln"))
        self.assertEqual(spedition.country_id.code, "DE")
        self.assertEqual(spedition.website, "http://www.nordlicht.example")

    def test_summary_counts_companies_created_and_matched(self):
        nordlicht = self.env["res.partner"].create(
            {"name": "Nordlicht GmbH", "is_company": True}
        )
        cards = [
            ("Ana Reyes", "Verrerie Fontaine"),
            ("Ben Ochoa", "Nordlicht GmbH"),
            # The company made for Ana's card is not matched again.
            ("Chloé Martin", "verrerie FONTAINE"),
            ("Dana Holt", "Nordlicht GmbH"),
            # Nor is one made from a company card of the same file.
            ("Eve Lambert", "Atelier Sud"),
        ]
        data = "".join(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"FN:{name}\r\nORG:{org}\r\n"
            f"EMAIL:person{index}@example.org\r\nEND:VCARD\r\n"
            for index, (name, org) in enumerate(cards)
        )
        data = (
            "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Atelier Sud\r\n"
            "ORG:Atelier Sud\r\nEND:VCARD\r\n" + data
        ).encode()

        preview = self.run_import(data, "companies.vcf", preview=True)
        self.assertEqual(self.counts(preview), (6, 0, 0, 0))
        self.assertEqual(
            (preview.company_created_count, preview.company_matched_count), (1, 1)
        )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Ana Reyes")]))

        wizard = self.run_import(data, "companies.vcf")
        self.assertEqual(self.counts(wizard), (6, 0, 0, 0))
        self.assertEqual(
            (wizard.company_created_count, wizard.company_matched_count), (1, 1)
        )
        verrerie = self.find("Verrerie Fontaine", is_company=True)
        self.assertEqual(self.find("Chloé Martin").parent_id, verrerie)
        self.assertEqual(self.find("Dana Holt").parent_id, nordlicht)

        # Imported again, every organisation matches a company already here.
        again = self.run_import(data, "companies.vcf")
        self.assertEqual(self.counts(again), (0, 0, 6, 0))
        self.assertEqual(
            (again.company_created_count, again.company_matched_count), (0, 3)
        )

    def test_same_file_twice_changes_nothing(self):
        names = [
            "vcard21_android_qp.vcf",
            "vcard30_apple_labels.vcf",
            "vcard21_outlook_label.vcf",
            "vcard30_evolution_folded.vcf",
            "vcard40_groups.vcf",
            "vcard21_bom_cyrillic.vcf",
            "vcard30_utf16be_nobom.vcf",
            "google_legacy.csv",
            "google_legacy_crlf.csv",
            "outlook_english_cp1252.csv",
            "thunderbird.csv",
        ]
        for name in names:
            with self.subTest(name):
                first = self.import_fixture(name)
                before = snapshot(self.env)
                again = self.import_fixture(name)

                self.assertEqual(snapshot(self.env), before)
                self.assertEqual(
                    self.counts(again),
                    (
                        0,
                        0,
                        first.entry_count - first.skipped_count,
                        first.skipped_count,
                    ),
                )

    def test_preview_saves_nothing(self):
        before = snapshot(self.env)
        categories = self.env["res.partner.category"].search_count([])

        wizard = self.import_fixture("vcard40_groups.vcf", preview=True)

        self.assertEqual(wizard.state, "preview")
        self.assertEqual(self.counts(wizard), (3, 1, 1, 0))
        self.assertEqual(snapshot(self.env), before)
        self.assertEqual(self.env["res.partner.category"].search_count([]), categories)
        self.assertFalse(wizard.partner_ids)

        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(self.counts(wizard), (3, 1, 1, 0))

    def test_existing_contact_matched_by_email_ignoring_case(self):
        existing = self.env["res.partner"].create(
            {"name": "Lucas Fontaine", "email": "Lucas.FONTAINE@example.net"}
        )

        wizard = self.import_fixture("vcard30_apple_labels.vcf")

        self.assertEqual(self.counts(wizard), (0, 1, 0, 0))
        self.assertEqual(existing.name, "Dr. Lucas Marin,Hugo Fontaine Jr.")
        self.assertEqual(existing.email, "Lucas.FONTAINE@example.net")
        self.assertEqual(existing.phone, "+33 4 72 00 00 01")

    def test_existing_contact_matched_by_other_email(self):
        existing = self.env["res.partner"].create(
            {
                "name": "Kjeld Sørensen",
                "email": "kjeld@private.example",
                "contact_channel_ids": [
                    (0, 0, {"kind": "email", "value": "KJELD@hjem.example"})
                ],
            }
        )

        wizard = self.import_fixture("vcard21_xing_latin1.vcf")

        self.assertEqual(self.counts(wizard), (1, 1, 0, 0))
        self.assertEqual(existing.parent_id.name, "Havn & Co")
        self.assertIn("kjeld@havn.example", self.channels(existing, "email"))

    def test_phone_matches_only_a_contact_of_the_same_name(self):
        namesake = self.env["res.partner"].create(
            {"name": "Ilse", "phone": "312-555-0140"}
        )
        colleague = self.env["res.partner"].create(
            {"name": "Someone Else", "phone": "(312) 555-0141"}
        )

        wizard = self.import_fixture("vcard30_ios.vcf")

        self.assertEqual(self.counts(wizard), (2, 0, 1, 0))
        self.assertEqual(self.find("Ilse"), namesake)
        self.assertEqual(colleague.name, "Someone Else")
        self.assertTrue(self.find("Ren Maple"))

    def test_decomposed_accents_match_on_reimport(self):
        self.import_fixture("vcard21_bom_cyrillic.vcf")
        olena = self.find("Оле́на Петрі́вна Ковале́нко")
        self.assertEqual(olena.city, "Львів")

        decomposed = unicodedata.normalize(
            "NFD", read_fixture("vcard21_bom_cyrillic.vcf").decode("utf-8-sig")
        )
        wizard = self.run_import(decomposed.encode("utf-8"), "nfd.vcf")

        self.assertEqual(self.counts(wizard), (0, 0, 1, 0))

    def test_several_other_details(self):
        self.import_fixture("vcard21_outlook_label.vcf")
        mathilde = self.find("Mme Mathilde Garnier")

        self.assertEqual(mathilde.birthday, date(1985, 7, 22))
        self.assertIn("Troisieme ligne", mathilde.comment)
        self.assertFalse(mathilde.image_1920, "a broken photo is left out")
        self.assertIn("(450) 555-0103", self.channels(mathilde, "phone"))
        self.assertEqual(mathilde.parent_id.street, "8 chemin du Lac")
        self.assertEqual(
            self.other_addresses(mathilde).mapped("street"), ["3 impasse des Pins"]
        )

    def test_groups_become_tags_of_their_members(self):
        wizard = self.import_fixture("vcard40_groups.vcf")

        circle = self.env["res.partner.category"].search(
            [("name", "=", "Reading Circle")]
        )
        self.assertEqual(
            sorted(circle.partner_ids.mapped("name")), ["Amara Eze", "Chidi Okafor"]
        )
        amara = self.find("Amara Eze")
        self.assertEqual(amara.contact_uid, "urn:uuid:bbbb0002")
        self.assertEqual(
            self.emails(amara), ["amara@eze.example", "amara.work@eze.example"]
        )
        self.assertIn("--06-12", amara.comment)
        messages = wizard.issue_ids.mapped("message")
        self.assertTrue(any("urn:uuid:ffff9999" in message for message in messages))
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Reading Circle")])
        )

    def test_tags_from_categories_and_google_groups(self):
        self.import_fixture("google_legacy_crlf.csv")
        self.import_fixture("vcard30_evolution_folded.vcf")

        self.assertEqual(self.find("Wanda").category_id.mapped("name"), ["klienci"])
        self.assertEqual(
            self.find("Gaspard Lemoine").category_id.mapped("name"), ["VIP"]
        )
        self.assertFalse(
            self.env["res.partner.category"].search([("name", "ilike", "My Contacts")])
        )
        self.assertEqual(
            len(self.env["res.partner"].search([("name", "=", "Tomasz")])), 2
        )


@tagged("post_install", "-at_install", "corymbus_import")
class TestContactImportProblems(ContactImportCase):
    """Entries that cannot be imported are listed; nothing is half-written."""

    @mute_logger("odoo.addons.corymbus_crm.wizards.corymbus_contact_import")
    def test_failing_entry_leaves_nothing_and_is_listed(self):
        original = CorymbusContactImport._sync_channels

        def failing(wizard, partner, record, issues):
            if record.number == 2:
                raise UserError(wizard.env._("the server refused this card"))
            return original(wizard, partner, record, issues)

        with patch.object(CorymbusContactImport, "_sync_channels", failing):
            wizard = self.import_fixture("vcard21_android_qp.vcf")

        self.assertEqual(self.counts(wizard), (2, 0, 0, 1))
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Renée Châtelain")])
        )
        self.assertTrue(self.find("Odile Brunelle"))
        error = wizard.issue_ids.filtered(lambda issue: issue.severity == "error")
        self.assertEqual((error.location, error.number), ("Card 2", 2))
        self.assertIn("the server refused this card", error.message)

        # The company created for a failing card goes away with it.
        def failing_after_company(wizard, partner, record, issues):
            raise UserError(wizard.env._("no"))

        with patch.object(
            CorymbusContactImport, "_sync_channels", failing_after_company
        ):
            wizard = self.import_fixture("vcard21_fn_org_only.vcf")
        self.assertEqual(self.counts(wizard), (0, 0, 0, 1))
        self.assertEqual(wizard.company_created_count, 0)
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Spedition Nordlicht")])
        )

    def test_unreadable_entries_are_listed_with_their_number(self):
        wizard = self.import_fixture("vcard_broken.vcf")

        self.assertEqual(self.counts(wizard), (3, 0, 0, 1))
        self.assertEqual(
            [(i.location, i.severity) for i in wizard.issue_ids],
            [("Card 1", "warning"), ("Card 2", "warning"), ("Card 3", "error")],
        )

        wizard = self.import_fixture("csv_broken.csv")
        self.assertEqual(self.counts(wizard), (2, 0, 0, 2))
        errors = wizard.issue_ids.filtered(lambda issue: issue.severity == "error")
        self.assertEqual(errors.mapped("location"), ["Line 3", "Line 5"])

    def test_file_that_is_no_contact_export_is_refused(self):
        with self.assertRaisesRegex(UserError, "neither a vCard"):
            self.run_import(b"%PDF-1.4\x00\x01binary", "scan.pdf")
        with self.assertRaisesRegex(UserError, "Google, Outlook"):
            self.run_import(b"Product,Price\nTea,3\n", "prices.csv")

    def test_user_who_cannot_create_contacts_is_refused(self):
        reader = new_test_user(
            self.env,
            login="contact_reader",
            groups="base.group_user,corymbus_crm.group_corymbus_user",
        )
        with self.assertRaisesRegex(UserError, "right to create"):
            self.run_import(read_fixture("vcard30_ios.vcf"), "ios.vcf", user=reader)

    def test_warnings_name_what_was_guessed_or_left_out(self):
        wizard = self.import_fixture("outlook_japanese_sjis.csv")

        self.assertEqual(self.counts(wizard), (1, 0, 0, 0))
        erika = self.find("Erika Sommer")
        self.assertEqual(erika.birthday, date(1991, 3, 2))
        self.assertEqual(erika.country_id.code, "DE")
        (warning,) = wizard.issue_ids
        self.assertEqual(warning.location, "Line 2")
        self.assertIn(".zz", warning.message)

    def test_linking_a_person_keeps_their_own_address(self):
        renee = self.env["res.partner"].create(
            {
                "name": "Odile Brunelle",
                "email": "odile.brunelle@example.org",
                "street": "2 rue Privée",
                "city": "Lyon",
            }
        )

        self.import_fixture("vcard21_android_qp.vcf")

        self.assertEqual(renee.parent_id.name, "Les Ateliers Réunis")
        self.assertFalse(renee.parent_id.street, "the company keeps no private address")
        self.assertEqual(self.other_addresses(renee).mapped("street"), ["2 rue Privée"])
