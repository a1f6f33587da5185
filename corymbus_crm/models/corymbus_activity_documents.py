from odoo import models


class CorymbusActivity(models.Model):
    """Activities hold their own files and links; nothing lies below them."""

    _inherit = "corymbus.activity"

    def _corymbus_document_sources(self):
        """The records whose attachments are documents of the activities."""
        return {self._name: set(self.ids)}
