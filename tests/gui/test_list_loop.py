"""The power-dial loop end to end against the simulator: the queue, retries, auto-advance, notes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from a1dialer.core.call_lists import CallListStore, ListRules, NewEntry, Progress
from a1dialer.core.calllog import CallLog
from a1dialer.core.do_not_call import DoNotCallList
from a1dialer.core.settings import Settings
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.call_list_dock import CallListDock
from a1dialer.ui.call_list_model import STATE, local_time
from a1dialer.ui.main_window import MainWindow
from a1dialer.ui.retry_rules_dialog import RetryRulesDialog

CALL_TIMEOUT_MS = 15_000
# The queue's clock starts now (the panel offers a call-back tomorrow by the real clock).
START = datetime.now(UTC).replace(second=0, microsecond=0)
# A countdown second in these tests: the five seconds pass in a quarter of a second.
TICK_MS = 50


def row(name: str, last4: str, *, dnc: bool = False) -> NewEntry:
    return NewEntry(
        name,
        f"(208) 555-{last4}",
        f"1208555{last4}",
        f"+1 208-555-{last4}",
        dnc=dnc,
    )


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.placer.busy, timeout=CALL_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.dialer.ready_to_call, timeout=3000)


def open_dock(qtbot: QtBot, window: MainWindow, rows: int) -> CallListDock:
    dock = window.follow_up.dock
    if not dock.isVisible():
        window.follow_up.dock_action.trigger()
    qtbot.waitUntil(lambda: dock.model.rowCount() == rows, timeout=5000)
    return dock


def state(dock: CallListDock, row_: int) -> str:
    return str(dock.model.index(row_, STATE).data())


def dests(pbx: PbxSimulator) -> list[str]:
    return [o["dest"][-4:] for o in pbx.originates]


def dial_next(qtbot: QtBot, window: MainWindow, dock: CallListDock) -> bool:
    """Dial next as the rep presses it: a number called moments ago (real time, whatever the
    queue's clock says) asks first, and a second press confirms."""
    sent = dock.dial_next()
    if not sent and window.dialer.redial_question:
        assert window.dialer.redial_question in dock.message.text()
        qtbot.waitUntil(lambda: window.dialer.redial_confirmable, timeout=3000)
        sent = dock.dial_next()
    if sent:
        wait_idle(qtbot, window)
    return sent


def save_outcome(qtbot: QtBot, window: MainWindow, digit: Qt.Key, note: str = "") -> None:
    panel = window.follow_up.panel
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    qtbot.keyClick(focused(), digit)
    if note:
        qtbot.keyClicks(focused(), note)
    with qtbot.waitSignal(panel.closed, timeout=5000):
        qtbot.keyClick(focused(), Qt.Key.Key_Return)


@pytest.fixture
def clock() -> list[datetime]:
    """The time the dock's queue goes by: ``clock[0] = ...`` moves it."""
    return [START]


def loop_window(
    open_window: Callable[..., MainWindow],
    settings: Settings,
    clock: list[datetime],
) -> MainWindow:
    window = open_window(settings)
    window.follow_up.dock.clock = lambda: clock[0]
    return window


# --- the queue --------------------------------------------------------------------------------


@pytest.mark.slow
def test_dial_next_skips_do_not_call_and_done_rows_and_retries_by_the_rules(
    qtbot: QtBot,
    start_simulator: Callable[..., PbxSimulator],
    settings_for: Callable[..., Settings],
    open_window: Callable[..., MainWindow],
    api_key: str,
    call_log: CallLog,
    clock: list[datetime],
) -> None:
    pbx = start_simulator()
    settings = settings_for(pbx, retry_busy_minutes=10, retry_no_answer_minutes=60, max_attempts=2)
    store = CallListStore(call_log)
    list_id = store.create_list(
        "Loop",
        [
            row("Flagged", "0180", dnc=True),  # flagged at import
            row("Finished", "0181"),
            row("Busy Bee", "0101"),
            row("Nobody", "0102"),
            row("Blocked", "0199"),  # on the do-not-call list now
            row("Ada", "0171"),
        ],
    )
    finished = store.entries(list_id)[1]
    store.set_progress(finished.id, Progress("done", 1, None, "Connected"))
    DoNotCallList(call_log).add("12085550199", "+1 208-555-0199", "asked not to be called")
    window = loop_window(open_window, settings, clock)
    dock = open_dock(qtbot, window, 6)
    assert state(dock, 0) == "Do not call"
    font = dock.model.index(0, 1).data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont)
    assert font.strikeOut()
    assert state(dock, 1) == "Connected"
    assert state(dock, 2) == "To call"

    # Busy: waits 10 minutes.
    assert dial_next(qtbot, window, dock) is True  # sent; the simulator says busy
    assert dests(pbx) == ["0101"]
    busy_due = START + timedelta(minutes=10)
    assert state(dock, 2) == f"Busy — retry {local_time(busy_due, START)}"
    assert "busy" in dock.message.text()
    assert f"again at {local_time(busy_due, START)}" in dock.message.text()

    # No answer: waits an hour.
    dial_next(qtbot, window, dock)
    assert dests(pbx) == ["0101", "0102"]
    no_answer_due = START + timedelta(minutes=60)
    assert state(dock, 3) == f"No answer — retry {local_time(no_answer_due, START)}"

    # The blocked row is passed over (and flagged), Ada is called; "1" and a note save it.
    assert dial_next(qtbot, window, dock) is True
    assert dests(pbx) == ["0101", "0102", "0171"]
    assert "Passed over 1 number on the do-not-call list." in dock.message.text()
    assert state(dock, 4) == "Do not call"
    save_outcome(qtbot, window, Qt.Key.Key_1, "Wants a quote")
    qtbot.waitUntil(lambda: state(dock, 5) == "Connected", timeout=5000)
    qtbot.waitUntil(
        lambda: dock.progress_label.text() == "2 done · 2 do-not-call · 2 left", timeout=5000
    )
    assert store.entries(list_id)[4].dnc

    # Nothing is due: Dial next says when, and sends nothing.
    assert dial_next(qtbot, window, dock) is False
    assert (
        f"Nothing is due now: the next number is due at {local_time(busy_due, START)}."
        in dock.message.text()
    )
    assert len(pbx.originates) == 3

    # Ten minutes on: the busy number again; busy once more is its last attempt.
    clock[0] = busy_due + timedelta(seconds=1)
    dial_next(qtbot, window, dock)
    assert dests(pbx) == ["0101", "0102", "0171", "0101"]
    assert state(dock, 2) == "Busy — no more retries"
    assert "No more retries after 2 calls." in dock.message.text()
    assert dial_next(qtbot, window, dock) is False
    assert local_time(no_answer_due, clock[0]) in dock.message.text()

    clock[0] = no_answer_due
    dial_next(qtbot, window, dock)
    assert dests(pbx) == ["0101", "0102", "0171", "0101", "0102"]
    assert state(dock, 3) == "No answer — no more retries"
    assert dial_next(qtbot, window, dock) is False
    assert "Every number" in dock.message.text()
    stored = {e.name: (e.state, e.attempts, e.result) for e in store.entries(list_id)}
    assert stored["Busy Bee"] == ("done", 2, "busy")
    assert stored["Nobody"] == ("done", 2, "no_answer")
    assert stored["Ada"] == ("done", 1, "Connected")
    assert stored["Flagged"][1] == stored["Blocked"][1] == 0  # never dialled
    assert len(pbx.originates) == 5


