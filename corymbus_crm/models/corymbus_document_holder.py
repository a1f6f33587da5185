from odoo import fields, models
from odoo.fields import Domain


def search_ids_by_branch(records, domain):
    """The ids of the records matching ``domain``, searching each branch of
    an ``OR`` on its own.

    PostgreSQL answers an ``OR`` of a column condition and a sub-query (a
    one2many or many2many path) by reading the whole table; each branch
    alone uses its own index. The ids come back in no particular order.

    :param records: the model to search, with its environment and context
    :return: a set of ids
    """
    domain = Domain(domain)
    branches = domain.children if getattr(domain, "OPERATOR", None) == "|" else [domain]
    found = set()
    for branch in branches:
        found.update(records.search(branch, order="id").ids)
    return found


class CorymbusDocumentHolder(models.AbstractModel):
    """A record that shows documents: its own and those of the records below it.

    A holder lists its own files (``corymbus_file_ids``, the upload widget of
    its form) and counts all its documents (``corymbus_document_count``, the
    smart button). The count and the list the button opens search the same
    condition, so they always agree. Each holder says which records lie below
    it in ``_corymbus_document_sources``.
    """

    _name = "corymbus.document.holder"
    _description = "Corymbus Document Holder"

    # Documents
    corymbus_file_ids = fields.Many2many(
        "ir.attachment",
        string="Files",
        compute="_compute_corymbus_file_ids",
        inverse="_inverse_corymbus_file_ids",
        help="The files attached to this record itself.",
    )
    corymbus_document_count = fields.Integer(
        "Documents", compute="_compute_corymbus_document_count"
    )

    def _compute_corymbus_file_ids(self):
        Attachment = self.env["ir.attachment"]
        saved = self.filtered(lambda record: record._origin.id)
        own_files = Attachment.search(
            Attachment._corymbus_documents_domain({self._name: saved._origin.ids})
        )
        files_by_record = own_files.grouped("res_id")
        for record in self:
            record.corymbus_file_ids = files_by_record.get(
                record._origin.id, Attachment
            )

    def _inverse_corymbus_file_ids(self):
        Attachment = self.env["ir.attachment"]
        for record in self:
            current = Attachment.search(
                Attachment._corymbus_documents_domain({self._name: record.ids})
            )
            wanted = record.corymbus_file_ids
            (wanted - current)._corymbus_attach_pending_to(record)
            (current - wanted).unlink()

    def _compute_corymbus_document_count(self):
        Attachment = self.env["ir.attachment"]
        for record in self:
            record.corymbus_document_count = (
                Attachment.search_count(record._corymbus_documents_search_domain())
                if record._origin.id
                else 0
            )

    def action_open_corymbus_documents(self):
        """List the documents counted on the record's smart button."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "corymbus_crm.corymbus_document_action"
        )
        action["display_name"] = self.env._(
            "Documents of %(record)s", record=self.display_name
        )
        action["domain"] = self._corymbus_documents_search_domain()
        action["context"] = {
            "search_default_group_by_type": 1,
            "create": False,
        }
        return action

    def action_add_corymbus_link(self):
        """Attach an outside link (a shared drive document, say) to the record."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Add a Link"),
            "res_model": "ir.attachment",
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("corymbus_crm.corymbus_document_view_form_link").id,
                    "form",
                )
            ],
            "target": "new",
            "context": {
                "default_type": "url",
                "default_res_model": self._name,
                "default_res_id": self.id,
            },
        }

    def _corymbus_documents_search_domain(self):
        """The condition selecting the documents of the record, by reference."""
        self.ensure_one()
        return [("corymbus_document_of", "=", f"{self._name},{self._origin.id}")]

    def _corymbus_document_sources(self):
        """The records whose attachments are documents of ``self``.

        :return: ``{model name: set of ids}``, ``self`` included
        """
        return {self._name: set(self.ids)}
