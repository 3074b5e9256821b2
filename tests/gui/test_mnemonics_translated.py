"""No Alt+letter clash in any language: the translators pick their own letters, this checks them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from a1dialer.core.calllog import CallLog
from a1dialer.core.translation import LANGUAGES, use_language
from a1dialer.ui.main_window import MainWindow
from a1dialer.ui.qt_language import load_qt_catalog
from tests.gui import test_mnemonics as english
from tests.gui.test_mnemonics import assert_no_clash, menu_clashes

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(params=[code for code in LANGUAGES if code != "en"])
def speaking(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The windows built after this fixture speak its language (Qt's own words too)."""
    language: str = request.param
    assert use_language(language) == language
    translator = QTranslator()
    assert load_qt_catalog(translator, language)
    qapp.installTranslator(translator)
    yield language
    qapp.removeTranslator(translator)
    use_language("en")


def test_the_setup_wizard(speaking: str, qtbot: QtBot) -> None:
    english.test_every_page_of_the_setup_wizard(qtbot)


def test_the_recording_player(speaking: str, qtbot: QtBot, tmp_path: Path) -> None:
    english.test_the_recording_player(qtbot, tmp_path)


def test_the_do_not_call_and_list_import_dialogs(
    speaking: str, qtbot: QtBot, call_log: CallLog
) -> None:
    english.test_the_do_not_call_and_list_import_dialogs(qtbot, call_log)


def test_the_main_window_its_docks_and_menus(
    speaking: str, qtbot: QtBot, window: MainWindow
) -> None:
    window.history_dock.show()
    qtbot.waitUntil(lambda: window.history is not None, timeout=10_000)
    for dock in window.findChildren(QWidget):
        if dock.metaObject().className() == "CallListDock":
            dock.show()
    assert_no_clash(window)
    for menu in window.menuBar().findChildren(QMenu):
        assert not menu_clashes(menu), menu.title()
