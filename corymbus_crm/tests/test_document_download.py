import io
import zipfile

from odoo.tests import HttpCase, tagged

from .test_document_common import CorymbusDocumentCase


@tagged("post_install", "-at_install", "corymbus_documents")
class TestDocumentDownload(CorymbusDocumentCase, HttpCase):
    """The selection of a documents list downloads as one zip file."""

    def _download(self, attachments):
        ids = ",".join(str(attachment_id) for attachment_id in attachments.ids)
        return self.url_open(f"/corymbus/documents/download?ids={ids}")

    def test_zip_of_the_selection(self):
        twin = self._attach(self.deal_pia, "contract.pdf")
        self.authenticate("corymbus_salesman_all", "corymbus_salesman_all")
        response = self._download(
            self.file_contract | self.file_quote | self.file_spec | twin
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/zip")
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            self.assertEqual(
                set(archive.namelist()),
                {"contract.pdf", "contract (2).pdf", "quote.pdf", "Specification.url"},
            )
            self.assertEqual(archive.read("quote.pdf"), b"%PDF-1.4 quote.pdf")
            self.assertIn(
                b"URL=https://drive.example.com/spec", archive.read("Specification.url")
            )

    def test_zip_refuses_what_the_user_may_not_read(self):
        self.authenticate("corymbus_salesman", "corymbus_salesman")
        response = self._download(self.file_contract | self.file_quote)
        self.assertEqual(response.status_code, 403)
        response = self._download(self.file_contract)
        self.assertEqual(response.status_code, 200)

    def test_zip_needs_ids(self):
        self.authenticate("corymbus_salesman", "corymbus_salesman")
        response = self.url_open("/corymbus/documents/download?ids=1;DROP")
        self.assertEqual(response.status_code, 400)
