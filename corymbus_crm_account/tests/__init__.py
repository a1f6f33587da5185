from . import test_invoice_link
