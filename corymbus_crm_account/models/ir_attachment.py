from odoo import api, fields, models
from odoo.fields import Domain

# The binary field of an invoice that holds its PDF.
INVOICE_PDF_FIELD = "invoice_pdf_report_file"


class IrAttachment(models.Model):
    """Invoice files are documents of the opportunity they bill, typed Invoice."""

    _inherit = "ir.attachment"

    corymbus_origin_kind = fields.Selection(
        selection_add=[("invoice", "Invoice"), ("other",)],
    )

    @api.model
    def _corymbus_document_fields(self):
        # The PDF of an invoice is held by a binary field, yet it is the
        # invoice document itself.
        document_fields = super()._corymbus_document_fields()
        document_fields["account.move"] = [False, INVOICE_PDF_FIELD]
        return document_fields

    @api.model
    def _corymbus_document_record_domains(self):
        # Bills and other entries are no Corymbus business: only the invoices
        # and credit notes of an opportunity hold documents.
        domains = super()._corymbus_document_record_domains()
        domains["account.move"] = Domain("corymbus_opportunity_id", "!=", False)
        return domains

    @api.model
    def _corymbus_origin_kinds(self):
        kinds = super()._corymbus_origin_kinds()
        kinds["account.move"] = "invoice"
        return kinds

    @api.model
    def _corymbus_default_document_type(self, vals):
        if vals.get("res_model") == "account.move" and vals.get("res_field") in (
            False,
            None,
            INVOICE_PDF_FIELD,
        ):
            return (
                self.env.ref(
                    "corymbus_crm.corymbus_document_type_invoice",
                    raise_if_not_found=False,
                )
                or self.env["corymbus.document.type"]
            )
        return super()._corymbus_default_document_type(vals)

    @api.model
    def _corymbus_type_existing_invoice_files(self):
        """Type Invoice the untyped files of invoices that already exist."""
        invoice_type = self.env.ref(
            "corymbus_crm.corymbus_document_type_invoice", raise_if_not_found=False
        )
        if not invoice_type:
            return
        files = self.sudo().search(
            Domain("res_model", "=", "account.move")
            & Domain("res_field", "in", [False, INVOICE_PDF_FIELD])
            & Domain("corymbus_document_type_id", "=", False)
        )
        files.write({"corymbus_document_type_id": invoice_type.id})
