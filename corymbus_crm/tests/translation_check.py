"""Shared check: every term Odoo would export for a module has a French entry."""

import polib

from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader


def french_coverage(env, module):
    """The terms of ``module`` and those its ``i18n/fr.po`` leaves untranslated.

    The terms are those Odoo's own export gathers (fields, views, menus, data
    records, Python and JavaScript strings), so the file cannot fall behind
    the code without the second set saying what is missing.
    """
    french = polib.pofile(file_path(f"{module}/i18n/fr.po"))
    translated = {entry.msgid for entry in french if entry.msgstr}
    terms = {
        source
        for term_module, _kind, _name, _id, source, _value, _notes in (
            TranslationModuleReader(env.cr, modules=[module])
        )
        if term_module == module and source
    }
    return terms, terms - translated
