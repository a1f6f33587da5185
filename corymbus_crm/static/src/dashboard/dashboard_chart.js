import { loadBundle } from "@web/core/assets";
import { cookie } from "@web/core/browser/cookie";
import { getColor } from "@web/core/colors/colors";
import { _t } from "@web/core/l10n/translation";

import { Component, onWillStart, onWillUnmount, useEffect, useRef } from "@odoo/owl";

/**
 * A bar chart drawn with the Chart.js library the web client ships. A click
 * on a bar calls `onBarClick` with the index of the bar's label.
 *
 * Without a single value other than zero there is nothing to draw: a message
 * says so instead of axes around an empty area.
 */
export class CorymbusDashboardChart extends Component {
    static template = "corymbus_crm.DashboardChart";
    static props = {
        labels: Array,
        datasets: Array,
        stacked: { type: Boolean, optional: true },
        horizontal: { type: Boolean, optional: true },
        formatValue: { type: Function, optional: true },
        onBarClick: { type: Function, optional: true },
        emptyMessage: { type: String, optional: true },
        chartName: String,
    };
    static defaultProps = {
        stacked: false,
        horizontal: false,
    };

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(
            () => {
                this.renderChart();
                return () => this.destroyChart();
            },
            () => [this.props.labels, this.props.datasets],
        );
        onWillUnmount(() => this.destroyChart());
    }

    get isEmpty() {
        return !this.props.datasets.some((dataset) =>
            dataset.data.some((value) => value),
        );
    }

    get emptyMessage() {
        return this.props.emptyMessage || _t("Nothing to show for this period.");
    }

    destroyChart() {
        if (this.chart) {
            this.chart.destroy();
            this.chart = null;
        }
    }

    get config() {
        const colorScheme = cookie.get("color_scheme");
        const valueAxis = this.props.horizontal ? "x" : "y";
        const format = this.props.formatValue || ((value) => String(value));
        return {
            type: "bar",
            data: {
                labels: this.props.labels,
                datasets: this.props.datasets.map((dataset, index) => ({
                    backgroundColor: getColor(index, colorScheme, "odoo"),
                    borderRadius: 3,
                    ...dataset,
                })),
            },
            options: {
                animation: false,
                maintainAspectRatio: false,
                indexAxis: this.props.horizontal ? "y" : "x",
                scales: {
                    x: { stacked: this.props.stacked },
                    y: { stacked: this.props.stacked, beginAtZero: true },
                    [valueAxis]: {
                        stacked: this.props.stacked,
                        beginAtZero: true,
                        ticks: { callback: (value) => format(value) },
                    },
                },
                plugins: {
                    legend: {
                        display: this.props.datasets.length > 1,
                        position: "bottom",
                    },
                    tooltip: {
                        callbacks: {
                            label: (item) =>
                                `${item.dataset.label}: ${format(item.raw)}`,
                        },
                    },
                },
                onClick: (_event, elements) => {
                    if (elements.length && this.props.onBarClick) {
                        const { index, datasetIndex } = elements[0];
                        this.props.onBarClick(index, datasetIndex);
                    }
                },
                onHover: (event, elements) => {
                    event.native.target.style.cursor = elements.length ? "pointer" : "";
                },
            },
        };
    }

    renderChart() {
        this.destroyChart();
        if (this.canvasRef.el) {
            this.chart = new Chart(this.canvasRef.el, this.config);
        }
    }
}
