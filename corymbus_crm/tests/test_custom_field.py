import datetime
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.orm.registry import Registry
from odoo.tests import TransactionCase, tagged

from odoo.addons.corymbus_crm.models.corymbus_custom_field import (
    NAME_MAX_LENGTH,
    TECHNICAL_NAME_RE,
    slugify,
    technical_name_candidates,
)

from .common import CorymbusCase
from .test_custom_field_common import CustomFieldRegistryMixin


@tagged("post_install", "-at_install", "corymbus_custom_field")
class TestCustomFieldNames(TransactionCase):
    """Technical names made from labels, without a database."""

    def test_slug_of_labels(self):
        self.assertEqual(slugify("Année d'ouverture"), "annee_d_ouverture")
        self.assertEqual(slugify("Client payé ?"), "client_paye")
        self.assertEqual(slugify("IsCustomer"), "iscustomer")
        self.assertEqual(slugify("Straße  &  Œuvre"), "strasse_oeuvre")
        self.assertEqual(slugify("日本語"), "")
        self.assertEqual(
            slugify("'; DROP TABLE res_partner; --"), "drop_table_res_partner"
        )

    def test_candidates_fit_postgres(self):
        candidates = technical_name_candidates("é" * 10 + "a" * 200)
        names = [next(candidates) for _i in range(12)]
        self.assertEqual(len(set(names)), 12)
        for name in names:
            self.assertRegex(name, TECHNICAL_NAME_RE)
            self.assertLessEqual(len(name), NAME_MAX_LENGTH)
        self.assertTrue(names[-1].endswith("_12"))
        self.assertEqual(next(technical_name_candidates("日本語")), "x_field")


