/**
 * The pipeline columns' opportunities without a planned activity.
 *
 * The server adds their count and totals per column to the progress bar's
 * answer (see `read_progress_bar` of `corymbus.opportunity`), so they refresh
 * whenever the bar does. Filtering a column to them uses the column filter the
 * progress bar itself uses: the filter survives reloads and going back to the
 * view, and clicking a part of the bar replaces it.
 */

export const NO_PLANNED_ACTIVITY_KEY = "__no_planned_activity";
export const NO_PLANNED_ACTIVITY_DOMAIN = [
    ["next_activity_id", "=", false],
    ["is_won", "=", false],
    ["is_lost", "=", false],
];

const DOMAIN_KEY = JSON.stringify(NO_PLANNED_ACTIVITY_DOMAIN);

/**
 * Whether the column shows only its opportunities without a planned activity.
 *
 * @param {import("@web/model/relational_model/group").Group} group
 * @returns {boolean}
 */
export function isShowingNoPlannedActivity(group) {
    const extraDomain = group.config.extraDomain;
    return Boolean(extraDomain) && JSON.stringify(extraDomain) === DOMAIN_KEY;
}

/**
 * Count and totals of the column's opportunities without a planned activity,
 * or null while the progress bar is not loaded.
 *
 * @param {Object} progressBarState
 * @param {import("@web/model/relational_model/group").Group} group
 * @returns {{ count: number, [fieldName: string]: number } | null}
 */
export function getNoPlannedActivity(progressBarState, group) {
    const counts = progressBarState?._pbCounts;
    if (!counts) {
        return null;
    }
    const columns = counts[NO_PLANNED_ACTIVITY_KEY] || {};
    return columns[progressBarState._getGroupValue(group)] || { count: 0 };
}
