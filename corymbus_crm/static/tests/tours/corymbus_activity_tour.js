import { registry } from "@web/core/registry";

const SUBJECT = "Call about the pilot";
const NEXT_SUBJECT = "Send the pilot contract";
const timeline = "div[name='corymbus_activity_ids']";
const row = (subject) => `${timeline} .o_data_row:contains('${subject}')`;

/**
 * From an opportunity: log a call with a note and a Drive link, mark it done
 * with its outcome and plan the next call in the same step. The test checks
 * the database afterwards.
 */
registry.category("web_tour.tours").add("corymbus_activity_tour", {
    steps: () => [
        {
            content: "Log a call from the opportunity",
            trigger: ".o_form_view button[name='action_log_call']",
            run: "click",
        },
        {
            content: "Give the call its subject",
            trigger: ".modal .o_field_widget[name='name'] input",
            run: `edit ${SUBJECT}`,
        },
        {
            content: "Write what was said",
            trigger: ".modal .o_field_html[name='note'] div.o-paragraph",
            run: "editor Ask for volume tiers",
        },
        {
            content: "Open the files and links",
            trigger: ".modal a.nav-link:contains('Files and Links')",
            run: "click",
        },
        {
            content: "Add a link",
            trigger: ".modal div[name='attachment_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Name the link",
            trigger:
                ".modal div[name='attachment_ids'] .o_data_row td[name='name'] input",
            run: "edit Pilot plan",
        },
        {
            content: "Paste the Drive address",
            trigger:
                ".modal div[name='attachment_ids'] .o_data_row td[name='url'] input",
            run: "edit https://drive.google.com/file/d/pilot-plan/view",
        },
        {
            content: "Save the call",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The call is on the opportunity's timeline",
            trigger: `body:not(:has(.modal)) ${row(SUBJECT)}`,
        },
        {
            content: "Mark the call done",
            trigger: `${row(SUBJECT)} button[name='action_mark_done']`,
            run: "click",
        },
        {
            content: "Tell how it went",
            trigger: ".modal .o_field_widget[name='outcome'] textarea",
            run: "edit Pilot agreed",
        },
        {
            content: "Name the next call",
            trigger: ".modal .o_field_widget[name='next_name'] input",
            run: `edit ${NEXT_SUBJECT}`,
        },
        {
            content: "Done, and plan the next one",
            trigger: ".modal button[name='action_done_and_plan_next']",
            run: "click",
        },
        {
            content: "The next call opens, already planned",
            trigger: `.modal .o_field_widget[name='name'] input:value('${NEXT_SUBJECT}')`,
        },
        {
            content: "Close it",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "Back on the opportunity",
            trigger: "body:not(:has(.modal)) .o_form_view",
        },
    ],
});
