import { KanbanController } from "@web/views/kanban/kanban_controller";

/**
 * Asks the grouped read for the weighted total of each column, so that the
 * header shows it for the whole column and not only for the loaded cards.
 *
 * The totals of the progress bar come from the grouped read alone: the cards
 * do not read the summed fields unless they show them, which spares reading
 * two amounts on every card when the pipeline opens.
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

    get modelParams() {
        const params = super.modelParams;
        const cardFields = new Set(
            Object.values(this.props.archInfo.fieldNodes).map((node) => node.name),
        );
        const { activeFields } = params.config;
        for (const field of this.progressBarAggregateFields) {
            if (!cardFields.has(field.name)) {
                delete activeFields[field.name];
            }
        }
        return params;
    }
}
