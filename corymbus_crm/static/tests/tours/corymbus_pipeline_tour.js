import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const DEAL = "Tour deal: Atelier Brun";
const REASON = "Budget frozen by the board";

const column = (stage) => `.o_kanban_group:has(.o_column_title:contains('${stage}'))`;

/** A column whose header shows these count, total and weighted total. */
const columnHeader = (stage, count, total, weighted) =>
    [
        column(stage),
        `:has(.o_corymbus_column_count:contains('(${count})'))`,
        `:has(.o_corymbus_column_total[data-value='${total}'])`,
        `:has(.o_corymbus_weighted_total[data-value='${weighted}'])`,
    ].join("");

const card = (name) => `.o_kanban_record:contains('${name}')`;

// The lost-reason dialog: pick the reason, confirm.
const giveLostReason = () => [
    {
        content: "Look for the lost reason",
        trigger: ".modal .o_field_widget[name=lost_reason_id] input",
        run: "edit Budget frozen",
    },
    {
        content: "Pick the lost reason",
        trigger: `.o-autocomplete--dropdown-item:contains('${REASON}')`,
        run: "click",
    },
    {
        content: "Confirm",
        trigger: ".modal-footer button[name=action_mark_lost]",
        run: "click",
    },
];

/**
 * A salesperson's day on the pipeline: quick create in a column, drag to the
 * next stage, show a column's deals without a planned activity, lose the deal
 * with a reason, reopen it, set its probability by hand and give it back to
 * the stage, then drop another deal on the Lost column, which asks the reason
 * too. The test checks the database afterwards.
 */
