from . import corymbus_activity_done
from . import corymbus_audience_export
from . import corymbus_contact_import
from . import corymbus_contact_import_issue
from . import corymbus_custom_field_remove
from . import corymbus_opportunity_lost
from . import corymbus_stage_remove
