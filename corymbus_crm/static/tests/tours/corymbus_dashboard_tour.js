import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const tile = (figure, count) =>
    `.o_corymbus_dashboard_tile[data-figure='${figure}'][data-count='${count}']`;

/** A list holding exactly `count` rows, among them the given names. */
const listOf = (count, names) =>
    [
        `.o_list_view:has(.o_data_row:nth-child(${count}))`,
        `:not(:has(.o_data_row:nth-child(${count + 1})))`,
        ...names.map((name) => `:has(.o_data_row:contains('${name}'))`),
    ].join("");

/**
 * A manager lands on the dashboard, opens the records behind two tiles and
 * widens the scope to everyone: each tile's count is the length of its list.
 */
registry.category("web_tour.tours").add("corymbus_dashboard_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Corymbus app: the dashboard is its landing page",
            trigger: ".o_app[data-menu-xmlid='corymbus_crm.corymbus_menu_root']",
            run: "click",
        },
        {
            content: "My open pipeline counts my three open deals",
            trigger: `.o_corymbus_dashboard ${tile("open", 3)}`,
        },
        {
            content: "The pipeline by stage is drawn",
            trigger: ".o_corymbus_dashboard_chart[data-chart='by_stage'] canvas",
            run: "canvasNotEmpty",
        },
        {
            content:
                "No deal is expected to close this month: a message, no empty axes",
            trigger: [
                ".o_corymbus_dashboard_chart_empty[data-chart='forecast']",
                ":contains('No open opportunity expected to close in this period.')",
            ].join(""),
        },
        {
            content: "The forecast draws no chart",
            trigger: ".o_corymbus_dashboard:not(:has([data-chart='forecast'] canvas))",
        },
        {
            content: "The top opportunities start with the heaviest",
            trigger:
                ".o_corymbus_dashboard_top tbody tr:first-child:contains('Tour deal Alpha')",
        },
        {
            content: "Open the records behind the open pipeline",
            trigger: tile("open", 3),
            run: "click",
        },
        {
            content: "The list shows the three deals the tile counts",
            trigger: listOf(3, [
                "Tour deal Alpha",
                "Tour deal Beta",
                "Tour deal Gamma",
            ]),
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "Look at everyone's figures",
            trigger: ".o_corymbus_dashboard select.o_corymbus_dashboard_scope",
            run: "select all",
        },
        {
            content: "The colleague's open deal joins the count",
            trigger: tile("open", 4),
        },
        {
            content: "Open the activities done this month",
            trigger:
                ".o_corymbus_dashboard_activity_total[data-state='done'][data-count='1']",
            run: "click",
        },
        {
            content: "The list shows the call the total counts",
            trigger: listOf(1, ["Tour call with Alpha"]),
        },
        {
            content: "Back to the dashboard again",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "Open the deals won this month",
            trigger: tile("won", 2),
            run: "click",
        },
        {
            content: "The list shows the two won deals",
            trigger: listOf(2, ["Tour won Delta", "Tour won Epsilon"]),
        },
    ],
});
