from . import test_mailing_audience
from . import test_translations
