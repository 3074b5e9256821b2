"""No two controls of one window share an Alt+letter: every dialog and window, walked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from a1dialer.core.calllog import CallLog
from a1dialer.core.recording_cache import RecordingCache
from a1dialer.core.settings import Settings
from a1dialer.ui.main_window import MainWindow
from a1dialer.ui.player_widget import RecordingPlayerDialog
from a1dialer.ui.settings_dialog import SettingsDialog
from a1dialer.ui.setup_wizard import SetupWizard
from a1dialer.ui.tasks import TaskRunner
from tests.gui.conftest import QUICK_FORM_DELAYS

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def mnemonic(text: str) -> str | None:
    """The letter after a single "&" ("&&" is a literal ampersand), lower case."""
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].casefold() if 0 <= at < len(plain) - 1 else None


def owners(window: QWidget) -> Iterable[tuple[str, str]]:
    """(text, object name) of every control in ``window`` whose text gives it an Alt+letter."""
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.window() is not window:
            continue
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            yield widget.text(), widget.objectName()
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            yield widget.title(), widget.objectName()
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                yield widget.tabText(index), f"{widget.objectName()}[{index}]"
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            if action.isVisible():
                yield action.text(), f"menu {action.text()}"


def clashes(texts: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    taken: dict[str, list[str]] = defaultdict(list)
    for text, name in texts:
        letter = mnemonic(text)
        if letter is not None:
            taken[letter].append(f"{text!r} ({name})")
    return {letter: users for letter, users in taken.items() if len(users) > 1}


def menu_clashes(menu: QMenu) -> dict[str, list[str]]:
    found = clashes((a.text(), "action") for a in menu.actions() if a.isVisible())
    for action in menu.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            found.update(menu_clashes(submenu))
    return found


def assert_no_clash(window: QWidget) -> None:
    found = clashes(owners(window))
    assert not found, f"{window.objectName()} shares Alt+letters: {found}"


def test_the_check_itself_finds_a_clash(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    for text in ("&Play", "&Pin", "&Save"):
        QPushButton(text, window)
    window.show()
    assert set(clashes(owners(window))) == {"p"}


def test_every_page_of_the_setup_wizard(qtbot: QtBot) -> None:
    wizard = SetupWizard(
        settings=Settings().validated(
            server="pbx.example.com", extension="1007", caller_id_number="12085550100"
        ),
        delays=QUICK_FORM_DELAYS,
    )
    qtbot.addWidget(wizard)
    wizard.show()
    # Everything the first page can offer at once, as the worst case.
    page = wizard.pbx_page
    for name in ("ca_bundle", "allow_insecure_http"):
        page.layout_.setRowVisible(page.setup.form.fields[name].cell, True)
    page.use_http_button.show()
    page.keyring_help.show()
    wizard.defaults_page.finish_without_key.show()
    for expected in (wizard.pbx_page, wizard.you_page, wizard.defaults_page):
        assert wizard.currentPage() is expected
        assert_no_clash(wizard)
        wizard.next()
        if wizard.currentPage() is wizard.pbx_page:
            wizard.next()  # the first Next on an untested connection only warns
    assert mnemonic(wizard.defaults_page.ring_button.text()) is not None


def test_the_settings_dialog_saves_with_alt_s(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(), delays=QUICK_FORM_DELAYS)
    qtbot.addWidget(dialog)
    dialog.show()
    assert_no_clash(dialog)
    assert mnemonic(dialog.save_button.text()) == "s"


def test_the_recording_player(qtbot: QtBot, tmp_path: Path) -> None:
    tasks = TaskRunner()
    dialog = RecordingPlayerDialog(RecordingCache(tmp_path / "recordings"), None, tasks)
    tasks.setParent(dialog)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.cancel_button.show()
    dialog.retry_button.show()
    assert_no_clash(dialog)
    dialog.close()


def test_the_main_window_its_docks_and_menus(qtbot: QtBot, window: MainWindow) -> None:
    window.dialer.set_number("(208) 555-0142")
    window.dialer.dial()
    qtbot.waitUntil(lambda: not window.placer.busy, timeout=10_000)
    window.history_dock.show()  # its table is built when first shown
    qtbot.waitUntil(lambda: window.history is not None, timeout=10_000)
    for dock in window.findChildren(QWidget):
        if dock.metaObject().className() == "CallListDock":
            dock.show()
    assert_no_clash(window)
    for menu in window.menuBar().findChildren(QMenu):
        assert not menu_clashes(menu), menu.title()
    history = window.history
    assert history is not None
    history.refresh()
    qtbot.waitUntil(lambda: history.model.rowCount() > 0, timeout=10_000)
    history._reselect(history.model.record_at(0).uuid)
    # Favorites come with the call lists; the history asks them whether a number is pinned.
    history.is_pinned = lambda _number: False
    menu = history.context_menu()
    assert any("pin" in action.text().casefold() for action in menu.actions())
    assert not menu_clashes(menu)


def test_the_do_not_call_and_list_import_dialogs(qtbot: QtBot, call_log: CallLog) -> None:
    from a1dialer.core.call_lists import CallListStore
    from a1dialer.core.do_not_call import DoNotCallList
    from a1dialer.ui.do_not_call_dialog import DoNotCallDialog
    from a1dialer.ui.list_import_dialog import ListImportDialog

    tasks = TaskRunner()
    for dialog in (
        DoNotCallDialog(DoNotCallList(call_log), tasks, Settings()),
        ListImportDialog(CallListStore(call_log), tasks, Settings()),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        assert_no_clash(dialog)
        dialog.close()
