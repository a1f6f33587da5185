"""Helpers shared by the custom field, contact group and prospecting tests."""

from odoo.addons.corymbus_crm.models.corymbus_custom_field import ENTITY_MODELS


class CustomFieldRegistryMixin:
    """Give each test a registry without the custom fields of earlier tests.

    A custom field changes the registry in memory; the test transaction is
    rolled back after each test, so the registry is rebuilt from the rolled
    back database once the savepoint is gone.
    """

    def setUp(self):
        # Registered before the savepoint's own cleanup, so it runs after it.
        self.addCleanup(self._reset_custom_fields_registry)
        super().setUp()
        self._registry_sequence = self.registry.registry_sequence

    def _reset_custom_fields_registry(self):
        # Requests of browser tests signal their changes instead of leaving
        # the registry invalidated: compare the sequence too.
        changed = self.registry.registry_sequence != self._registry_sequence
        if self.registry.registry_invalidated or changed:
            self.registry.clear_cache("stable")
            model_names = [
                name for name in ENTITY_MODELS.values() if name in self.registry
            ]
            self.registry._setup_models__(self.cr, model_names)

    def _column_exists(self, table, column):
        self.cr.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = %s AND column_name = %s",
            [table, column],
        )
        return bool(self.cr.fetchone())

    def _create_custom_field(self, **values):
        values.setdefault("entity", "contact")
        values.setdefault("field_type", "char")
        return self.env["corymbus.custom.field"].create(values)