def test_outcomes_busy_no_answer_and_call_back_set_when_a_row_is_due(
    qtbot: QtBot,
    window: MainWindow,
    pbx: PbxSimulator,
    call_log: CallLog,
    clock: list[datetime],
) -> None:
    store = CallListStore(call_log)
    store.create_list("Outcomes", [row("Ada", "0171"), row("Bo", "0172"), row("Cy", "0173")])
    dock = open_dock(qtbot, window, 3)
    dock.clock = lambda: clock[0]
    rules = dock.retry_rules()  # the Settings defaults: 15 and 240 minutes, 3 calls
    assert (rules.busy_minutes, rules.no_answer_minutes, rules.max_attempts) == (15, 240, 3)

    dial_next(qtbot, window, dock)
    save_outcome(qtbot, window, Qt.Key.Key_4)  # Busy (the rep heard it)
    busy = f"Busy — retry {local_time(START + timedelta(minutes=15), START)}"
    qtbot.waitUntil(lambda: state(dock, 0) == busy, timeout=5000)
    dial_next(qtbot, window, dock)
    save_outcome(qtbot, window, Qt.Key.Key_3)  # No answer
    no_answer = f"No answer — retry {local_time(START + timedelta(minutes=240), START)}"
    qtbot.waitUntil(lambda: state(dock, 1) == no_answer, timeout=5000)
    dial_next(qtbot, window, dock)
    save_outcome(qtbot, window, Qt.Key.Key_6)  # Call back, tomorrow at 10:00 local
    qtbot.waitUntil(lambda: state(dock, 2).startswith("Call back "), timeout=5000)
    callback = dock.model.entry_at(2).due_at
    assert callback is not None
    assert callback.astimezone().hour == 10
    assert callback.astimezone().strftime("%a %H:%M") in state(dock, 2)

    # At the call-back's time all three are due: called in the order they came due.
    clock[0] = callback + timedelta(minutes=1)
    dial_next(qtbot, window, dock)
    assert dests(pbx)[-1] == "0171"  # the busy retry was due first
    window.follow_up.panel.skip()
    dial_next(qtbot, window, dock)
    assert dests(pbx)[-1] == "0172"
    window.follow_up.panel.skip()
    dial_next(qtbot, window, dock)
    assert dests(pbx)[-1] == "0173"


