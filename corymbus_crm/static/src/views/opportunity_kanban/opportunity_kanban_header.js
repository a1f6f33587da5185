import { status } from "@odoo/owl";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { KanbanHeader } from "@web/views/kanban/kanban_header";
import {
    getNoPlannedActivity,
    isShowingNoPlannedActivity,
    NO_PLANNED_ACTIVITY_DOMAIN,
} from "./no_planned_activity";
import { OpportunityColumnProgress } from "./opportunity_column_progress";

/**
 * Header of a pipeline column: the count beside the title, the number of
 * opportunities without a planned activity (a click shows only them), the
 * total and the weighted total beside the progress bar, and a "Delete" entry
 * that moves the stage's opportunities elsewhere before removing it.
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
        if (this.isShowingNoPlannedActivity) {
            return this.noPlannedActivity.count;
        }
        const barCount = this.props.progressBarState?.getGroupCount(this.group);
        return barCount ?? this.group.count;
    }

    get groupAggregate() {
        return this.filterAggregate(super.groupAggregate, "sumField");
    }

    get isShowingNoPlannedActivity() {
        return (
            Boolean(this.noPlannedActivity) && isShowingNoPlannedActivity(this.group)
        );
    }

    get noPlannedActivity() {
        return getNoPlannedActivity(this.props.progressBarState, this.group);
    }

    get noPlannedActivityTooltip() {
        const count = this.noPlannedActivity?.count || 0;
        if (this.isShowingNoPlannedActivity) {
            return _t("Show the whole column again");
        }
        return count === 1
            ? _t("1 opportunity without a planned activity: click to show it")
            : _t(
                  "%s opportunities without a planned activity: click to show them",
                  count,
              );
    }

    get showNoPlannedActivity() {
        const info = this.noPlannedActivity;
        return (
            Boolean(info) &&
            !this.group.isFolded &&
            !this.props.list.model.useSampleModel &&
            (info.count > 0 || this.isShowingNoPlannedActivity)
        );
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
        return this.filterAggregate(
            progressBarState.getAggregateValue(group, weightedSumField),
            "weightedSumField",
        );
    }

    /**
     * While the column shows only its opportunities without a planned
     * activity, its totals cover them alone, as they do for a part of the bar.
     */
    filterAggregate(aggregate, attribute) {
        const field = this.props.progressBarState.progressAttributes[attribute];
        if (!field || !this.isShowingNoPlannedActivity) {
            return aggregate;
        }
        return { ...aggregate, value: this.noPlannedActivity[field.name] || 0 };
    }

    /**
     * Shows only the column's opportunities without a planned activity, or the
     * whole column again. A selected part of the progress bar gives way: a
     * column shows one selection at a time.
     */
    async toggleNoPlannedActivity() {
        const { group, progressBarState } = this.props;
        if (this.isShowingNoPlannedActivity) {
            await group.applyFilter(undefined);
        } else {
            delete progressBarState.activeBars[group.serverValue];
            await group.applyFilter(NO_PLANNED_ACTIVITY_DOMAIN);
        }
        group.model.notify();
        this.props.scrollTop();
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
