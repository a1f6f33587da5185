{
    "name": "Corymbus CRM - Invoicing",
    "summary": "Link customer invoices to Corymbus opportunities",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Corymbus",
    "license": "LGPL-3",
    "website": "https://corymbus.example.com",
    "depends": ["corymbus_crm", "account"],
    "data": [
        "views/corymbus_opportunity_views.xml",
        "views/account_move_views.xml",
        "views/corymbus_document_views.xml",
    ],
    "post_init_hook": "post_init_hook",
    "auto_install": True,
    "installable": True,
}
