from . import corymbus_documents
