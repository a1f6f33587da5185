import { registry } from "@web/core/registry";

/**
 * An administrator adds a Yes/No "Is customer" to contacts, ticks it on a
 * contact and filters the contacts on it.
 */
registry.category("web_tour.tours").add("corymbus_custom_field_tour", {
    url: "/odoo/action-corymbus_crm.corymbus_custom_field_action/new",
    steps: () => [
        {
            content: "Name the field",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Is customer",
        },
        {
            content: "Open the types",
            trigger: ".o_field_widget[name=field_type] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "It is a Yes/No field",
            trigger: ".o_select_menu_item:contains('Yes/No')",
            run: "click",
        },
        {
            content: "The label of its No filter is suggested once saved; save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The field is created",
            trigger: ".o_form_saved .o_field_widget[name=no_filter_label] input",
        },
        {
            content: "Check the suggested No filter",
            trigger:
                ".o_field_widget[name=no_filter_label] input:value(Is not customer)",
        },
        {
            content: "Go to the contacts",
            trigger: "body",
            run() {
                window.location.href =
                    "/odoo/action-corymbus_crm.corymbus_contact_action";
            },
            expectUnloadPage: true,
        },
        {
            content: "Open Ana",
            trigger: ".o_data_row td:contains('Ana Tour')",
            run: "click",
        },
        {
            content: "Open the Custom Fields tab",
            trigger: ".o_notebook .nav-link:contains('Custom Fields')",
            run: "click",
        },
        {
            content: "Tick Is customer",
            trigger: ".o_field_widget[name=x_is_customer] input",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Back to the list",
            trigger:
                ".o_breadcrumb .o_back_button a, .breadcrumb-item a:contains('Contacts')",
            run: "click",
        },
        {
            content: "Open the filters",
            trigger: ".o_control_panel_actions .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter on Is customer",
            trigger:
                ".o_filter_menu .o-dropdown-item:contains('Is customer'):not(:contains('not'))",
            run: "click",
        },
        {
            content: "Only Ana is left",
            trigger:
                ".o_list_renderer:has(.o_data_row td:contains('Ana Tour')):not(:has(.o_data_row td:contains('Ben Tour')))",
        },
        {
            content: "Switch to the No filter",
            trigger: ".o_filter_menu .o-dropdown-item:contains('Is not customer')",
            run: "click",
        },
        {
            content: "Both filters of the same group: everyone again",
            trigger: ".o_list_renderer .o_data_row td:contains('Ben Tour')",
        },
        {
            content: "Turn Is customer off",
            trigger:
                ".o_filter_menu .o-dropdown-item:contains('Is customer'):not(:contains('not'))",
            run: "click",
        },
        {
            content: "Ben, never ticked, counts as not a customer",
            trigger:
                ".o_list_renderer:has(.o_data_row td:contains('Ben Tour')):not(:has(.o_data_row td:contains('Ana Tour')))",
        },
    ],
});
