import { registry } from "@web/core/registry";

/**
 * A salesperson starts a deal, attaches its contract before saving, types it
 * Contract, then finds it under Contract in the documents of the customer
 * company.
 */
registry.category("web_tour.tours").add("corymbus_documents_tour", {
    url: "/odoo/action-corymbus_crm.corymbus_opportunity_action_all/new",
    steps: () => [
        {
            content: "Name the deal",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour Solar Park",
        },
        {
            content: "Choose the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Freight",
        },
        {
            content: "Pick the company",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Freight')",
            run: "click",
        },
        {
            content: "Open the Files tab",
            trigger: ".o_notebook .nav-link:contains('Files')",
            run: "click",
        },
        {
            content: "Attach the contract before the first save",
            trigger: ".o_field_widget[name=corymbus_file_ids] .o_attach",
            run() {
                // A tour cannot pick a file in the browser's dialog: give the
                // hidden file input a file as the dialog would.
                const input = document.querySelector(
                    ".o_field_widget[name=corymbus_file_ids] input[type=file]",
                );
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["%PDF-1.4 tour contract"], "tour-contract.pdf", {
                        type: "application/pdf",
                    }),
                );
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is uploaded",
            trigger:
                ".o_field_widget[name=corymbus_file_ids] .o_attachment:contains('tour-contract.pdf')",
        },
        {
            content: "Save the deal",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The deal is saved",
            trigger: ".o_form_saved",
        },
        {
            content: "The deal holds one document",
            trigger: "button[name=action_open_corymbus_documents]:contains('1')",
            run: "click",
        },
        {
            content: "Open the untyped documents",
            trigger: ".o_group_header:contains('None')",
            run: "click",
        },
        {
            content: "Select the type of the contract",
            trigger:
                ".o_data_row:contains('tour-contract.pdf') td[name=corymbus_document_type_id]",
            run: "click",
        },
        {
            content: "Type it Contract",
            trigger:
                ".o_data_row.o_selected_row .o_field_widget[name=corymbus_document_type_id] input",
            run: "edit Contract",
        },
        {
            content: "Pick Contract",
            trigger: ".o-autocomplete--dropdown-item:contains('Contract')",
            run: "click",
        },
        {
            content: "Save the list",
            trigger: ".o_list_button_save",
            run: "click",
        },
        {
            content: "The contract is typed",
            trigger:
                ".o_data_row:not(.o_selected_row):contains('tour-contract.pdf') td[name=corymbus_document_type_id]:contains('Contract')",
        },
        {
            content: "Go to the companies",
            trigger: "body",
            run() {
                window.location.href =
                    "/odoo/action-corymbus_crm.corymbus_company_action";
            },
            expectUnloadPage: true,
        },
        {
            content: "Open the customer company",
            trigger: ".o_data_row td:contains('Tour Freight')",
            run: "click",
        },
        {
            content: "Open its documents",
            trigger: "button[name=action_open_corymbus_documents]",
            run: "click",
        },
        {
            content: "Open the contracts",
            trigger: ".o_group_header:contains('Contract')",
            run: "click",
        },
        {
            content: "The contract of the deal is among them",
            trigger:
                ".o_data_row:contains('tour-contract.pdf'):contains('Tour Solar Park')",
        },
    ],
});
