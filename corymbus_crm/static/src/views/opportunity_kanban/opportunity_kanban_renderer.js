import { status } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";
import {
    getNoPlannedActivity,
    isShowingNoPlannedActivity,
} from "./no_planned_activity";
import { OpportunityKanbanHeader } from "./opportunity_kanban_header";

export class OpportunityKanbanRenderer extends KanbanRenderer {
    static components = {
        ...KanbanRenderer.components,
        KanbanHeader: OpportunityKanbanHeader,
    };

    setup() {
        super.setup();
        this.action = useService("action");
        this.orm = useService("orm");
        this.lostStageIds = new Set();
        this.loadLostStages();
    }

    /**
     * Reordering columns writes the stages' sequence: only for the users who
     * may edit stages.
     */
    get canResequenceGroups() {
        return super.canResequenceGroups && this.props.archInfo.activeActions.editGroup;
    }

    getGroupClasses(group, isGroupProcessing) {
        const classes = super.getGroupClasses(group, isGroupProcessing);
        if (!group.isFolded && this.isShowingNoPlannedActivity(group)) {
            return `${classes} o_corymbus_no_activity_shown`;
        }
        return classes;
    }

    getGroupUnloadedCount(group) {
        if (!this.isShowingNoPlannedActivity(group)) {
            return super.getGroupUnloadedCount(group);
        }
        const { count } = getNoPlannedActivity(this.props.progressBarState, group);
        const loaded = group.list.records.filter((r) => !r.isInQuickCreation);
        return count - loaded.length;
    }

    isShowingNoPlannedActivity(group) {
        return (
            Boolean(getNoPlannedActivity(this.props.progressBarState, group)) &&
            isShowingNoPlannedActivity(group)
        );
    }

    /**
     * A card dropped on a lost stage is not moved at once: the lost-reason
     * wizard opens, and the card moves only when the user confirms it.
     *
     * The drop must be handled at once (the drag's classes go away right
     * after), so the lost stages are known beforehand: read when the view
     * opens and again whenever a drag starts.
     */
    sortRecordDrop(dataRecordId, dataGroupId, params) {
        const { parent } = params;
        const list = this.props.list;
        const targetGroup =
            list.isGrouped &&
            parent?.classList.contains("o_kanban_hover") &&
            list.groups.find((g) => g.id === parent.dataset.id);
        if (
            !targetGroup ||
            targetGroup.id === dataGroupId ||
            targetGroup.groupByField.relation !== "corymbus.stage" ||
            !this.lostStageIds.has(targetGroup.value)
        ) {
            return super.sortRecordDrop(...arguments);
        }

        parent.classList.remove("o_kanban_hover");
        const sourceGroup = list.groups.find((g) => g.id === dataGroupId);
        const record = sourceGroup?.list.records.find((r) => r.id === dataRecordId);
        if (record) {
            return this.openMarkLost(record);
        }
    }

    sortStart(params) {
        this.loadLostStages();
        return super.sortStart(params);
    }

    async loadLostStages() {
        const stages = await this.orm.silent.searchRead(
            "corymbus.stage",
            [["is_lost", "=", true]],
            ["id"],
        );
        this.lostStageIds = new Set(stages.map((stage) => stage.id));
    }

    /**
     * Asks the lost reason of the opportunity, then reloads the pipeline
     * whether the user confirmed or discarded.
     */
    openMarkLost(record) {
        const model = this.props.list.model;
        return this.action.doActionButton({
            type: "object",
            name: "action_open_mark_lost",
            resModel: record.resModel,
            resId: record.resId,
            context: record.context,
            onClose: () => {
                if (status(this) !== "destroyed") {
                    return model.load();
                }
            },
        });
    }
}
