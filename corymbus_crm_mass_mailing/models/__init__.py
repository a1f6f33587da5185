from . import corymbus_contact_group
from . import corymbus_custom_field
from . import mailing_mailing
