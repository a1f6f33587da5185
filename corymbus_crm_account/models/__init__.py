from . import account_move
from . import corymbus_opportunity
from . import ir_attachment
