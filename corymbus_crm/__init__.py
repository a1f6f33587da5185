from . import controllers
from . import models
from . import wizards


def uninstall_hook(env):
    """Drop the custom fields users created: they would outlive the module."""
    env["corymbus.custom.field"]._remove_all_custom_fields()
