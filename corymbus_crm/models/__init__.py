from . import corymbus_contact_role
from . import corymbus_lost_reason
from . import corymbus_opportunity
from . import corymbus_opportunity_contact
from . import corymbus_stage
from . import res_currency_rate
from . import res_partner
