"""The contact import reads its match candidates by chunks: the number of
queries it makes grows by a small constant per card, never by a lookup of
the whole partner table per card and key."""

from odoo.tests import tagged

from .contact_import_common import ContactImportCase

# Queries one more card costs, beyond those of its chunk. New contacts are
# created in one batch per chunk; Odoo's own create still looks up the
# companies once for each new person linked to a company, when company
# dependent fields are synchronised from it (as with ``account``). A card
# matching a contact costs none: lookups and reads are per chunk.
NEW_CARD_QUERIES = 1
MATCHED_CARD_QUERIES = 0


def person_cards(first, count, domain="example.com"):
    """``count`` vCards of people at one company, numbered from ``first``."""
    cards = []
    for index in range(first, first + count):
        cards.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"N:Person{index};Query;;;\r\nFN:Query Person{index}\r\n"
            "ORG:Query Company\r\nTITLE:Buyer\r\n"
            f"EMAIL;TYPE=WORK:query{index}@{domain}\r\n"
            f"TEL;TYPE=WORK:+33 1 45 {index // 100:02d} {index % 100:02d} 00\r\n"
            "END:VCARD\r\n"
        )
    return "".join(cards).encode()


@tagged("post_install", "-at_install", "corymbus_import")
class TestContactImportQueries(ContactImportCase):
    """Query counts of an import of 10 and of 100 cards."""

    def count_queries(self, data):
        """Queries an import of ``data`` makes, and the wizard it gives."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        wizard = self.run_import(data, "queries.vcf")
        self.env.flush_all()
        return self.env.cr.sql_log_count - before, wizard

    def test_new_cards_cost_a_constant_per_card(self):
        # A first import creates the company, so both counts below are made
        # with it in place.
        self.run_import(person_cards(0, 1), "company.vcf")

        small, wizard = self.count_queries(person_cards(1000, 10))
        self.assertEqual(self.counts(wizard), (10, 0, 0, 0))
        large, wizard = self.count_queries(person_cards(2000, 100))
        self.assertEqual(self.counts(wizard), (100, 0, 0, 0))
        self.assertEqual(wizard.company_matched_count, 1)

        self.assertLessEqual(large - small, 90 * NEW_CARD_QUERIES, (small, large))

    def test_matching_cards_cost_a_constant_per_card(self):
        self.run_import(person_cards(1000, 10), "small.vcf")
        self.run_import(person_cards(2000, 100), "large.vcf")

        small, wizard = self.count_queries(person_cards(1000, 10))
        self.assertEqual(self.counts(wizard), (0, 0, 10, 0))
        large, wizard = self.count_queries(person_cards(2000, 100))
        self.assertEqual(self.counts(wizard), (0, 0, 100, 0))

        self.assertLessEqual(large - small, 90 * MATCHED_CARD_QUERIES, (small, large))
