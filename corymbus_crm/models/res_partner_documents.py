from odoo import models
from odoo.fields import Domain

from .corymbus_document_holder import search_ids_by_branch


class ResPartner(models.Model):
    """Contacts and companies hold the documents of their business."""

    _name = "res.partner"
    _inherit = ["res.partner", "corymbus.document.holder"]

    def _corymbus_document_sources(self):
        """A partner holds the files of its people and addresses, of the deals
        any of them is the customer or a contact of, and of the activities of
        them all. Relations are followed by ids only.
        """
        # sudo: the graph is walked whole; each document is then checked
        # against the record it is attached to, so nothing is widened.
        partners = (
            self.sudo().search([("id", "child_of", self.ids)], order="id") | self.sudo()
        )
        Opportunity = self.env["corymbus.opportunity"].sudo()
        opportunities = Opportunity.browse(
            sorted(
                search_ids_by_branch(
                    Opportunity.with_context(active_test=False),
                    Domain("partner_id", "in", partners.ids)
                    | Domain("contact_line_ids.partner_id", "in", partners.ids),
                )
            )
        )
        # The activities of the partners include those of their deals.
        Activity = self.env["corymbus.activity"].sudo()
        activities = Activity.browse(
            sorted(
                search_ids_by_branch(
                    Activity,
                    Activity._corymbus_linked_domain(
                        partners=partners, opportunities=opportunities
                    ),
                )
            )
        )
        sources = {
            "res.partner": set(partners.ids),
            "corymbus.opportunity": set(opportunities.ids),
            "corymbus.activity": set(activities.ids),
        }
        if opportunities:
            sources.update(opportunities._corymbus_billing_sources())
        return sources
