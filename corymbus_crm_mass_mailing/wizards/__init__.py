from . import corymbus_audience_export
