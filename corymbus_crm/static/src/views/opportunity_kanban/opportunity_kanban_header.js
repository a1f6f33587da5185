import { status } from "@odoo/owl";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { KanbanHeader } from "@web/views/kanban/kanban_header";
import { OpportunityColumnProgress } from "./opportunity_column_progress";

/**
 * Header of a pipeline column: the count beside the title, the total and the
 * weighted total beside the progress bar, and a "Delete" entry that moves the
 * stage's opportunities elsewhere before removing it.
 */
export class OpportunityKanbanHeader extends KanbanHeader {
    static template = "corymbus_crm.OpportunityKanbanHeader";
    static components = {
        ...KanbanHeader.components,
        ColumnProgress: OpportunityColumnProgress,
    };

    setup() {
        super.setup();
        this.action = useService("action");
    }

    get configMenuProps() {
        const menuProps = super.configMenuProps;
        if (!this.isStageColumn) {
            return menuProps;
        }
        const configItems = menuProps.configItems.map(([key, item]) =>
            key === "delete_group"
                ? [key, { ...item, method: () => this.removeStage() }]
                : [key, item],
        );
        return { ...menuProps, configItems };
    }

    /**
     * Number of cards of the column, restricted to the selected part of the
     * progress bar when one is selected, like the totals beside it.
     */
    get columnCount() {
        const barCount = this.props.progressBarState?.getGroupCount(this.group);
        return barCount ?? this.group.count;
    }

    get isStageColumn() {
        return this.group.groupByField.relation === "corymbus.stage";
    }

    get weightedGroupAggregate() {
        const { group, progressBarState } = this.props;
        const { weightedSumField } = progressBarState.progressAttributes;
        if (!weightedSumField) {
            return undefined;
        }
        return progressBarState.getAggregateValue(group, weightedSumField);
    }

    /**
     * Deletes an empty stage after confirmation. A stage that still holds
     * opportunities goes through the server's wizard, which moves them to a
     * stage the user picks before removing it.
     */
    async removeStage() {
        const stageId = this.group.value;
        if (!(await this.stageHoldsOpportunities(stageId))) {
            this.dialog.add(ConfirmationDialog, {
                title: _t("Delete Stage"),
                body: _t("Delete the empty stage “%s”?", this.group.displayName),
                confirmLabel: _t("Delete"),
                confirm: () => this.props.deleteGroup(this.group),
                cancel: () => {},
            });
            return;
        }

        await this.action.doActionButton({
            type: "object",
            name: "action_open_remove_wizard",
            resModel: "corymbus.stage",
            resId: stageId,
            context: user.context,
            onClose: () => {
                if (status(this) !== "destroyed") {
                    return this.props.list.model.load();
                }
            },
        });
    }

    /**
     * The column shows only what the search selects: archived opportunities
     * and those hidden by a filter still hold the stage, so ask the server.
     */
    async stageHoldsOpportunities(stageId) {
        if (this.group.count) {
            return true;
        }
        const count = await this.orm.searchCount(
            "corymbus.opportunity",
            [["stage_id", "=", stageId]],
            { context: { active_test: false } },
        );
        return count > 0;
    }
}
