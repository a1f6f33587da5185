from . import test_probability
from . import test_amounts
from . import test_filters
from . import test_kanban_queries
from . import test_security
from . import test_stage_config
