import { registry } from "@web/core/registry";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { OpportunityKanbanArchParser } from "./opportunity_kanban_arch_parser";
import { OpportunityKanbanController } from "./opportunity_kanban_controller";
import { OpportunityKanbanRenderer } from "./opportunity_kanban_renderer";

export const opportunityKanbanView = {
    ...kanbanView,
    ArchParser: OpportunityKanbanArchParser,
    Controller: OpportunityKanbanController,
    Renderer: OpportunityKanbanRenderer,
};

registry.category("views").add("corymbus_opportunity_kanban", opportunityKanbanView);
