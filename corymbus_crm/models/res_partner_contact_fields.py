from odoo import api, fields, models

from ..importers.record import phone_match_key


# Kept apart from res_partner.py on purpose: one feature, one file.
class ResPartner(models.Model):
    """Contact details that address books hold beyond Odoo's own fields."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # The contact import looks partners up by e-mail and by name, case
    # ignored, for a few hundred entries at once: without these, each lookup
    # reads the whole table. Declared here, they go away with the module.
    _email_normalized_import_index = models.Index(
        "(email_normalized) WHERE email_normalized IS NOT NULL"
    )
    _name_lower_import_index = models.Index("(lower(name))")

    # Person
    birthday = fields.Date()
    nickname = fields.Char()
    department = fields.Char()

    # Reach
    contact_channel_ids = fields.One2many(
        "corymbus.partner.channel",
        "partner_id",
        string="Other E-mails, Phones and Websites",
    )
    phone_match_key = fields.Char(
        compute="_compute_phone_match_key",
        store=True,
        index="btree_not_null",
        help="Digits of the phone number, used to recognise the contact on import.",
    )

    # Import
    contact_uid = fields.Char(
        "Contact UID",
        copy=False,
        index="btree_not_null",
        help="Identifier the contact had in the address book it was imported "
        "from (vCard UID), used to recognise it on a later import.",
    )

    @api.depends("phone")
    def _compute_phone_match_key(self):
        for partner in self:
            partner.phone_match_key = phone_match_key(partner.phone) or False
