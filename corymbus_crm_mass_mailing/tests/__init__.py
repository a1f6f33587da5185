from . import test_mailing_audience
