import io
import re
import zipfile

from werkzeug.exceptions import BadRequest, Forbidden

from odoo import http
from odoo.http import content_disposition, request


class CorymbusDocumentsController(http.Controller):
    """Download a selection of documents as one zip file."""

    @http.route(
        "/corymbus/documents/download",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
    )
    def download_documents(self, ids="", **kwargs):
        """Zip the documents whose ids are given, if the user may read them all.

        Links are added as small internet shortcut files; two documents with
        the same name are numbered so that none hides another.
        """
        if not re.fullmatch(r"\d+(,\d+)*", ids or ""):
            raise BadRequest()
        attachments = request.env["ir.attachment"].browse(
            [int(attachment_id) for attachment_id in ids.split(",")]
        )
        attachments = attachments.exists()
        if not attachments.has_access("read"):
            raise Forbidden()

        stream = io.BytesIO()
        used_names = set()
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            for attachment in attachments:
                if attachment.type == "url":
                    name = f"{attachment.name}.url"
                    content = f"[InternetShortcut]\r\nURL={attachment.url}\r\n"
                else:
                    name = attachment.name or str(attachment.id)
                    content = attachment.raw or b""
                archive.writestr(self._unique_name(name, used_names), content)

        data = stream.getvalue()
        zip_name = request.env._("Documents") + ".zip"
        return request.make_response(
            data,
            headers=[
                ("Content-Type", "application/zip"),
                ("Content-Length", len(data)),
                ("Content-Disposition", content_disposition(zip_name)),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    @staticmethod
    def _unique_name(name, used_names):
        """``name``, or ``name (2)``... when it is already in the archive."""
        name = name.replace("/", "_").replace("\\", "_")
        stem, dot, extension = name.rpartition(".")
        if not dot:
            stem, extension = name, ""
        candidate, number = name, 1
        while candidate in used_names:
            number += 1
            candidate = f"{stem} ({number}){dot}{extension}"
        used_names.add(candidate)
        return candidate
