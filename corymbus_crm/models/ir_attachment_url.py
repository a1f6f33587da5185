from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import ValidationError

SAFE_URL_SCHEMES = ("http", "https")
CORYMBUS_LINK_HOLDERS = ("res.partner", "corymbus.opportunity", "corymbus.activity")


class IrAttachment(models.Model):
    """Outside links kept beside the files of Corymbus records.

    A link to a Drive, Dropbox or SharePoint document is an attachment of
    type ``url``. Links attached to a contact, a company, an opportunity or an
    activity must be web addresses: any other scheme (``javascript:``,
    ``data:``, ``file:``...) is refused, whatever the path that creates or
    changes the attachment.
    """

    _inherit = "ir.attachment"  # pylint: disable=consider-merging-classes-inherited

    corymbus_url_site = fields.Char("Site", compute="_compute_corymbus_url_site")

    @api.depends("type", "url")
    def _compute_corymbus_url_site(self):
        for attachment in self:
            site = ""
            if attachment.type == "url" and attachment.url:
                site = (urlsplit(attachment.url.strip()).hostname or "").removeprefix(
                    "www."
                )
            attachment.corymbus_url_site = site

    @api.constrains("type", "url", "res_model")
    def _check_corymbus_url(self):
        # Links on Corymbus records open in the browser of whoever clicks them.
        for attachment in self:
            if (
                attachment.type != "url"
                or attachment.res_model not in CORYMBUS_LINK_HOLDERS
            ):
                continue
            if not self._is_corymbus_safe_url(attachment.url):
                raise ValidationError(
                    self.env._(
                        "“%(url)s” is not a web address: links must start with "
                        "http:// or https://.",
                        url=(attachment.url or "")[:100],
                    )
                )

    @api.model
    def _is_corymbus_safe_url(self, url):
        """Whether ``url`` is an http(s) address with a host, or a path here."""
        try:
            parts = urlsplit((url or "").strip())
        except ValueError:
            return False
        is_web = parts.scheme.lower() in SAFE_URL_SCHEMES and bool(parts.hostname)
        is_local = not parts.scheme and not parts.netloc and parts.path.startswith("/")
        return is_web or is_local
