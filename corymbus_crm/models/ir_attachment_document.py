import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

# A file uploaded on a record that was never saved is given this long to find
# its record before the garbage collector removes it.
PENDING_LIFETIME = timedelta(days=1)

ORIGIN_KINDS = [
    ("company", "Company"),
    ("contact", "Contact"),
    ("opportunity", "Opportunity"),
    ("activity", "Activity"),
    ("other", "Other"),
]


class IrAttachment(models.Model):
    """Attachments seen as Corymbus documents.

    A document is a file or a link attached to a record of a document model
    (contacts and companies, opportunities, activities and, with invoicing,
    invoices) and held by no field: the images of fields, avatars and assets
    are technical attachments, not documents.

    The documents of a record are those attached to it and to every record
    below it (see ``_corymbus_document_sources`` on the holders). The search
    on ``corymbus_document_of`` selects them by ids; counts and lists use that
    same condition, and the ordinary attachment access check filters both.
    """

    _inherit = "ir.attachment"

    # Documents
    corymbus_document_type_id = fields.Many2one(
        "corymbus.document.type",
        string="Document Type",
        index="btree_not_null",
        ondelete="set null",
    )
    corymbus_is_document = fields.Boolean(
        "Is a Document",
        compute="_compute_corymbus_is_document",
        search="_search_corymbus_is_document",
    )
    corymbus_document_of = fields.Char(
        "Document Of",
        compute="_compute_corymbus_document_of",
        search="_search_corymbus_document_of",
        help="Searched with a record reference such as 'res.partner,42', "
        "selects the documents of that record and of the records below it.",
    )

    # Origin
    corymbus_origin_kind = fields.Selection(
        ORIGIN_KINDS,
        string="Attached To",
        compute="_compute_corymbus_origin_kind",
        search="_search_corymbus_origin_kind",
    )
    corymbus_origin_name = fields.Char(
        "Origin",
        compute="_compute_corymbus_origin_name",
        search="_search_corymbus_origin_name",
    )

    def _compute_corymbus_is_document(self):
        # sudo: whether an attachment is a document does not depend on who asks.
        documents = self.sudo().search(
            [("id", "in", self.ids), ("corymbus_is_document", "=", True)]
        )
        for attachment in self:
            attachment.corymbus_is_document = attachment in documents

    def _search_corymbus_is_document(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        wanted = any(values)
        if operator in ("!=", "not in"):
            wanted = not wanted

        record_domains = self._corymbus_document_record_domains()
        domains = []
        for model_name, res_fields in self._corymbus_readable_scope().items():
            domain = (
                Domain("res_model", "=", model_name)
                & Domain("res_field", "in", res_fields)
                & Domain("res_id", ">", 0)
            )
            if model_name in record_domains:
                # sudo: the access to each record is checked on the attachment.
                records = (
                    self.env[model_name]
                    .sudo()
                    .with_context(active_test=False)
                    ._search(record_domains[model_name])
                )
                domain &= Domain("res_id", "in", records)
            domains.append(domain)
        domain = Domain.OR(domains)
        return domain if wanted else ~domain

    def _compute_corymbus_document_of(self):
        for attachment in self:
            attachment.corymbus_document_of = (
                f"{attachment.res_model},{attachment.res_id}"
                if attachment.res_model and attachment.res_id
                else False
            )

    def _search_corymbus_document_of(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        refs = [value] if isinstance(value, str) else list(value or ())
        domain = self._corymbus_documents_domain(self._corymbus_sources_of_refs(refs))
        return ~domain if operator in ("!=", "not in") else domain

    @api.depends("res_model", "res_id")
    def _compute_corymbus_origin_kind(self):
        kind_of_model = self._corymbus_origin_kinds()
        partner_ids = {
            attachment.res_id
            for attachment in self
            if attachment.res_model == "res.partner" and attachment.res_id
        }
        # sudo: only whether the partner is a company is read, for display.
        companies = set(
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "in", list(partner_ids)), ("is_company", "=", True)])
            .ids
        )
        for attachment in self:
            if attachment.res_model == "res.partner":
                attachment.corymbus_origin_kind = (
                    "company" if attachment.res_id in companies else "contact"
                )
            else:
                attachment.corymbus_origin_kind = kind_of_model.get(
                    attachment.res_model, "other"
                )

    def _search_corymbus_origin_kind(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        kinds = {value} if isinstance(value, str) else set(value or ())
        domains = []
        for model_name, kind in self._corymbus_origin_kinds().items():
            if kind in kinds:
                domains.append(Domain("res_model", "=", model_name))
        if kinds & {"company", "contact"}:
            partner_domain = Domain("res_model", "=", "res.partner")
            if not kinds >= {"company", "contact"}:
                is_company = "company" in kinds
                # sudo: the access to each partner is checked on the attachment.
                companies = (
                    self.env["res.partner"]
                    .sudo()
                    .with_context(active_test=False)
                    ._search([("is_company", "=", True)])
                )
                operator_ids = "in" if is_company else "not in"
                partner_domain &= Domain("res_id", operator_ids, companies)
            domains.append(partner_domain)
        domain = Domain.OR(domains)
        return ~domain if operator in ("!=", "not in") else domain

    @api.depends("res_model", "res_id")
    def _compute_corymbus_origin_name(self):
        for attachment in self:
            attachment.corymbus_origin_name = attachment.res_name

    def _search_corymbus_origin_name(self, operator, value):
        if operator not in ("ilike", "not ilike", "=", "like", "=ilike"):
            return NotImplemented
        positive = operator != "not ilike"
        name_operator = "ilike" if operator == "not ilike" else operator
        domains = []
        for model_name in self._corymbus_readable_scope():
            # Only the records the user may read are matched by their name.
            records = self.env[model_name]._search(
                [("display_name", name_operator, value)]
            )
            domains.append(
                Domain("res_model", "=", model_name) & Domain("res_id", "in", records)
            )
        domain = Domain.OR(domains)
        return domain if positive else ~domain

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "corymbus_document_type_id" not in vals:
                document_type = self._corymbus_default_document_type(vals)
                if document_type:
                    vals["corymbus_document_type_id"] = document_type.id
        return super().create(vals_list)

    @api.model
    def _search(
        self,
        domain,
        offset=0,
        limit=None,
        order=None,
        *,
        active_test=True,
        bypass_access=False,
    ):
        # Resolve the documents conditions into res_model/res_id conditions
        # first: the attachment access check then finds the models to check,
        # and filters the documents in SQL instead of record by record.
        return super()._search(
            self._corymbus_resolve_domain(domain),
            offset,
            limit,
            order,
            active_test=active_test,
            bypass_access=bypass_access,
        )

    @api.model
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        # A page of documents comes with their total, searched separately:
        # work out which records' documents the domain means once for both.
        return super().web_search_read(
            self._corymbus_resolve_domain(domain),
            specification,
            offset=offset,
            limit=limit,
            order=order,
            count_limit=count_limit,
        )

    @api.autovacuum
    def _gc_corymbus_pending_documents(self):
        """Delete the files uploaded on records that were never saved."""
        limit = fields.Datetime.now() - PENDING_LIFETIME
        domains = [
            Domain("res_model", "=", model_name)
            & Domain("res_field", "=", False)
            & (Domain("res_id", "=", 0) | Domain("res_id", "=", False))
            for model_name in self._corymbus_document_fields()
        ]
        pending = self.sudo().search(
            Domain.OR(domains) & Domain("create_date", "<", limit)
        )
        if pending:
            _logger.info(
                "Deleting %s files uploaded on records that were never saved",
                len(pending),
            )
            pending.unlink()

    def action_corymbus_download(self):
        """Download the selected documents: one file as is, several as a zip."""
        if not self:
            raise UserError(self.env._("Select the documents to download."))
        self.check_access("read")
        if len(self) == 1 and self.type == "url":
            if not (self.url or "").lower().startswith(("http://", "https://")):
                raise UserError(self.env._("Only web links can be opened."))
            return {"type": "ir.actions.act_url", "url": self.url, "target": "new"}
        if len(self) == 1:
            url = f"/web/content/{self.id}?download=true"
        else:
            ids = ",".join(str(attachment_id) for attachment_id in self.ids)
            url = f"/corymbus/documents/download?ids={ids}"
        return {"type": "ir.actions.act_url", "url": url, "target": "download"}

    @api.model
    def _corymbus_document_fields(self):
        """Which attachments of each document model are documents.

        Maps each installed document model to the ``res_field`` values of its
        documents: ``False`` for ordinary attachments. An extension may add a
        binary field that holds a real document, like the PDF of an invoice.
        """
        models_fields = {
            "res.partner": [False],
            "corymbus.opportunity": [False],
            "corymbus.activity": [False],
        }
        return {
            model_name: res_fields
            for model_name, res_fields in models_fields.items()
            if model_name in self.env
        }

    @api.model
    def _corymbus_document_record_domains(self):
        """Which records of a document model have documents at all.

        Maps a model to the domain its records must match for their files to
        be documents; models left out hold documents on every record.
        """
        return {}

    @api.model
    def _corymbus_readable_scope(self):
        """The document models the current user may read, with their fields."""
        return {
            model_name: res_fields
            for model_name, res_fields in self._corymbus_document_fields().items()
            if self.env[model_name].has_access("read")
        }

    @api.model
    def _corymbus_origin_kinds(self):
        """The kind of origin shown for the documents of each model."""
        return {
            "corymbus.opportunity": "opportunity",
            "corymbus.activity": "activity",
        }

    @api.model
    def _corymbus_default_document_type(self, vals):
        """The type a new attachment gets when none is given."""
        return self.env["corymbus.document.type"]

    @api.model
    def _corymbus_documents_domain(self, ids_by_model):
        """Domain of the documents attached to the given records, by ids.

        :param dict ids_by_model: ``{model name: record ids}``
        :return: a domain that is false when no document model is readable
        """
        domains = []
        for model_name, res_fields in self._corymbus_readable_scope().items():
            res_ids = sorted(ids_by_model.get(model_name) or ())
            if res_ids:
                domains.append(
                    Domain("res_model", "=", model_name)
                    & Domain("res_id", "in", res_ids)
                    & Domain("res_field", "in", res_fields)
                )
        return Domain.OR(domains)

    @api.model
    def _corymbus_sources_of_refs(self, refs):
        """The records whose documents belong to the referenced holders.

        :param list refs: references like ``"res.partner,42"``
        :return: ``{model name: set of ids}``; holders the user may not read
            hold nothing
        """
        sources = defaultdict(set)
        for ref in refs:
            model_name, _sep, res_id = str(ref).partition(",")
            if model_name not in self.env or not res_id.isdigit():
                continue
            holder = self.env[model_name].browse(int(res_id)).exists()
            if not holder or not hasattr(holder, "_corymbus_document_sources"):
                continue
            if not holder.has_access("read"):
                continue
            for source_model, source_ids in holder._corymbus_document_sources().items():
                sources[source_model].update(source_ids)
        return sources

    @api.model
    def _corymbus_resolved_fields(self):
        """The searchable document fields and the methods resolving them."""
        return {
            "corymbus_document_of": self._search_corymbus_document_of,
            "corymbus_is_document": self._search_corymbus_is_document,
            "corymbus_origin_kind": self._search_corymbus_origin_kind,
            "corymbus_origin_name": self._search_corymbus_origin_name,
        }

    @api.model
    def _corymbus_resolve_domain(self, domain):
        """``domain`` with its documents conditions worked out into
        conditions on the attachments' own columns."""
        domain = Domain(domain)
        if any(
            condition.field_expr in self._corymbus_resolved_fields()
            for condition in domain.iter_conditions()
        ):
            domain = domain.map_conditions(self._corymbus_resolve_condition)
        return domain

    def _corymbus_resolve_condition(self, condition):
        method = self._corymbus_resolved_fields().get(condition.field_expr)
        if method is None:
            return condition
        domain = method(condition.operator, condition.value)
        return condition if domain is NotImplemented else domain

    def _corymbus_attach_pending_to(self, record):
        """Give the files uploaded on ``record`` before its first save to it.

        A file uploaded on an unsaved form is created with ``res_id`` 0 and
        only listed in the form's values; once the record exists, it must
        point to it, or nobody but the uploader could ever read it. Only files
        the current user uploaded and that no record owns yet are taken:
        linking anyone else's attachment would hand out access to it.
        """
        record.ensure_one()
        if not self:
            return

        # sudo: reading who owns the files, to refuse the ones not pending.
        attachments = self.sudo()
        pending = attachments.filtered(
            lambda a: (
                not a.res_id
                and not a.res_field
                and a.res_model in (False, record._name)
                and (self.env.su or a.create_uid == self.env.user)
            )
        )
        if pending != attachments:
            raise UserError(
                self.env._(
                    "Only files you have just uploaded can be attached to %(record)s.",
                    record=record.display_name,
                )
            )
        self.write({"res_model": record._name, "res_id": record.id})
