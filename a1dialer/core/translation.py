"""Our own strings in the rep's language: gettext catalogs, the same for Qt and Qt-free code.

Mark a sentence where it is shown, not where a module-level constant is defined, so it is looked
up in the language chosen at start-up: ``_("Calling {number}...").format(number=...)`` and
``ngettext("{n} call", "{n} calls", n).format(n=n)``. A constant that is shown later is marked
with ``N_`` (found by extraction, translated by ``_`` where it is shown). Never build a sentence
from fragments.

The catalogs are ``a1dialer/locale/<language>/LC_MESSAGES/a1dialer.po``. The packaged app ships
them compiled (``.mo`` beside each ``.po``); a source checkout compiles a catalog into the profile's
cache the first time it is used and again whenever the ``.po`` is newer.
"""

from __future__ import annotations

import gettext
import locale
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

DOMAIN = "a1dialer"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
# Every language we ship, each in its own name (what the language setting offers after "System").
LANGUAGES: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "it": "Italiano",
    "es": "Español",
    "pt": "Português",
    "ru": "Русский",
    "sr": "Srpski",
}
AUTO = "auto"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it (it is shown later with ``_``)."""
    return message


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


def current_language() -> str:
    """The language strings are shown in now ("en" for the source strings)."""
    return _language


def system_languages() -> list[str]:
    """The user's preferred languages from the environment, most preferred first ("de_AT",
    "de"...); what gettext itself reads, plus the platform locale for Windows and macOS."""
    found: list[str] = []
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            found.extend(part for part in value.split(":") if part)
            if variable != "LANGUAGE":
                break
    if not found:
        platform_locale = locale.getlocale()[0]
        if platform_locale:
            found.append(platform_locale)
    return found


def _base(code: str) -> str:
    """ "de_AT.UTF-8" -> "de"; "sr_RS@latin" -> "sr"; "C" and "POSIX" -> ""."""
    code = code.split(".")[0].split("@")[0].replace("-", "_")
    language = code.split("_")[0].lower()
    return "" if language in ("c", "posix") else language


def language_for(setting: str, preferred: list[str] | None = None) -> str:
    """The language to use: the setting's code, or with ``"auto"`` the first of ``preferred``
    (else the system's languages) we ship, else English."""
    if setting != AUTO and setting in LANGUAGES:
        return setting
    for code in system_languages() if preferred is None else preferred:
        language = _base(code)
        if language in LANGUAGES:
            return language
    return "en"


def _compiled(language: str) -> Path | None:
    """The ``.mo`` file for ``language``: shipped beside the ``.po``, or compiled into the
    cache; ``None`` when there is no catalog or it cannot be compiled."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    source = folder / f"{DOMAIN}.po"
    shipped = folder / f"{DOMAIN}.mo"
    if shipped.is_file() and (
        not source.is_file() or shipped.stat().st_mtime >= source.stat().st_mtime
    ):
        return shipped
    if not source.is_file():
        return None
    from a1dialer.core import paths

    target = paths.profile_dir() / "cache" / "locale" / language / f"{DOMAIN}.mo"
    try:
        if not target.is_file() or target.stat().st_mtime < source.stat().st_mtime:
            compile_catalog(source, target)
    except (OSError, ValueError) as exc:
        log.warning("Could not compile the %s catalog: %s", language, exc)
        return None
    return target


def compile_catalog(source: Path, target: Path) -> None:
    """Write the ``.mo`` of the ``.po`` at ``source`` to ``target`` (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po

    with source.open("rb") as po:
        try:
            catalog = read_po(
                po, locale=source.parent.parent.name, domain=DOMAIN, abort_invalid=True
            )
        except PoFileError as exc:
            raise ValueError(f"{source} is not a valid catalog: {exc}") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".mo.part")
    with partial.open("wb") as mo:
        write_mo(mo, catalog)
    partial.replace(target)


def use_language(language: str) -> str:
    """Show our strings in ``language`` (a code of ``LANGUAGES``); return the language in use,
    "en" when its catalog is missing or unreadable."""
    global _translations, _language
    _translations, _language = gettext.NullTranslations(), "en"
    if language == "en" or language not in LANGUAGES:
        return _language
    mo = _compiled(language)
    if mo is None:
        return _language
    try:
        with mo.open("rb") as file:
            _translations = gettext.GNUTranslations(file)
    except (OSError, ValueError) as exc:
        log.warning("Could not read the %s catalog: %s", language, exc)
        return _language
    _language = language
    return _language
