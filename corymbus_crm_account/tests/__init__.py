from . import test_invoice_link
from . import test_translations
