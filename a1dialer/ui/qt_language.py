"""The window's language: our catalogs, Qt's own translations and the locale's formats."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from a1dialer.core.translation import language_for, use_language

log = logging.getLogger(__name__)

# Qt ships no qtbase_pt or qtbase_sr: Brazilian Portuguese and Croatian (Latin script, nearly
# the same words for OK, Cancel, Copy, Paste) are the closest it has.
_QT_CATALOGS = {"pt": "pt_BR", "sr": "hr"}


def apply_language(app: QCoreApplication, setting: str) -> str:
    """Show the window in the language ``setting`` asks for ("auto": the system's); return it.

    Installs Qt's own translation for standard buttons and context menus, and makes dates, times
    and numbers follow the system locale when it speaks that language, else the language's own.
    """
    system = QLocale.system()
    language = language_for(setting, [code.replace("-", "_") for code in system.uiLanguages()])
    language = use_language(language)
    if language == "en":
        return language
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    name = f"qtbase_{_QT_CATALOGS.get(language, language)}"
    if translator.load(name, folder):
        app.installTranslator(translator)
    else:
        log.info("Qt's own %s translation is not installed; standard buttons stay English", name)
    if system.name().split("_")[0] != language:
        QLocale.setDefault(QLocale(language))
    return language
