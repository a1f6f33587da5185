import { browser } from "@web/core/browser/browser";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { ControlPanel } from "@web/search/control_panel/control_panel";
import { formatFloat, formatMonetary } from "@web/views/fields/formatters";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

import { Component, onWillStart, useState } from "@odoo/owl";

import { CorymbusDashboardChart } from "./dashboard_chart";

const OPPORTUNITY = "corymbus.opportunity";
const STORAGE_KEY = "corymbus_dashboard_filters";

/**
 * The sales dashboard, landing page of the Corymbus app.
 *
 * One server call per refresh returns every figure with the domain of the
 * records it counts; a click on a figure opens exactly those records.
 */
export class CorymbusDashboard extends Component {
    static template = "corymbus_crm.Dashboard";
    static props = { ...standardActionServiceProps };
    static components = { ControlPanel, CorymbusDashboardChart };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        // The filters chosen last in this browser tab, kept when a list opened
        // from a figure is left through the breadcrumb.
        const saved = JSON.parse(browser.sessionStorage.getItem(STORAGE_KEY) || "{}");
        const customDates = Boolean(saved.dateFrom && saved.dateTo);
        this.state = useState({
            scope: saved.scope || "me",
            userId: saved.userId || false,
            period:
                saved.period === "custom" && !customDates
                    ? "month"
                    : saved.period || "month",
            dateFrom: saved.dateFrom || "",
            dateTo: saved.dateTo || "",
            data: null,
            salespeople: [],
        });
        this.salespeopleLoaded = false;
        this.lastRequest = 0;
        onWillStart(() => this.load());
    }

    // ------------------------------------------------------------------
    // Loading
    // ------------------------------------------------------------------

    async load() {
        const { scope, userId, period, dateFrom, dateTo } = this.state;
        if (period === "custom" && !(dateFrom && dateTo)) {
            return;
        }
        browser.sessionStorage.setItem(
            STORAGE_KEY,
            JSON.stringify({ scope, userId, period, dateFrom, dateTo }),
        );
        const request = ++this.lastRequest;
        const data = await this.orm.call(
            "corymbus.dashboard",
            "get_dashboard_data",
            [],
            {
                scope,
                period,
                user_id: scope === "user" ? userId : false,
                date_from: period === "custom" ? dateFrom : false,
                date_to: period === "custom" ? dateTo : false,
                with_salespeople: !this.salespeopleLoaded,
            },
        );
        if (request !== this.lastRequest) {
            return; // a later choice of filters is already on its way
        }
        if (data.salespeople) {
            this.state.salespeople = data.salespeople;
            this.salespeopleLoaded = true;
        }
        this.state.data = data;
    }

    onScopeChange(ev) {
        this.state.scope = ev.target.value;
        if (this.state.scope === "user" && !this.state.userId) {
            this.state.userId = this.state.salespeople[0]?.id || false;
        }
        this.load();
    }

    onSalespersonChange(ev) {
        this.state.userId = parseInt(ev.target.value) || false;
        this.load();
    }

    onPeriodChange(ev) {
        this.state.period = ev.target.value;
        if (this.state.period === "custom" && this.state.data) {
            this.state.dateFrom ||= this.state.data.period.date_from;
            this.state.dateTo ||= this.state.data.period.date_to;
        }
        this.load();
    }

    onDateChange(field, ev) {
        this.state[field] = ev.target.value;
        this.load();
    }

    // ------------------------------------------------------------------
    // Formatting
    // ------------------------------------------------------------------

    get data() {
        return this.state.data;
    }

    get scopeOptions() {
        const options = [
            { value: "me", label: _t("My pipeline") },
            { value: "all", label: _t("Everyone I may see") },
        ];
        if (this.data?.can_choose_salesperson && this.state.salespeople.length) {
            options.splice(1, 0, { value: "user", label: _t("A salesperson") });
        }
        return options;
    }

    get periodOptions() {
        return [
            { value: "month", label: _t("This month") },
            { value: "quarter", label: _t("This quarter") },
            { value: "year", label: _t("This year") },
            { value: "custom", label: _t("Custom dates") },
        ];
    }

    get periodLabel() {
        const { date_from, date_to } = this.data.period;
        return _t("%(from)s to %(to)s", {
            from: formatDate(deserializeDate(date_from)),
            to: formatDate(deserializeDate(date_to)),
        });
    }

    money(value) {
        return formatMonetary(value, { currencyId: this.data.currency_id });
    }

    shortMoney(value) {
        return formatMonetary(value, {
            currencyId: this.data.currency_id,
            humanReadable: true,
            digits: [69, 0],
        });
    }

    number(value, digits = 0) {
        return formatFloat(value, { digits: [69, digits] });
    }

    get tiles() {
        const figures = this.data.figures;
        const tiles = [
            {
                key: "open",
                title: _t("Open pipeline"),
                value: this.money(figures.open.amount),
                lines: [
                    _t("Open opportunities: %(count)s", { count: figures.open.count }),
                    _t("Weighted: %(amount)s", {
                        amount: this.money(figures.open.weighted),
                    }),
                ],
            },
            {
                key: "won",
                title: _t("Won"),
                value: this.money(figures.won.amount),
                lines: [
                    _t("Opportunities won: %(count)s", { count: figures.won.count }),
                ],
            },
            {
                key: "lost",
                title: _t("Lost"),
                value: this.money(figures.lost.amount),
                lines: [
                    _t("Opportunities lost: %(count)s", { count: figures.lost.count }),
                ],
            },
            {
                key: "win_rate",
                title: _t("Win rate"),
                value:
                    figures.win_rate.value === false
                        ? "–"
                        : `${this.number(figures.win_rate.value, 1)} %`,
                lines: [
                    _t("Won: %(won)s, closed: %(closed)s", {
                        won: figures.won.count,
                        closed: figures.win_rate.count,
                    }),
                ],
            },
            {
                key: "average_won",
                title: _t("Average won deal"),
                value:
                    figures.average_won.value === false
                        ? "–"
                        : this.money(figures.average_won.value),
                lines: [
                    _t("Opportunities won: %(count)s", {
                        count: figures.average_won.count,
                    }),
                ],
            },
            {
                key: "sales_cycle",
                title: _t("Average sales cycle"),
                value:
                    figures.sales_cycle.value === false
                        ? "–"
                        : this.number(figures.sales_cycle.value, 1),
                lines: [_t("days from creation to won")],
            },
        ];
        if (figures.stalled) {
            tiles.push({
                key: "stalled",
                title: _t("Stalled"),
                value: String(figures.stalled.count),
                lines: [
                    _t("Days without activity: %(days)s or more", {
                        days: this.data.stalled_days,
                    }),
                    _t("Weighted: %(amount)s", {
                        amount: this.money(figures.stalled.weighted),
                    }),
                ],
            });
        }
        return tiles.map((tile) => ({ ...tile, count: figures[tile.key].count }));
    }

    get stageChart() {
        const stages = this.data.by_stage;
        return {
            labels: stages.map((stage) => stage.name),
            datasets: [
                { label: _t("Amount"), data: stages.map((stage) => stage.amount) },
                { label: _t("Weighted"), data: stages.map((stage) => stage.weighted) },
            ],
            emptyMessage: _t("No open opportunity to show."),
        };
    }

    get forecastChart() {
        const months = this.data.forecast;
        return {
            labels: months.map((month) =>
                deserializeDate(month.month).toFormat("LLL yyyy"),
            ),
            datasets: [
                { label: _t("Weighted"), data: months.map((month) => month.weighted) },
            ],
            emptyMessage: _t("No open opportunity expected to close in this period."),
        };
    }

    get activityChart() {
        const types = this.data.activities.by_type;
        return {
            labels: types.map((type) => type.name),
            datasets: [
                { label: _t("Done"), data: types.map((type) => type.done.count) },
                { label: _t("Planned"), data: types.map((type) => type.planned.count) },
                { label: _t("Overdue"), data: types.map((type) => type.overdue.count) },
            ],
            emptyMessage: _t("No activity done, planned or overdue in this period."),
        };
    }

    get activityStates() {
        return [
            { key: "done", label: _t("Done") },
            { key: "planned", label: _t("Planned") },
            { key: "overdue", label: _t("Overdue") },
        ];
    }

    // ------------------------------------------------------------------
    // Opening the records behind a figure
    // ------------------------------------------------------------------

    openList(name, domain, resModel = OPPORTUNITY) {
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: resModel,
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain,
            context: { create: false },
        });
    }

    openTile(tile) {
        this.openList(tile.title, this.data.figures[tile.key].domain);
    }

    openStage(index) {
        const stage = this.data.by_stage[index];
        this.openList(
            _t("Open pipeline: %(stage)s", { stage: stage.name }),
            stage.domain,
        );
    }

    openMonth(index) {
        const month = this.data.forecast[index];
        const label = deserializeDate(month.month).toFormat("LLLL yyyy");
        this.openList(
            _t("Expected to close in %(month)s", { month: label }),
            month.domain,
        );
    }

    openActivityType(index, datasetIndex) {
        const type = this.data.activities.by_type[index];
        const state = this.activityStates[datasetIndex];
        this.openActivities(`${type.name}: ${state.label}`, type[state.key]);
    }

    openActivities(name, figure) {
        this.openList(name, figure.domain, this.data.activities.model);
    }

    openOpportunity(row) {
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: OPPORTUNITY,
            res_id: row.id,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("corymbus_dashboard", CorymbusDashboard);
