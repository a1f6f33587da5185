import { registry } from "@web/core/registry";

const column = (stage) => `.o_kanban_group:has(.o_column_title:contains('${stage}'))`;
const noColumn = (stage) =>
    `.o_kanban_renderer:not(:has(.o_column_title:contains('${stage}')))`;

// The column menu shows on hover only.
const openColumnMenu = (stage) => ({
    content: `Open the menu of the ${stage} column`,
    trigger: `${column(stage)} .o_kanban_header`,
    run: `hover && click ${column(stage)} .o_group_config .dropdown-toggle`,
});

const clickColumnMenuItem = (itemClass, content) => ({
    content,
    trigger: `.o-dropdown--group-config-menu .${itemClass}`,
    run: "click",
});

/**
 * An administrator shapes the pipeline from the kanban: adds a column, deletes
 * it while empty, renames one, reorders two, and removes stages that hold
 * opportunities through the wizard that moves them first.
 */
registry.category("web_tour.tours").add("corymbus_pipeline_stages_tour", {
    url: "/odoo/action-corymbus_crm.corymbus_opportunity_action",
    steps: () => [
        {
            content: "Wait for the pipeline",
            trigger: `${column("Negotiation")} .o_kanban_record:contains('Negotiated deal')`,
        },
        {
            content: "Unfold the column quick create",
            trigger:
                ".o_column_quick_create.o_quick_create_folded .o_quick_create_button",
            run: "click",
        },
        {
            content: "Name the new column",
            trigger: ".o_column_quick_create input",
            run: "edit Tour stage",
        },
        {
            content: "Add it",
            trigger: ".o_column_quick_create .o_kanban_add",
            run: "click",
        },
        openColumnMenu("Tour stage"),
        clickColumnMenuItem("o_group_delete", "Delete the empty column"),
        {
            content: "Confirm",
            trigger: ".modal:contains('Tour stage') .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The column is gone",
            trigger: `body:not(:has(.modal)) ${noColumn("Tour stage")}`,
        },
        openColumnMenu("Lead"),
        clickColumnMenuItem("o_group_delete", "Delete a column that only looks empty"),
        {
            content: "Its archived deal brings up the wizard; discard it",
            trigger:
                ".modal:has([name=target_stage_id]) .modal-footer [special=cancel]",
            run: "click",
        },
        {
            content: "The Lead column stays",
            trigger: `body:not(:has(.modal)) ${column("Lead")}`,
        },
        openColumnMenu("Negotiation"),
        clickColumnMenuItem("o_group_delete", "Delete a column that holds deals"),
        {
            content: "Choose where its deals go",
            trigger: ".modal .o_field_widget[name=target_stage_id] input",
            run: "edit Proposal",
        },
        {
            content: "Pick Proposal",
            trigger: ".o-autocomplete--dropdown-item:contains('Proposal')",
            run: "click",
        },
        {
            content: "Remove the stage",
            trigger: ".modal-footer button[name=action_remove]",
            run: "click",
        },
        {
            content: "The removed column's deal moved to Proposal",
            trigger: `body:not(:has(.modal)) ${column("Proposal")} .o_kanban_record:contains('Negotiated deal')`,
        },
        openColumnMenu("Proposal"),
        clickColumnMenuItem("o_group_edit", "Edit the column"),
        {
            content: "Rename the stage",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Proposal sent",
        },
        {
            content: "Save",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The column carries the new name",
            trigger: "body:not(:has(.modal)) .o_column_title:contains('Proposal sent')",
        },
        {
            content: "Move the Qualified column before Lead",
            trigger: `${column("Qualified")} .o_column_title`,
            async run(helpers) {
                await helpers.drag_and_drop(column("Lead"), {
                    position: { top: 10, left: 10 },
                    relative: true,
                });
            },
        },
        {
            content: "Qualified now comes first",
            trigger: `${column("Qualified")} + ${column("Lead")}`,
        },
    ],
});