registry.category("web_tour.tours").add("corymbus_pipeline_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Corymbus app",
            trigger: ".o_app[data-menu-xmlid='corymbus_crm.corymbus_menu_root']",
            run: "click",
        },
        {
            content: "Open the Sales menu",
            trigger: "[data-menu-xmlid='corymbus_crm.corymbus_menu_sales']",
            run: "click",
        },
        {
            content: "Open the pipeline",
            trigger:
                ".dropdown-item[data-menu-xmlid='corymbus_crm.corymbus_menu_pipeline']",
            run: "click",
        },
        {
            content: "The Proposal column counts and sums the seeded deal",
            trigger: `.o_corymbus_opportunity_kanban_view ${columnHeader("Proposal", 1, 20000, 10000)}`,
        },
        {
            content: "The Lead column sums all its deals, loaded or not",
            trigger: `${columnHeader("Lead", 81, 8100, 810)}:has(.o_kanban_load_more)`,
        },
        {
            content: "Point at the Qualified column's title",
            trigger: `${column("Qualified")} .o_column_title`,
            run: "hover",
        },
        {
            content: "Its tooltip tells the stage's requirements",
            trigger:
                ".o_popover:contains('Requirements'):contains('Tour: budget is known')",
        },
        {
            content: "Quick create in the Qualified column",
            trigger: `${column("Qualified")} .o_kanban_quick_add`,
            run: "click",
        },
        {
            content: "Name the deal",
            trigger: ".o_kanban_quick_create .o_field_widget[name=name] input",
            run: `edit ${DEAL}`,
        },
        {
            content: "Give its amount",
            trigger: ".o_kanban_quick_create .o_field_widget[name=amount] input",
            run: "edit 12000",
        },
        {
            content: "Add it",
            trigger: `${column("Qualified")} .o_kanban_quick_create .o_kanban_add`,
            run: "click",
        },
        {
            content: "The deal sits in Qualified, weighted at the column's 25 %",
            trigger: `${columnHeader("Qualified", 1, 12000, 3000)} ${card(DEAL)}`,
        },
        {
            content: "Close the quick create",
            trigger: ".o_kanban_renderer",
            run: "click",
        },
        {
            content: "The quick create is closed",
            trigger: ".o_kanban_renderer:not(:has(.o_kanban_quick_create))",
        },
        {
            content: "Drag the deal to Proposal",
            trigger: `${column("Qualified")} ${card(DEAL)}`,
            async run(helpers) {
                await helpers.drag_and_drop(column("Proposal"), {
                    position: { top: 80 },
                    relative: true,
                });
            },
        },
        {
            content: "Proposal counts and weighs both deals over the whole column",
            trigger: `${columnHeader("Proposal", 2, 32000, 16000)} ${card(DEAL)}`,
        },
        {
            content: "Qualified is empty again",
            trigger: `${columnHeader("Qualified", 0, 0, 0)}:not(:has(.o_kanban_record))`,
        },
        {
            content: "Show only the overdue deals of Proposal",
            trigger: `${column("Proposal")} .o_column_progress .progress-bar.bg-danger`,
            run: "click",
        },
        {
            content: "The column, its count and its totals keep only the overdue deal",
            trigger: [
                columnHeader("Proposal", 1, 20000, 10000),
                `:not(:has(${card(DEAL)}))`,
                ` ${card("Seeded proposal")}`,
            ].join(""),
        },
        {
            content: "Show the whole column again",
            trigger: `${column("Proposal")} .o_column_progress .progress-bar.bg-danger`,
            run: "click",
        },
        {
            content: "Select the part of Negotiation's bar without a closing date",
            trigger: `${column("Negotiation")} .o_column_progress .progress-bar.bg-200`,
            run: "click",
        },
        {
            content: "Negotiation tells how many of its deals have nothing planned",
            trigger: [
                columnHeader("Negotiation", 2, 10000, 7500),
                ":has(.progress-bar-striped)",
                " .o_corymbus_no_activity[data-count='1'][aria-pressed='false']",
            ].join(""),
            run: "click",
        },
        {
            content: "The column, its count and its totals keep only the idle deal",
            trigger: [
                columnHeader("Negotiation", 1, 4000, 3000),
                ".o_corymbus_no_activity_shown",
                ":not(:has(.progress-bar-striped))",
                `:not(:has(${card("Busy negotiation")}))`,
                ` ${card("Idle negotiation")}`,
            ].join(""),
        },
        {
            content: "Show the whole Negotiation column again",
            trigger: `${column("Negotiation")} .o_corymbus_no_activity[aria-pressed='true']`,
            run: "click",
        },
        {
            content: "Negotiation shows both deals again",
            trigger: [
                columnHeader("Negotiation", 2, 10000, 7500),
                ":not(.o_corymbus_no_activity_shown)",
                ` ${card("Busy negotiation")}`,
            ].join(""),
        },
        {
            content: "Open the deal",
            trigger: `${columnHeader("Proposal", 2, 32000, 16000)} ${card(DEAL)}`,
            run: "click",
        },
        {
            content: "Mark it lost",
            trigger: ".o_form_view button[name=action_open_mark_lost]",
            run: "click",
        },
        ...giveLostReason(),
        {
            content: "The deal is in the Lost stage and keeps its reason",
            trigger: [
                ".o_form_view:has(.o_arrow_button_current:contains('Lost'))",
                ` .o_field_widget[name=lost_reason_id] input:value('${REASON}')`,
            ].join(""),
        },
        {
            content: "Reopen it",
            trigger: ".o_form_view button[name=action_reopen]",
            run: "click",
        },
        {
            content: "The deal is back in Proposal, following the stage",
            trigger: [
                ".o_form_view:not(:has(.ribbon))",
                ":has(.badge:contains('Follows the stage'))",
                " .o_arrow_button_current:contains('Proposal')",
            ].join(""),
        },
        {
            content: "Set the probability by hand",
            trigger: ".o_form_view .o_field_widget[name=probability] input",
            run: "edit 65 && click body",
        },
        {
            content: "The form tells the value is set by hand",
            trigger: ".o_form_view .badge:contains('Set by hand')",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Wait for the save",
            trigger: ".o_form_saved .badge:contains('Set by hand')",
        },
        {
            content: "Use the stage's value again",
            trigger: ".o_form_view button[name=action_reset_probability]",
            run: "click",
        },
        {
            content: "The probability follows the stage again",
            trigger: [
                ".o_form_saved:not(:has(button[name=action_reset_probability]))",
                ":has(.badge:contains('Follows the stage'))",
                " .o_field_widget[name=probability] input:value('50')",
            ].join(""),
        },
        {
            content: "Back to the pipeline",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "Drop the seeded deal on the Lost column",
            trigger: `${columnHeader("Proposal", 2, 32000, 16000)} ${card("Seeded proposal")}`,
            async run(helpers) {
                await helpers.drag_and_drop(column("Lost"), {
                    position: { top: 80 },
                    relative: true,
                });
            },
        },
        {
            content: "The lost reason is asked first: discard",
            trigger:
                ".modal:has(.o_field_widget[name=lost_reason_id]) .modal-footer button:contains('Discard')",
            run: "click",
        },
        {
            content: "Discarding leaves the deal in Proposal",
            trigger: [
                "body:not(:has(.modal))",
                ` ${columnHeader("Proposal", 2, 32000, 16000)} ${card("Seeded proposal")}`,
            ].join(""),
        },
        {
            content: "Drop the seeded deal on the Lost column again",
            trigger: `${column("Proposal")} ${card("Seeded proposal")}`,
            async run(helpers) {
                await helpers.drag_and_drop(column("Lost"), {
                    position: { top: 80 },
                    relative: true,
                });
            },
        },
        ...giveLostReason(),
        {
            content: "The deal sits in the Lost column",
            trigger: [
                "body:not(:has(.modal))",
                ` ${columnHeader("Lost", 1, 20000, 0)} ${card("Seeded proposal")}`,
            ].join(""),
        },
        {
            content: "Proposal keeps the other deal",
            trigger: [
                columnHeader("Proposal", 1, 12000, 6000),
                `:not(:has(${card("Seeded proposal")}))`,
                ` ${card(DEAL)}`,
            ].join(""),
        },
    ],
});
