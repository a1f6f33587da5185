from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class CorymbusCase(TransactionCase):
    """Shared fixtures: the sales roles, the default stages and a customer.

    Tests build their own records and never rely on demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.euro = cls.env.ref("base.EUR")
        cls.usd = cls.env.ref("base.USD")

        # Roles
        cls.salesman = new_test_user(
            cls.env,
            login="corymbus_salesman",
            name="Omar Haddad",
            groups="corymbus_crm.group_corymbus_user",
        )
        cls.salesman_all = new_test_user(
            cls.env,
            login="corymbus_salesman_all",
            name="Pia Lund",
            groups="corymbus_crm.group_corymbus_user_all",
        )
        cls.manager = new_test_user(
            cls.env,
            login="corymbus_manager",
            name="Marie Curtis",
            groups="corymbus_crm.group_corymbus_manager",
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="corymbus_portal",
            name="Paul Portal",
            groups="base.group_portal",
        )

        # Stages
        cls.stage_lead = cls.env.ref("corymbus_crm.corymbus_stage_lead")
        cls.stage_qualified = cls.env.ref("corymbus_crm.corymbus_stage_qualified")
        cls.stage_proposal = cls.env.ref("corymbus_crm.corymbus_stage_proposal")
        cls.stage_negotiation = cls.env.ref("corymbus_crm.corymbus_stage_negotiation")
        cls.stage_won = cls.env.ref("corymbus_crm.corymbus_stage_won")
        cls.stage_lost = cls.env.ref("corymbus_crm.corymbus_stage_lost")
        cls.lost_reason = cls.env.ref("corymbus_crm.corymbus_lost_reason_price")

        # Customers
        cls.customer = cls.env["res.partner"].create(
            {"name": "Nordlicht GmbH", "is_company": True}
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Lena Brandt", "parent_id": cls.customer.id}
        )

    @classmethod
    def _use_case_ladder(cls):
        """The probabilities of the stage ladder used by the reported cases."""
        cls.stage_lead.probability = 10.0
        cls.stage_qualified.probability = 20.0
        cls.stage_proposal.probability = 40.0
        cls.stage_negotiation.probability = 60.0

    @classmethod
    def _use_own_company(cls, name, currency):
        """Work in a new company counting in ``currency``, the roles with it.

        The main company may hold demo deals, and accounting entries may lock
        its currency.
        """
        cls.company = cls.env["res.company"].create(
            {"name": name, "currency_id": currency.id}
        )
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.company.id])
        )
        (cls.salesman | cls.salesman_all | cls.manager | cls.portal_user).write(
            {
                "company_ids": [Command.link(cls.company.id)],
                "company_id": cls.company.id,
            }
        )

    @classmethod
    def _create_opportunity(cls, **values):
        values.setdefault("name", "Test deal")
        values.setdefault("partner_id", cls.customer.id)
        values.setdefault("user_id", cls.salesman.id)
        return cls.env["corymbus.opportunity"].create(values)
