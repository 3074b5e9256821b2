"""The outcome panel on its own: keys 1-9, the note, call-back time, Enter saves, Esc skips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from a1dialer.core.callback_times import default_callback_time, quick_picks
from a1dialer.core.calllog import CallLog
from a1dialer.core.outcomes import outcome_choices
from a1dialer.core.settings import Settings
from a1dialer.ui.outcome_panel import CallToLog, OutcomePanel, locale_work_week
from a1dialer.ui.tasks import TaskRunner

UUID = "6f1c2a9e-0000-4000-8000-000000000001"


def logged_call(call_log: CallLog) -> CallToLog:
    call_log.add_pending(
        uuid=UUID,
        number="12085550142",
        display_number="+1 208-555-0142",
        name="Dana Whitfield",
        ringback="us-ring",
        auto_answer=False,
        record=False,
    )
    call_log.mark_placed(UUID)
    return CallToLog(UUID, "+1 208-555-0142", "Dana Whitfield")


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    """The window the panel sits in."""
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def shown_panel(
    qtbot: QtBot, host: QWidget, call_log: CallLog, settings: Settings | None = None
) -> OutcomePanel:
    panel = OutcomePanel(call_log, TaskRunner(host), outcome_choices(settings or Settings()), host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitActive(host)
    panel.ask(logged_call(call_log))
    qtbot.waitUntil(lambda: panel.isAncestorOf(focused()), timeout=3000)
    return panel


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    return widget if widget is not None else QWidget()


def test_keys_pick_an_outcome_and_enter_saves_it_with_the_note(
    qtbot: QtBot, host: QWidget, call_log: CallLog
) -> None:
    panel = shown_panel(qtbot, host, call_log)
    assert panel.title.text() == "How did the call to Dana Whitfield (+1 208-555-0142) go?"
    assert focused() is panel.buttons[0]
    assert [b.text() for b in panel.buttons[:3]] == ["&1 Connected", "&2 Voicemail", "&3 No answer"]
    qtbot.keyClick(focused(), Qt.Key.Key_5)
    assert panel.outcome == "Wrong number"
    assert focused() is panel.note_edit  # what is typed next is the note
    qtbot.keyClicks(panel.note_edit, 'Said "not me" & hung up 2x')  # digits type in the note
    assert panel.outcome == "Wrong number"
    with qtbot.waitSignal(panel.saved, timeout=5000) as saved:
        qtbot.keyClick(panel.note_edit, Qt.Key.Key_Return)
    assert saved.args[0].outcome == "Wrong number"
    assert not panel.isVisible()
    record = call_log.get(UUID)
    assert record is not None
    assert (record.outcome, record.note) == ("Wrong number", 'Said "not me" & hung up 2x')
    assert record.callback_at is None


def test_call_back_asks_when_and_defaults_to_the_next_working_day_at_ten(
    qtbot: QtBot, host: QWidget, call_log: CallLog
) -> None:
    panel = shown_panel(qtbot, host, call_log)
    assert not panel.callback_row.isVisible()
    qtbot.keyClick(focused(), Qt.Key.Key_6)
    assert panel.outcome == "Call back"
    assert panel.callback_row.isVisible()
    expected = default_callback_time(datetime.now(), locale_work_week())
    assert (expected.hour, expected.minute) == (10, 0)
    assert expected.isoweekday() in {day.value for day in QLocale().weekdays()}
    assert panel.callback_at() == expected.astimezone(UTC)
    with qtbot.waitSignal(panel.saved, timeout=5000):
        qtbot.keyClick(focused(), Qt.Key.Key_Enter)
    record = call_log.get(UUID)
    assert record is not None
    assert record.callback_at == expected.astimezone(UTC)
    assert call_log.due_callbacks(expected.astimezone(UTC) + timedelta(seconds=1))[0].uuid == UUID


def test_esc_skips_and_stores_nothing(qtbot: QtBot, host: QWidget, call_log: CallLog) -> None:
    panel = shown_panel(qtbot, host, call_log)
    qtbot.keyClick(focused(), Qt.Key.Key_2)
    with qtbot.waitSignal(panel.closed, timeout=1000), qtbot.assertNotEmitted(panel.saved):
        qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    record = call_log.get(UUID)
    assert record is not None
    assert record.outcome == ""


def test_custom_outcomes_follow_the_standard_ones(
    qtbot: QtBot, host: QWidget, call_log: CallLog
) -> None:
    custom = tuple(f"Custom {n}" for n in range(1, 5))
    panel = shown_panel(qtbot, host, call_log, Settings().validated(custom_outcomes=custom))
    assert [b.property("outcome") for b in panel.buttons][6:] == list(custom)
    qtbot.keyClick(focused(), Qt.Key.Key_9)
    assert panel.outcome == "Custom 3"
    assert panel.buttons[9].text() == "Custom 4"  # past nine: no key, picked with the arrows
    panel.set_outcomes(outcome_choices(Settings()))
    assert len(panel.buttons) == 6


def test_a_failed_save_keeps_the_panel_and_says_why(
    qtbot: QtBot, host: QWidget, call_log: CallLog
) -> None:
    panel = shown_panel(qtbot, host, call_log)
    call_log.delete(UUID)
    qtbot.keyClick(focused(), Qt.Key.Key_1)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.message.kind == "error", timeout=5000)
    assert "no longer in the call log" in panel.message.text()
    assert panel.isVisible()
    assert panel.outcome == "Connected"


def test_the_week_comes_from_the_locale() -> None:
    assert locale_work_week(QLocale("de_DE")).first_day == 1
    assert locale_work_week(QLocale("en_US")).first_day == 7
    assert locale_work_week(QLocale("he_IL")).working_days == frozenset({7, 1, 2, 3, 4})


@pytest.mark.parametrize("key", ["in_one_hour", "this_afternoon", "tomorrow_morning", "next_week"])
def test_quick_picks_set_the_call_back_time_from_the_keyboard(
    qtbot: QtBot, host: QWidget, call_log: CallLog, key: str
) -> None:
    panel = shown_panel(qtbot, host, call_log)
    qtbot.keyClick(focused(), Qt.Key.Key_6)
    button = panel.quick_buttons[key]
    before = getattr(quick_picks(datetime.now(), locale_work_week()), key)
    if before is None:  # the afternoon has begun: offered no more
        assert not button.isEnabled()
        return
    panel.callback_edit.setFocus()
    while focused() is not button:  # Tab from the time to the quick picks, as a rep would
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    qtbot.keyClick(button, Qt.Key.Key_Space)
    after = getattr(quick_picks(datetime.now(), locale_work_week()), key)
    assert panel.callback_at() in (before.astimezone(UTC), after.astimezone(UTC))
    assert panel.isVisible()
    assert panel.outcome == "Call back"
    next_day = QLocale().standaloneDayName(
        quick_picks(datetime.now(), locale_work_week()).next_week.isoweekday()
    )
    assert panel.quick_buttons["next_week"].text() == f"Next {next_day}"
