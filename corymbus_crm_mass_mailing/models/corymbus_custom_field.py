from odoo import models


class CorymbusCustomField(models.Model):
    """Custom fields that mailings still to send filter on."""

    _inherit = "corymbus.custom.field"

    def _get_extra_usages(self, pattern):
        usages = super()._get_extra_usages(pattern)
        mailings = (
            self.env["mailing.mailing"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("mailing_model_id.model", "=", self.model_name),
                    ("state", "in", ["draft", "in_queue", "sending"]),
                    ("mailing_domain", "like", self.technical_name),
                ]
            )
        )
        usages += [
            {
                "kind": self.env._("Mailing"),
                "name": mailing.subject,
                "record": mailing,
                "blocking": True,
            }
            for mailing in mailings
            if pattern.search(mailing.mailing_domain or "")
        ]
        return usages
