from odoo import api, fields, models
from odoo.tools import email_normalize

from ..importers.record import email_match_key, phone_match_key, website_key

CHANNEL_USAGES = [
    ("home", "Home"),
    ("work", "Work"),
    ("mobile", "Mobile"),
    ("fax", "Fax"),
    ("pager", "Pager"),
    ("main", "Main"),
    ("other", "Other"),
]


class CorymbusPartnerChannel(models.Model):
    """Another e-mail address, phone number or website of a contact.

    A contact's main e-mail, phone and website stay in Odoo's own fields;
    address books often hold more, and the contact import keeps them here.
    ``match_key`` lets an import find the contact again by any of them.
    """

    _name = "corymbus.partner.channel"
    _description = "Contact E-mail, Phone or Website"
    _order = "partner_id, kind, id"
    _rec_name = "value"

    # Owner
    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, ondelete="cascade", index=True
    )

    # Channel
    kind = fields.Selection(
        [("email", "E-mail"), ("phone", "Phone"), ("website", "Website")],
        required=True,
        default="email",
    )
    usage = fields.Selection(CHANNEL_USAGES)
    label = fields.Char(help="Label the address book gave this entry.")
    value = fields.Char(required=True)

    # Matching
    match_key = fields.Char(
        compute="_compute_match_key",
        store=True,
        index="btree_not_null",
        help="The value as the import compares it: lowercased e-mail, phone "
        "digits, web address without its scheme.",
    )

    @api.depends("kind", "value")
    def _compute_match_key(self):
        for channel in self:
            channel.match_key = channel_match_key(channel.kind, channel.value)


def channel_match_key(kind, value):
    """Key under which an import compares a value of the given kind."""
    if not value:
        return False
    if kind == "email":
        return email_normalize(value) or email_match_key(value)
    if kind == "phone":
        return phone_match_key(value) or False
    return website_key(value)
