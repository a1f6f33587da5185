from . import corymbus_opportunity_lost
from . import corymbus_stage_remove
