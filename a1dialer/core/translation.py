"""Our own strings in the rep's language: gettext catalogs, the same for Qt and Qt-free code.

Mark a sentence where it is shown, not where a module-level constant is defined, so it is looked
up in the language chosen at start-up: ``_("Calling {number}...").format(number=...)`` and
``ngettext("{n} call", "{n} calls", n).format(n=n)``. Never build a sentence from fragments.
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "a1dialer"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_translations: gettext.NullTranslations = gettext.NullTranslations()


def use_language(languages: list[str]) -> str:
    """Look strings up in the first of ``languages`` ("de", "pt_BR"...) that has a catalog;
    return its code, or "en" when none has (the source strings are English)."""
    global _translations
    for language in languages:
        try:
            found = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
        except OSError:
            continue
        _translations = found
        return language
    _translations = gettext.NullTranslations()
    return "en"


def _(message: str) -> str:
    """``message`` in the chosen language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a sentence about ``n`` things the chosen language uses for that ``n``."""
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the chosen language where the same English word needs two translations
    ("Call" the verb on a button, "Call" the noun in a column)."""
    return _translations.pgettext(context, message)