@tagged("post_install", "-at_install", "corymbus_custom_field")
class TestCustomFieldTypes(CustomFieldRegistryMixin, CorymbusCase):
    """Each field type, end to end: create, show, filter, group, export, import,
    remove."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls.env["res.partner"].create({"name": "Ana Reyes"})
        cls.opportunity = cls._create_opportunity(name="Ridge Pumps")

    def _record_for(self, custom_field):
        return {
            "contact": self.person,
            "company": self.customer,
            "opportunity": self.opportunity,
        }[custom_field.entity]

    def _import_row(self, custom_field, text):
        name = custom_field.technical_name
        if custom_field.entity == "company":
            return ["name", "is_company", name], ["Imported Ltd", "1", text]
        return ["name", name], ["Imported", text]

    def _check_lifecycle(
        self, custom_field, value, search_value, import_text, imported
    ):
        name = custom_field.technical_name
        Model = self.env[custom_field.model_name]
        record = self._record_for(custom_field)

        # Show: the column exists and is on the form, the list and fields_get.
        self.assertTrue(
            self._column_exists(Model._table, name) or custom_field.field_type == "tags"
        )
        views = Model.get_views([(False, "form"), (False, "list"), (False, "search")])
        self.assertIn(f'name="{name}"', views["views"]["form"]["arch"])
        self.assertIn(f'name="{name}"', views["views"]["list"]["arch"])
        description = Model.fields_get([name], ["string", "searchable", "sortable"])
        self.assertEqual(description[name]["string"], custom_field.name)
        self.assertTrue(description[name]["searchable"])

        # Filter and group.
        record.write({name: value})
        operator = "in" if custom_field.field_type == "tags" else "="
        self.assertIn(record, Model.search([(name, operator, search_value)]))
        groupby = (
            f"{name}:day" if custom_field.field_type in ("date", "datetime") else name
        )
        groups = Model._read_group([("id", "=", record.id)], [groupby], ["__count"])
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0][1], 1)

        # Export and import.
        exported = record.export_data([name])["datas"][0][0]
        self.assertNotIn(exported, (None, ""))
        columns, row = self._import_row(custom_field, import_text)
        # Imported date-times are read in the user's time zone: pin it.
        result = Model.with_context(tz="UTC").load(columns, [row])
        self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(Model.browse(result["ids"])[name], imported)
        return record

    def _check_removal(self, custom_field):
        name = custom_field.technical_name
        Model = self.env[custom_field.model_name]
        table = Model._table
        custom_field.unlink()
        self.assertNotIn(name, self.env[Model._name]._fields)
        self.assertFalse(self._column_exists(table, name))
        self.assertFalse(self.env["ir.model.fields"]._get(Model._name, name))
        views = self.env[Model._name].get_views(
            [(False, "form"), (False, "list"), (False, "search")]
        )["views"]
        for view in views.values():
            self.assertNotIn(name, view["arch"])

    def test_boolean(self):
        field = self._create_custom_field(name="Is customer", field_type="boolean")
        self.assertEqual(field.technical_name, "x_is_customer")
        self.assertEqual(field.no_filter_label, "Is not customer")
        self._check_lifecycle(field, True, True, "1", True)
        self.assertEqual(
            self.person.export_data([field.technical_name])["datas"], [[True]]
        )
        search_arch = self.env["res.partner"].get_views([(False, "search")])["views"][
            "search"
        ]["arch"]
        self.assertIn('string="Is customer"', search_arch)
        self.assertIn('string="Is not customer"', search_arch)
        self._check_removal(field)

    def test_short_and_long_text(self):
        short = self._create_custom_field(name="Favourite colour")
        self._check_lifecycle(short, "Teal", "Teal", "Blue", "Blue")
        long = self._create_custom_field(name="Background", field_type="text")
        self._check_lifecycle(
            long, "Met at a\nfair", "Met at a\nfair", "Other", "Other"
        )
        self._check_removal(short)
        self._check_removal(long)

    def test_whole_and_decimal_numbers(self):
        year = self._create_custom_field(
            name="Année d'ouverture", entity="company", field_type="integer"
        )
        self.assertEqual(year.technical_name, "x_annee_d_ouverture")
        self._check_lifecycle(year, 1998, 1998, "2004", 2004)
        ratio = self._create_custom_field(
            name="Margin rate", entity="opportunity", field_type="float"
        )
        self._check_lifecycle(ratio, 3.25, 3.25, "4.5", 4.5)
        self._check_removal(year)
        self._check_removal(ratio)

    def test_amount(self):
        budget = self._create_custom_field(
            name="Yearly budget", entity="company", field_type="monetary"
        )
        self._check_lifecycle(budget, 1500.0, 1500.0, "2500.5", 2500.5)
        deal_budget = self._create_custom_field(
            name="Budget approved", entity="opportunity", field_type="monetary"
        )
        self._check_lifecycle(deal_budget, 900.0, 900.0, "120", 120.0)
        self._check_removal(budget)
        self._check_removal(deal_budget)

    def test_date_and_datetime(self):
        day = self._create_custom_field(
            name="Budget approved on", entity="opportunity", field_type="date"
        )
        self._check_lifecycle(
            day,
            datetime.date(2026, 3, 1),
            datetime.date(2026, 3, 1),
            "2026-04-02",
            datetime.date(2026, 4, 2),
        )
        moment = self._create_custom_field(name="Last visit", field_type="datetime")
        self._check_lifecycle(
            moment,
            datetime.datetime(2026, 3, 1, 9, 30),
            datetime.datetime(2026, 3, 1, 9, 30),
            "2026-04-02 10:15:00",
            datetime.datetime(2026, 4, 2, 10, 15),
        )
        self._check_removal(day)
        self._check_removal(moment)

    def test_choice_list(self):
        channel = self._create_custom_field(
            name="Channel",
            entity="opportunity",
            field_type="selection",
            option_ids=[
                (0, 0, {"name": "Phone"}),
                (0, 0, {"name": "E-mail"}),
                (0, 0, {"name": "Salon / Fair"}),
            ],
        )
        self.assertEqual(
            channel.option_ids.mapped("value"), ["phone", "e_mail", "salon_fair"]
        )
        self._check_lifecycle(channel, "phone", "phone", "E-mail", "e_mail")
        search_arch = self.env["corymbus.opportunity"].get_views([(False, "search")])[
            "views"
        ]["search"]["arch"]
        self.assertIn('string="Channel: Phone"', search_arch)
        self.assertIn("context=\"{'group_by': 'x_channel'}\"", search_arch)
        self._check_removal(channel)

    def test_tag_list(self):
        segments = self._create_custom_field(
            name="Segments",
            field_type="tags",
            option_ids=[(0, 0, {"name": "VIP"}), (0, 0, {"name": "SMB"})],
        )
        vip, smb = segments.option_ids
        self._check_lifecycle(segments, [(6, 0, vip.ids)], vip.ids, "SMB", smb)
        self._check_removal(segments)

    def test_link_to_company(self):
        referrer = self._create_custom_field(
            name="Referrer", field_type="partner", partner_kind="company"
        )
        odoo_field = self.env["res.partner"]._fields[referrer.technical_name]
        self.assertEqual(odoo_field.comodel_name, "res.partner")
        self._check_lifecycle(
            referrer,
            self.customer.id,
            self.customer.id,
            "Nordlicht GmbH",
            self.customer,
        )
        self._check_removal(referrer)

    def test_activity_fields(self):
        if "corymbus.activity" not in self.env:
            # Until the activities are installed the choice is refused clearly.
            with self.assertRaisesRegex(ValidationError, "not installed"):
                self._create_custom_field(
                    name="Channel", entity="activity", field_type="char"
                )
            return
        channel = self._create_custom_field(
            name="Channel",
            entity="activity",
            field_type="selection",
            option_ids=[(0, 0, {"name": "Phone"}), (0, 0, {"name": "Visit"})],
        )
        Activity = self.env["corymbus.activity"]
        self.assertIn(channel.technical_name, Activity._fields)
        views = Activity.get_views([(False, "form"), (False, "search")])["views"]
        self.assertIn(f'name="{channel.technical_name}"', views["form"]["arch"])
        self.assertIn('string="Channel: Visit"', views["search"]["arch"])
        self._check_removal(channel)


@tagged("post_install", "-at_install", "corymbus_custom_field")
class TestCustomFieldLifecycle(CustomFieldRegistryMixin, CorymbusCase):
    """Batches, relabelling, options, removal and access."""

    def test_br11_yes_no_never_set_counts_as_no(self):
        """BR-11: a Yes/No added after the contacts exist is No for them."""
        Partner = self.env["res.partner"]
        ana, ben, chloe = Partner.create(
            [{"name": "Ana Reyes"}, {"name": "Ben Ochoa"}, {"name": "Chloé Martin"}]
        )
        people = ana | ben | chloe
        field = self._create_custom_field(name="Is customer", field_type="boolean")
        name = field.technical_name
        ana[name] = True

        in_scope = [("id", "in", people.ids)]
        self.assertEqual(Partner.search(in_scope + [(name, "=", True)]), ana)
        self.assertEqual(Partner.search(in_scope + [(name, "=", False)]), ben | chloe)
        self.assertEqual(Partner.search_count(in_scope + [(name, "!=", True)]), 2)
        groups = dict(Partner._read_group(in_scope, [name], ["__count"]))
        self.assertEqual(groups, {True: 1, False: 2})
        exported = people.sorted("id").export_data(["name", name])["datas"]
        self.assertEqual(
            exported,
            [["Ana Reyes", True], ["Ben Ochoa", False], ["Chloé Martin", False]],
        )

        # Hand-written SQL sees false, never NULL, old and new rows alike.
        Partner.create({"name": "Dana Holt"})
        Partner.flush_model()
        self.env.cr.execute(
            f"SELECT count(*) FILTER (WHERE {name} IS NOT TRUE),"
            f" count(*) FILTER (WHERE {name} = false),"
            f" count(*) FILTER (WHERE {name} IS NULL) FROM res_partner"
        )
        not_true, false, null = self.env.cr.fetchone()
        self.assertEqual(null, 0)
        self.assertEqual(not_true, false)
        self.assertEqual(
            not_true, Partner.with_context(active_test=False).search_count([]) - 1
        )

        # The predefined "No" filter of the search view finds Ben and Chloé.
        search_arch = Partner.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn(f"('{name}', '=', False)", search_arch)

    def test_br13_accents_capitals_and_collisions(self):
        """BR-13: ASCII lowercase names, unique, searchable, removable."""
        paid = self._create_custom_field(name="Client payé ?", field_type="boolean")
        year = self._create_custom_field(name="Année d'ouverture", field_type="integer")
        paid_again = self._create_custom_field(name="Paye", field_type="boolean")
        customer = self._create_custom_field(name="IsCustomer", field_type="boolean")
        payé = self._create_custom_field(name="Payé", field_type="char")
        self.assertEqual(paid.technical_name, "x_client_paye")
        self.assertEqual(year.technical_name, "x_annee_d_ouverture")
        self.assertEqual(paid_again.technical_name, "x_paye")
        self.assertEqual(customer.technical_name, "x_iscustomer")
        self.assertEqual(payé.technical_name, "x_paye_2")

        Partner = self.env["res.partner"]
        fields_ = paid | year | paid_again | customer | payé
        for field in fields_:
            self.assertRegex(field.technical_name, TECHNICAL_NAME_RE)
            self.assertLessEqual(len(field.technical_name), NAME_MAX_LENGTH)
            Partner.search([(field.technical_name, "!=", False)])
            Partner._read_group([], [field.technical_name], ["__count"])
            self.customer_contact.export_data([field.technical_name])

        # A raw technical name outside ASCII is refused before any DDL.
        sequence = self.registry.registry_sequence
        for raw in ("x_année", "x_Client", "client", "x_a b", "x_" + "a" * 62):
            with self.assertRaises(ValidationError):
                self._create_custom_field(name=f"Raw {raw}", technical_name=raw)
        # A raw name that already exists is refused, not reused.
        with self.assertRaisesRegex(ValidationError, "already exists"):
            self._create_custom_field(name="Paid", technical_name="x_paye")
        self.assertEqual(self.registry.registry_sequence, sequence)
        self.assertFalse(self._column_exists("res_partner", "x_annee"))

        fields_.unlink()
        for name in ("x_client_paye", "x_annee_d_ouverture", "x_paye", "x_paye_2"):
            self.assertFalse(self._column_exists("res_partner", name))

    def test_batch_reloads_registry_once(self):
        calls = []
        original = Registry._setup_models__

        def counting(registry, cr, *args, **kwargs):
            calls.append(args)
            return original(registry, cr, *args, **kwargs)

        with patch.object(Registry, "_setup_models__", counting):
            self.env["corymbus.custom.field"].create(
                [
                    {"name": "Is customer", "field_type": "boolean"},
                    {"name": "Founded", "entity": "company", "field_type": "integer"},
                    {
                        "name": "Channel",
                        "entity": "opportunity",
                        "field_type": "selection",
                        "option_ids": [(0, 0, {"name": "Phone"})],
                    },
                    {"name": "Hobbies", "field_type": "tags"},
                ]
            )
        self.assertEqual(len(calls), 1)
        self.assertIn("x_founded", self.env["res.partner"]._fields)
        self.assertIn("x_channel", self.env["corymbus.opportunity"]._fields)

    def test_contact_field_shows_on_persons_only(self):
        self._create_custom_field(name="Is customer", field_type="boolean")
        self._create_custom_field(
            name="Founded", entity="company", field_type="integer"
        )
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn('name="x_is_customer" invisible="is_company"', arch)
        self.assertIn('name="x_founded" invisible="not is_company"', arch)

    def test_required_on_the_form_of_its_kind(self):
        field = self._create_custom_field(name="Sector code", is_required=True)
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn('required="not is_company"', arch)
        # Records made elsewhere (another app, an import) are not blocked.
        self.env["res.partner"].create({"name": "Walk-in"})
        field.is_required = False
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertNotIn('required="not is_company"', arch)

    def test_relabel_and_edit_options(self):
        field = self._create_custom_field(name="Is customer", field_type="boolean")
        field.name = "Is client"
        Partner = self.env["res.partner"]
        self.assertEqual(Partner._fields["x_is_customer"].string, "Is client")
        self.assertEqual(
            Partner.fields_get(["x_is_customer"])["x_is_customer"]["string"],
            "Is client",
        )
        self.assertEqual(field.no_filter_label, "Is not client")
        self.assertEqual(field.technical_name, "x_is_customer")

        channel = self._create_custom_field(
            name="Channel",
            entity="opportunity",
            field_type="selection",
            option_ids=[(0, 0, {"name": "Phone"}), (0, 0, {"name": "Fair"})],
        )
        deal = self._create_opportunity(name="Osprey Labels", x_channel="fair")
        phone, fair = channel.option_ids
        phone.name = "Telephone"
        channel.write({"option_ids": [(0, 0, {"name": "Web"})]})
        Opportunity = self.env["corymbus.opportunity"]
        selection = dict(Opportunity._fields["x_channel"].selection)
        self.assertEqual(
            selection, {"phone": "Telephone", "fair": "Fair", "web": "Web"}
        )
        deal.x_channel = "web"
        fair.unlink()
        self.assertNotIn("fair", dict(Opportunity._fields["x_channel"].selection))
        self.assertEqual(deal.x_channel, "web")
        search_arch = Opportunity.get_views([(False, "search")])["views"]["search"][
            "arch"
        ]
        self.assertIn('string="Channel: Telephone"', search_arch)
        self.assertNotIn("Channel: Fair", search_arch)

        with self.assertRaises(UserError):
            channel.field_type = "char"
        with self.assertRaises(UserError):
            channel.technical_name = "x_other"

    def test_removal_tells_and_cleans(self):
        field = self._create_custom_field(name="Is customer", field_type="boolean")
        saved = self.env["ir.filters"].create(
            {
                "name": "Customers",
                "model_id": "res.partner",
                "domain": "[('x_is_customer', '=', True)]",
            }
        )
        other_saved = self.env["ir.filters"].create(
            {
                "name": "Paris",
                "model_id": "res.partner",
                "domain": "[('city', '=', 'Paris')]",
            }
        )
        export = self.env["ir.exports"].create(
            {
                "name": "Mailing list",
                "resource": "res.partner",
                "export_fields": [
                    (0, 0, {"name": "name"}),
                    (0, 0, {"name": "x_is_customer"}),
                ],
            }
        )
        view = self.env["ir.ui.view"].create(
            {
                "name": "Someone's own view",
                "model": "res.partner",
                "inherit_id": self.env.ref("base.view_partner_form").id,
                "arch": '<field name="email" position="after">'
                '<field name="x_is_customer"/></field>',
            }
        )
        group = self.env["corymbus.contact.group"].create(
            {"name": "Prospects", "rule_domain": "[('x_is_customer', '=', False)]"}
        )

        wizard = (
            self.env["corymbus.custom.field.remove"]
            .with_context(**field.action_open_remove_wizard()["context"])
            .create({})
        )
        self.assertTrue(wizard.is_blocked)
        for text in (
            "Customers",
            "Mailing list",
            "Someone&#39;s own view",
            "Prospects",
        ):
            self.assertIn(text, str(wizard.usage_html))
        with self.assertRaisesRegex(UserError, "Prospects"):
            field.unlink()
        self.assertTrue(self._column_exists("res_partner", "x_is_customer"))

        view.unlink()
        group.rule_domain = "[('city', '=', 'Lyon')]"
        wizard.invalidate_recordset()
        self.assertFalse(wizard.is_blocked)
        wizard.action_remove()
        self.assertFalse(field.exists())
        self.assertFalse(saved.exists())
        self.assertTrue(other_saved.exists())
        self.assertEqual(export.export_fields.mapped("name"), ["name"])
        self.assertFalse(self._column_exists("res_partner", "x_is_customer"))
        # Every remaining view still validates.
        self.env["res.partner"].get_views(
            [(False, "form"), (False, "list"), (False, "search")]
        )

    def test_no_user_text_in_code_attributes(self):
        field = self._create_custom_field(
            name="Referrer')], compute='x', related='name",
            field_type="partner",
            partner_kind="person",
            help_text="<script>alert(1)</script> ${object.password}",
        )
        odoo_field = field.ir_field_id
        self.assertFalse(odoo_field.compute)
        self.assertFalse(odoo_field.related)
        self.assertEqual(odoo_field.domain, "[('is_company', '=', False)]")
        self.assertFalse(odoo_field.depends)
        with self.assertRaises(ValueError):
            field.partner_kind = "[('id', '>', 0)]"

    def test_only_administrators_create_fields(self):
        CustomField = self.env["corymbus.custom.field"]
        for user in (self.salesman, self.salesman_all):
            with self.assertRaises(AccessError):
                CustomField.with_user(user).create({"name": "Is customer"})
        with self.assertRaises(AccessError):
            CustomField.with_user(self.portal_user).search([])

        field = CustomField.with_user(self.manager).create(
            {"name": "Is customer", "field_type": "boolean"}
        )
        self.assertTrue(field.ir_field_id)
        # Users see the field on contacts, and filter on it.
        self.customer_contact.x_is_customer = True
        Partner = self.env["res.partner"].with_user(self.salesman)
        self.assertIn(
            self.customer_contact, Partner.search([("x_is_customer", "=", True)])
        )
        self.assertTrue(Partner.fields_get(["x_is_customer"]))
        for user in (self.salesman, self.salesman_all):
            with self.assertRaises(AccessError):
                field.with_user(user).name = "Is client"
            with self.assertRaises(AccessError):
                field.with_user(user).unlink()
            with self.assertRaises(AccessError):
                field.option_ids.with_user(user).create(
                    {"field_id": field.id, "name": "Maybe"}
                )
        field.with_user(self.manager).unlink()
        self.assertNotIn("x_is_customer", self.env["res.partner"]._fields)

    def test_remove_all_for_uninstall(self):
        self.env["corymbus.custom.field"].create(
            [
                {"name": "Is customer", "field_type": "boolean"},
                {"name": "Hobbies", "field_type": "tags"},
                {"name": "Channel", "entity": "opportunity"},
            ]
        )
        self.env["corymbus.custom.field"]._remove_all_custom_fields()
        self.assertFalse(self.env["corymbus.custom.field"].search([]))
        self.assertFalse(
            self.env["ir.ui.view"].search([("name", "like", "corymbus.custom.fields")])
        )
        self.assertFalse(self._column_exists("res_partner", "x_is_customer"))
        self.assertFalse(self._column_exists("corymbus_opportunity", "x_channel"))
        self.assertNotIn("x_hobbies", self.env["res.partner"]._fields)
