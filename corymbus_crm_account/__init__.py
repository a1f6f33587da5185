from . import models


def post_init_hook(env):
    """Type the invoice PDFs generated before the module was installed."""
    env["ir.attachment"]._corymbus_type_existing_invoice_files()
