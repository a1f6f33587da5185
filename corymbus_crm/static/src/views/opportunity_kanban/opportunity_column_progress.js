import { ColumnProgress } from "@web/views/view_components/column_progress";

/**
 * The progress bar of a pipeline column, followed by the column's total and
 * weighted total.
 */
export class OpportunityColumnProgress extends ColumnProgress {
    static template = "corymbus_crm.OpportunityColumnProgress";
    static props = {
        ...ColumnProgress.props,
        weightedAggregate: { type: Object, optional: true },
    };
}