def test_per_list_retry_rules_override_the_settings(
    qtbot: QtBot, window: MainWindow, call_log: CallLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = CallListStore(call_log)
    list_id = store.create_list("Rules", [row("Ada", "0171")])
    dock = open_dock(qtbot, window, 1)
    dock.rules_action.trigger()
    dialog = dock.findChild(RetryRulesDialog, "retryRulesDialog")
    assert dialog is not None
    assert dialog.busy_spin.text() == "Settings default (15 min)"
    dialog.busy_spin.setValue(5)
    dialog.attempts_spin.setValue(7)
    dialog.accept()
    qtbot.waitUntil(lambda: dock.rules.busy_minutes == 5, timeout=5000)
    assert store.rules(list_id) == ListRules(5, None, 7, False)
    rules = dock.retry_rules()
    assert (rules.busy_minutes, rules.no_answer_minutes, rules.max_attempts) == (5, 240, 7)
    # Back to the Settings default: the lowest step of the box says so.
    dock.rules_action.trigger()
    again = [d for d in dock.findChildren(RetryRulesDialog) if d.isVisible()][-1]
    assert again.busy_spin.value() == 5
    again.busy_spin.setValue(again.busy_spin.minimum())
    assert again.busy_spin.text() == "Settings default (15 min)"
    again.accept()
    qtbot.waitUntil(lambda: dock.rules.busy_minutes is None, timeout=5000)
    assert store.rules(list_id) == ListRules(None, None, 7, False)
    dock.auto_advance_action.trigger()
    qtbot.waitUntil(lambda: dock.rules.auto_advance, timeout=5000)
    assert store.rules(list_id).auto_advance
    assert dock.auto_advance_action.isChecked()


def test_a_call_that_may_have_gone_out_is_never_retried_by_itself(
    qtbot: QtBot,
    window: MainWindow,
    pbx: PbxSimulator,
    call_log: CallLog,
    clock: list[datetime],
) -> None:
    store = CallListStore(call_log)
    list_id = store.create_list("Unknown", [row("Maybe", "0174"), row("Ada", "0171")])
    dock = open_dock(qtbot, window, 2)
    dock.clock = lambda: clock[0]
    pbx.set_fault("reset", count=1, endpoint="originate")
    with qtbot.waitSignal(window.dialer.unknown, timeout=CALL_TIMEOUT_MS):
        dock.dial_next()
    wait_idle(qtbot, window)
    assert state(dock, 0) == "Unknown — check your phone"
    window.follow_up.panel.skip()
    dial_next(qtbot, window, dock)
    window.follow_up.panel.skip()
    assert dests(pbx) == ["0174", "0171"]
    clock[0] = START + timedelta(days=3)
    assert dial_next(qtbot, window, dock) is False
    assert "1 number waits for you" in dock.message.text()
    assert len(pbx.originates) == 2
    entry = store.entries(list_id)[0]
    assert (entry.state, entry.result, entry.attempts) == ("todo", "unknown", 1)
    # The rep decides: "Put back on the list" makes it due again.
    dock._select_row(0)
    dock.reset_selected()
    qtbot.waitUntil(lambda: store.entries(list_id)[0].result == "", timeout=5000)
    assert state(dock, 0) == "To call"


# --- auto-advance -----------------------------------------------------------------------------


def auto_advance_window(
    qtbot: QtBot, window: MainWindow, call_log: CallLog, rows: int
) -> CallListDock:
    store = CallListStore(call_log)
    list_id = store.create_list("Auto", [row(f"Lead {i}", f"017{i}") for i in range(rows)])
    store.set_rules(list_id, ListRules(auto_advance=True))
    dock = open_dock(qtbot, window, rows)
    qtbot.waitUntil(lambda: dock.rules.auto_advance, timeout=5000)
    dock.countdown.tick_ms = TICK_MS
    return dock


def test_auto_advance_counts_down_to_the_next_call(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    dock = auto_advance_window(qtbot, window, call_log, 3)
    countdown = dock.countdown
    dial_next(qtbot, window, dock)
    panel = window.follow_up.panel
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    # While the rep types the note there is no countdown.
    qtbot.keyClick(focused(), Qt.Key.Key_1)
    qtbot.keyClicks(focused(), "Typing slowly")
    assert countdown.state == "off"
    assert not dock.panel.countdown_label.isVisible()
    with qtbot.waitSignal(panel.closed, timeout=5000):
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: countdown.running, timeout=5000)
    assert dock.panel.countdown_label.isVisible()
    assert re.match(
        r"Next call in [1-5] s: Lead 1 \(\+1 208-555-0171\)\. Any key or click pauses; Esc stops\.",
        dock.panel.countdown_label.text(),
    )
    with qtbot.waitSignal(countdown.fired, timeout=5000):
        pass
    wait_idle(qtbot, window)
    assert dests(pbx) == ["0170", "0171"]
    assert not dock.panel.countdown_label.isVisible()
    assert panel.isVisible()  # the next call's outcome is asked as usual


def test_auto_advance_goes_on_after_a_busy_line_but_not_after_the_reps_phone_failed(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    store = CallListStore(call_log)
    list_id = store.create_list(
        "Busy run", [row("Busy Bee", "0101"), row("Rejected", "0103"), row("Ada", "0171")]
    )
    store.set_rules(list_id, ListRules(auto_advance=True))
    dock = open_dock(qtbot, window, 3)
    qtbot.waitUntil(lambda: dock.rules.auto_advance, timeout=5000)
    # Longer than the double-click guard (a call within it would be taken for a double click).
    dock.countdown.tick_ms = QApplication.doubleClickInterval() // 2
    with qtbot.waitSignal(dock.countdown.fired, timeout=CALL_TIMEOUT_MS):
        dock.dial_next()  # busy: the countdown starts by itself and dials the next row
    wait_idle(qtbot, window)
    assert dests(pbx) == ["0101", "0103"]
    assert state(dock, 1) == "Failed — tried again after the others"
    with qtbot.assertNotEmitted(dock.countdown.fired, wait=TICK_MS * 10):
        pass  # a call that did not go out stops the run: the rep looks first
    assert dock.countdown.state == "off"
    assert len(pbx.originates) == 2


def test_any_key_or_click_pauses_the_countdown_and_esc_stops_the_run(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    dock = auto_advance_window(qtbot, window, call_log, 5)
    countdown = dock.countdown
    dial_next(qtbot, window, dock)
    save_outcome(qtbot, window, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: countdown.running, timeout=5000)
    qtbot.keyClick(focused(), Qt.Key.Key_Shift)  # any key
    assert countdown.state == "paused"
    assert "Paused" in dock.panel.countdown_label.text()
    with qtbot.assertNotEmitted(countdown.fired, wait=TICK_MS * 10):
        pass
    assert len(pbx.originates) == 1

    # Dial next goes on (and ends the pause); a click pauses the next countdown.
    dial_next(qtbot, window, dock)
    save_outcome(qtbot, window, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: countdown.running, timeout=5000)
    qtbot.mouseClick(dock.table.viewport(), Qt.MouseButton.LeftButton)
    assert countdown.state == "paused"
    with qtbot.assertNotEmitted(countdown.fired, wait=TICK_MS * 10):
        pass
    assert len(pbx.originates) == 2

    # Esc stops the run: the countdown goes, the number field keeps its number.
    dial_next(qtbot, window, dock)
    save_outcome(qtbot, window, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: countdown.running, timeout=5000)
    number = window.number_edit.text()
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert countdown.state == "off"
    assert countdown.stopped
    assert not dock.panel.countdown_label.isVisible()
    assert window.number_edit.text() == number
    with qtbot.assertNotEmitted(countdown.fired, wait=TICK_MS * 10):
        pass
    assert len(pbx.originates) == 3

    # Pressing Dial next starts the run again.
    dial_next(qtbot, window, dock)
    save_outcome(qtbot, window, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: countdown.running, timeout=5000)
    with qtbot.waitSignal(countdown.fired, timeout=5000):
        pass
    wait_idle(qtbot, window)
    assert len(pbx.originates) == 5


def test_auto_advance_is_off_by_default(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    CallListStore(call_log).create_list("Manual", [row("Ada", "0171"), row("Bo", "0172")])
    dock = open_dock(qtbot, window, 2)
    assert not dock.auto_advance_action.isChecked()
    dial_next(qtbot, window, dock)
    with qtbot.waitSignal(window.follow_up.panel.saved, timeout=5000):
        save_outcome(qtbot, window, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: state(dock, 0) == "Connected", timeout=5000)
    assert dock.countdown.state == "off"
    assert focused() is dock.dial_next_button
    assert len(pbx.originates) == 1


# --- notes ------------------------------------------------------------------------------------


def test_a_sentence_typed_after_an_outcome_key_is_the_note_in_the_history(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    from a1dialer.ui.history_model import NOTE, OUTCOME

    CallListStore(call_log).create_list("Notes", [row("Ada", "0171")])
    dock = open_dock(qtbot, window, 1)
    dial_next(qtbot, window, dock)
    panel = window.follow_up.panel
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    uuid = panel.call.uuid if panel.call else ""
    sentence = "2 units, call Tom at 3pm; budget 1-9k"
    qtbot.keyClick(focused(), Qt.Key.Key_2)
    qtbot.keyClicks(focused(), sentence)
    assert panel.outcome == "Voicemail"  # the digits went to the note
    qtbot.keyClick(focused(), Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # changes it
    qtbot.waitUntil(lambda: panel.outcome == "Connected", timeout=3000)  # an animated click
    qtbot.keyClicks(focused(), ".")  # typing goes on in the note
    sentence += "."
    assert panel.note_edit.text() == sentence
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=5000)
    record = call_log.get(uuid)
    assert record is not None
    assert (record.outcome, record.note) == ("Connected", sentence)
    window.history_dock.show()
    qtbot.waitUntil(lambda: window.history is not None, timeout=5000)
    history = window.history
    assert history is not None
    qtbot.waitUntil(lambda: history.model.index(0, NOTE).data() == sentence, timeout=5000)
    assert history.model.index(0, OUTCOME).data() == "Connected"


def test_a_note_is_kept_on_skip_on_the_next_call_and_when_the_window_closes(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    CallListStore(call_log).create_list(
        "Keep", [row("Ada", "0171"), row("Bo", "0172"), row("Cy", "0173")]
    )
    dock = open_dock(qtbot, window, 3)
    panel = window.follow_up.panel

    # A letter on the outcomes lands in the note; Esc closes but keeps the note.
    dial_next(qtbot, window, dock)
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    first = panel.call.uuid if panel.call else ""
    qtbot.keyClicks(focused(), "left early")
    assert panel.note_edit.text() == "left early"
    assert panel.outcome == ""
    with qtbot.waitSignal(panel.saved, timeout=5000):
        qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    record = call_log.get(first)
    assert record is not None
    assert (record.outcome, record.note) == ("", "left early")
    assert state(dock, 0) == "Called"  # a note alone does not change the row

    # The next call starts while the note is half typed: it is saved with its outcome.
    dial_next(qtbot, window, dock)
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    second = panel.call.uuid if panel.call else ""
    qtbot.keyClick(focused(), Qt.Key.Key_2)
    qtbot.keyClicks(focused(), "voicemail full")
    with qtbot.waitSignal(panel.saved, timeout=5000):
        dial_next(qtbot, window, dock)
    record = call_log.get(second)
    assert record is not None
    assert (record.outcome, record.note) == ("Voicemail", "voicemail full")
    qtbot.waitUntil(lambda: state(dock, 1) == "Voicemail", timeout=5000)

    # The window closes mid-note: the note is in the call log at once.
    third = panel.call.uuid if panel.call else ""
    assert third
    assert third != second
    qtbot.keyClicks(focused(), "closing now")
    window.close()
    record = call_log.get(third)
    assert record is not None
    assert record.note == "closing now"
