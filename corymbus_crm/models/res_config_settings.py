from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """Corymbus settings: when the dashboard calls an opportunity stalled."""

    _inherit = "res.config.settings"

    # Dashboard
    corymbus_stalled_days = fields.Integer(
        "Stalled After (Days)",
        config_parameter="corymbus_crm.stalled_days",
        default=14,
        help="An open opportunity with no activity for this many days counts as "
        "stalled on the dashboard.",
    )

    _corymbus_stalled_days_positive = models.Constraint(
        "CHECK(corymbus_stalled_days > 0)",
        "An opportunity stalls after one day or more.",
    )
