"""The tray menu: call the copied number, pinned and recent numbers, and the window commands."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from a1dialer.core.calllog import CallLog
from a1dialer.desktop.favorites import Favorites
from a1dialer.desktop.tray import DialerTray, NoticeKind


@pytest.fixture
def favorites(tmp_path: Path) -> Favorites:
    return Favorites(tmp_path / "favorites.json")


@pytest.fixture
def tray(qtbot: QtBot, call_log: CallLog, favorites: Favorites) -> Iterator[DialerTray]:
    QGuiApplication.clipboard().clear()
    tray = DialerTray(call_log, favorites)
    yield tray
    tray.hide()
    tray.deleteLater()


def labels(menu: QMenu) -> list[str]:
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def submenu(tray: DialerTray, name: str) -> QMenu:
    found = tray.menu.findChild(QMenu, name)
    assert found is not None, f"no {name} in the tray menu"
    return found


def action(menu: QMenu, name: str) -> QAction:
    found = [a for a in menu.actions() if a.objectName() == name]
    assert len(found) == 1, f"expected one {name}"
    return found[0]


def open_menu(tray: DialerTray) -> None:
    # What the desktop does before showing the menu; the clipboard entry is read then.
    tray.menu.aboutToShow.emit()


def refresh(qtbot: QtBot, tray: DialerTray) -> None:
    with qtbot.waitSignal(tray.refreshed, timeout=10_000):
        tray.refresh()


def test_the_menu_builds_without_a_system_tray(tray: DialerTray) -> None:
    assert not QSystemTrayIcon.isSystemTrayAvailable()  # offscreen has none
    assert not tray.show()
    assert labels(tray.menu) == ["Favorites", "Recent", "Open A1 Dialer", "Settings…", "Quit"]
    assert labels(submenu(tray, "trayFavoritesMenu")) == ["No pinned numbers yet"]
    assert labels(submenu(tray, "trayRecentMenu")) == ["No calls yet"]
    assert not tray.notify("Call placed", "Your phone rings now.", NoticeKind.CALL_PLACED)


def test_a_copied_number_can_be_called_from_the_tray(qtbot: QtBot, tray: DialerTray) -> None:
    QGuiApplication.clipboard().setText("  (208) 555-1234 ")
    open_menu(tray)

    call = action(tray.menu, "trayCallClipboard")
    assert call.text() == "Call +1 208-555-1234"
    assert tray.menu.actions()[0] is call
    with qtbot.waitSignal(tray.callRequested) as request:
        call.trigger()
    assert request.args == ["(208) 555-1234", ""]


@pytest.mark.parametrize("copied", ["Meeting notes for Tuesday", "1007", "", "2024"])
def test_copied_text_that_is_not_a_phone_number_offers_no_call(
    tray: DialerTray, copied: str
) -> None:
    QGuiApplication.clipboard().setText(copied)
    open_menu(tray)

    assert not [a for a in tray.menu.actions() if a.objectName() == "trayCallClipboard"]
    assert labels(tray.menu)[0] == "Favorites"


def test_the_clipboard_entry_follows_the_clipboard(tray: DialerTray) -> None:
    QGuiApplication.clipboard().setText("+44 20 7946 0123")
    open_menu(tray)
    assert action(tray.menu, "trayCallClipboard").text() == "Call +44 20 7946 0123"

    QGuiApplication.clipboard().setText("lunch at noon")
    open_menu(tray)
    assert "trayCallClipboard" not in [a.objectName() for a in tray.menu.actions()]
    assert len(tray.menu.findChildren(QMenu)) == 2  # rebuilding reuses the two submenus


def test_pinned_numbers_are_offered_by_name(
    qtbot: QtBot, tray: DialerTray, favorites: Favorites
) -> None:
    favorites.pin("+12085551234", "Acme front desk")
    favorites.pin("1007")
    refresh(qtbot, tray)

    pinned = submenu(tray, "trayFavoritesMenu")
    assert labels(pinned) == ["Acme front desk — +12085551234", "1007"]
    with qtbot.waitSignal(tray.callRequested) as request:
        pinned.actions()[1].trigger()
    assert request.args == ["1007", ""]
    with qtbot.waitSignal(tray.callRequested) as request:
        pinned.actions()[0].trigger()
    assert request.args == ["+12085551234", "Acme front desk"]


def test_a_damaged_favorites_file_says_so_in_the_menu(
    qtbot: QtBot, tray: DialerTray, favorites: Favorites
) -> None:
    favorites.path.write_text("[", encoding="utf-8")
    refresh(qtbot, tray)

    (note,) = submenu(tray, "trayFavoritesMenu").actions()
    assert "is damaged" in note.text()
    assert not note.isEnabled()


def test_recent_shows_the_last_ten_distinct_numbers_newest_first(
    qtbot: QtBot, tray: DialerTray, call_log: CallLog
) -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def logged(minute: int, name: str = "") -> None:
        call_log.add_pending(
            uuid=f"call-{minute}",
            number=f"+1208555{1000 + minute % 30}",
            display_number=f"+1 208-555-{1000 + minute % 30}",
            name=name,
            ringback="us-ring",
            auto_answer=False,
            record=False,
            started_at=start + timedelta(minutes=minute),
        )

    for minute in range(11):
        logged(minute)
    logged(11, "Acme")
    logged(41, "Acme")  # the newest number called again is listed once
    refresh(qtbot, tray)

    recent = submenu(tray, "trayRecentMenu")
    assert len(recent.actions()) == 10
    assert labels(recent)[:2] == ["Acme — +1 208-555-1011", "+1 208-555-1010"]
    assert labels(recent)[-1] == "+1 208-555-1002"
    with qtbot.waitSignal(tray.callRequested) as request:
        recent.actions()[1].trigger()
    assert request.args == ["+1 208-555-1010", ""]
    with qtbot.waitSignal(tray.callRequested) as request:
        recent.actions()[0].trigger()
    assert request.args == ["+1 208-555-1011", "Acme"]


@pytest.mark.parametrize(
    ("name", "signal"),
    [
        ("trayOpen", "showWindowRequested"),
        ("traySettings", "settingsRequested"),
        ("trayQuit", "quitRequested"),
    ],
)
def test_window_commands_are_signals_for_the_app(
    qtbot: QtBot, tray: DialerTray, name: str, signal: str
) -> None:
    with qtbot.waitSignal(getattr(tray, signal)):
        action(tray.menu, name).trigger()


def test_a_left_click_toggles_the_window(qtbot: QtBot, tray: DialerTray) -> None:
    with qtbot.waitSignal(tray.toggleWindowRequested):
        tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    with qtbot.assertNotEmitted(tray.toggleWindowRequested):
        tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Context)
