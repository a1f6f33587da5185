from odoo import fields, models


class CorymbusActivityType(models.Model):
    """A kind of interaction: call, meeting, e-mail, task, note.

    The type gives new activities their icon and default duration, and says
    whether they go to the owner's calendar by default (read by the calendar
    synchronisation, which lives in its own addon).
    """

    _name = "corymbus.activity.type"
    _description = "Corymbus Activity Type"
    _order = "sequence, id"

    # Description
    name = fields.Char("Type", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    icon = fields.Char(
        default="fa-tasks",
        help="Font Awesome class shown beside the activity, e.g. fa-phone.",
    )

    # Planning
    default_duration = fields.Float(
        default=1.0,
        help="Length in hours given to a new activity of this type.",
    )
    is_calendar_default = fields.Boolean(
        "Goes to Calendar",
        help="New activities of this type go to the owner's calendar by default.",
    )

    _default_duration_positive = models.Constraint(
        "CHECK(default_duration >= 0)",
        "The default duration of an activity type cannot be negative.",
    )
