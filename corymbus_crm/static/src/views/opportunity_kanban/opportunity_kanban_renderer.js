import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";
import { OpportunityKanbanHeader } from "./opportunity_kanban_header";

export class OpportunityKanbanRenderer extends KanbanRenderer {
    static components = {
        ...KanbanRenderer.components,
        KanbanHeader: OpportunityKanbanHeader,
    };

    /**
     * Reordering columns writes the stages' sequence: only for the users who
     * may edit stages.
     */
    get canResequenceGroups() {
        return super.canResequenceGroups && this.props.archInfo.activeActions.editGroup;
    }
}
