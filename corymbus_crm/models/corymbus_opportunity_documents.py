from odoo import models


class CorymbusOpportunity(models.Model):
    """Opportunities hold their own documents and those of their activities."""

    _name = "corymbus.opportunity"
    _inherit = ["corymbus.opportunity", "corymbus.document.holder"]

    def _corymbus_document_sources(self):
        """An opportunity holds the files of its activities (and, with
        invoicing, of its invoices). Relations are followed by ids only.
        """
        sources = super()._corymbus_document_sources()
        if self:
            # sudo: each activity document is checked against its activity.
            activities = (
                self.env["corymbus.activity"]
                .sudo()
                ._corymbus_linked_to(opportunities=self)
            )
            sources["corymbus.activity"] = set(activities.ids)
            sources.update(self._corymbus_billing_sources())
        return sources

    def _corymbus_billing_sources(self):
        """The records billing the opportunities, whose files are theirs too.

        :return: ``{model name: set of ids}``; none without invoicing
        """
        return {}
