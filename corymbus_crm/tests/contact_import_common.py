import base64
from pathlib import Path

from odoo.tests import TransactionCase, new_test_user

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def read_fixture(name):
    """The bytes of one of the module's own contact export fixtures."""
    return (FIXTURES / name).read_bytes()


class ContactImportCase(TransactionCase):
    """Runs the contact import wizard as a Corymbus user who may edit contacts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.importer = new_test_user(
            cls.env,
            login="contact_importer",
            groups="base.group_user,base.group_partner_manager,"
            "corymbus_crm.group_corymbus_user",
        )

    def run_import(self, data, file_name, preview=False, user=None):
        """Import (or preview) a file; return the wizard with its results."""
        wizard = (
            self.env["corymbus.contact.import"]
            .with_user(user or self.importer)
            .create({"file_data": base64.b64encode(data), "file_name": file_name})
        )
        if preview:
            wizard.action_preview()
        else:
            wizard.action_import()
        return wizard

    def import_fixture(self, name, **kwargs):
        return self.run_import(read_fixture(name), name, **kwargs)

    def counts(self, wizard):
        return (
            wizard.created_count,
            wizard.updated_count,
            wizard.unchanged_count,
            wizard.skipped_count,
        )

    def find(self, name, **domain):
        """The one partner of that name (and extra field values)."""
        conditions = [("name", "=", name)] + [(k, "=", v) for k, v in domain.items()]
        partners = self.env["res.partner"].search(conditions)
        self.assertEqual(len(partners), 1, f"one partner named {name!r}")
        return partners

    def channels(self, partner, kind):
        return sorted(
            partner.contact_channel_ids.filtered(lambda c: c.kind == kind).mapped(
                "value"
            )
        )

    def emails(self, partner):
        """All e-mails of a partner: its own, then the other ones."""
        return [email for email in [partner.email] if email] + self.channels(
            partner, "email"
        )

    def phones(self, partner):
        """All phones of a partner: its own, then the other ones."""
        return [phone for phone in [partner.phone] if phone] + self.channels(
            partner, "phone"
        )

    def other_addresses(self, partner):
        return partner.child_ids.filtered(lambda child: child.type == "other")
