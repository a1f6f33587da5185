import { extractAttributes } from "@web/core/utils/xml";
import { KanbanArchParser } from "@web/views/kanban/kanban_arch_parser";

/**
 * Reads the `weighted_sum_field` attribute of the pipeline's progress bar, the
 * field whose column total is shown beside the plain `sum_field` total.
 */
export class OpportunityKanbanArchParser extends KanbanArchParser {
    parseProgressBar(progressBar, fields) {
        const progressAttributes = super.parseProgressBar(...arguments);
        const { weighted_sum_field: weightedSumField } = extractAttributes(
            progressBar,
            ["weighted_sum_field"],
        );
        progressAttributes.weightedSumField = fields[weightedSumField] || false;
        return progressAttributes;
    }
}
