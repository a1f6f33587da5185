{
    "name": "Corymbus CRM - Email Marketing",
    "summary": "Send Email Marketing campaigns to Corymbus contact groups",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Corymbus",
    "license": "LGPL-3",
    "website": "https://corymbus.example.com",
    "depends": ["corymbus_crm", "mass_mailing"],
    "data": [
        "views/corymbus_contact_group_views.xml",
        "views/mailing_mailing_views.xml",
        "wizards/corymbus_audience_export_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
