import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { TagsList } from "@web/core/tags_list/tags_list";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * A list of names, shown as tags: the contact people of a pipeline card.
 *
 * The server hands the names over in one field, worked out for all the cards
 * at once, so the card shows them as the tags of a many2many would without
 * reading the people themselves. The tags are read-only.
 */
export class NameTagsField extends Component {
    static template = "corymbus_crm.NameTagsField";
    static components = { TagsList };
    static props = { ...standardFieldProps };

    get tags() {
        const names = this.props.record.data[this.props.name] || [];
        return names.map((name, index) => ({ id: index, text: name }));
    }
}

export const nameTagsField = {
    component: NameTagsField,
    supportedTypes: ["json"],
};

registry.category("fields").add("corymbus_name_tags", nameTagsField);
