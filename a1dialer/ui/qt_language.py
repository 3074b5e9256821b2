"""The window's language: our catalogs, Qt's own translations and the locale's formats."""

from __future__ import annotations

import logging
import lzma

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from a1dialer.core.translation import LOCALE_DIR, language_for, use_language

log = logging.getLogger(__name__)

# Qt ships no qtbase_pt or qtbase_sr: Brazilian Portuguese and Croatian (Latin script, nearly
# the same words for OK, Cancel, Copy, Paste) are the closest it has.
_QT_CATALOGS = {"pt": "pt_BR", "sr": "hr"}
_LOADED_CATALOGS: list[bytes] = []
# Formats (day names, dates) for a language the system does not speak: European Portuguese and
# Serbian in Latin script, as the catalogs are written (QLocale's "pt" is Brazil's, "sr" Cyrillic).
_FORMAT_LOCALES = {"en": "en_US", "pt": "pt_PT", "sr": "sr_Latn_RS"}


def qt_catalog_name(language: str) -> str:
    """The file name (no suffix) of Qt's own catalog for ``language``: "qtbase_de"."""
    return f"qtbase_{_QT_CATALOGS.get(language, language)}"


def load_qt_catalog(translator: QTranslator, language: str) -> bool:
    """Qt's catalog from the PySide6 wheel (a source checkout), else the packaged app's copy,
    which ships xz-compressed beside ours."""
    name = qt_catalog_name(language)
    if translator.load(name, QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        return True
    packed = LOCALE_DIR / language / "qtbase.qm.xz"
    try:
        data = lzma.decompress(packed.read_bytes())
    except (OSError, lzma.LZMAError):
        return False
    # Qt reads the catalog in place, so the bytes live as long as the app (one per start).
    _LOADED_CATALOGS.append(data)
    return translator.load(data)


def apply_language(app: QCoreApplication, setting: str) -> str:
    """Show the window in the language ``setting`` asks for ("auto": the system's); return it.

    Installs Qt's own translation for standard buttons and context menus, and makes dates, times
    and numbers follow the system locale when it speaks that language, else the language's own.
    """
    system = QLocale.system()
    language = language_for(setting, [code.replace("-", "_") for code in system.uiLanguages()])
    language = use_language(language)
    if system.language() == QLocale.Language.C:
        # LANG=C or none: Qt's C locale writes dates as "5 12 2026"; the language's own instead.
        QLocale.setDefault(QLocale(_FORMAT_LOCALES.get(language, language)))
    if language == "en":
        return language
    translator = QTranslator(app)
    if load_qt_catalog(translator, language):
        app.installTranslator(translator)
    else:
        log.info("Qt's own %s catalog is missing; standard buttons stay English", language)
    cyrillic_serbian = language == "sr" and system.script() != QLocale.Script.LatinScript
    if system.name().split("_")[0] != language or cyrillic_serbian:
        QLocale.setDefault(QLocale(_FORMAT_LOCALES.get(language, language)))
    return language
