import { KanbanController } from "@web/views/kanban/kanban_controller";

/**
 * Asks the grouped read for the weighted total of each column, so that the
 * header shows it for the whole column and not only for the loaded cards.
 */
export class OpportunityKanbanController extends KanbanController {
    get progressBarAggregateFields() {
        const aggregateFields = super.progressBarAggregateFields;
        const weightedSumField =
            this.props.archInfo.progressAttributes?.weightedSumField;
        if (weightedSumField) {
            aggregateFields.push(weightedSumField);
        }
        return aggregateFields;
    }
}
