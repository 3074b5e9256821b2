"""The window tells the truth about a call and never invites a second one by accident.

Against the simulator over real HTTP: a request that may have reached the PBX is "may be calling"
(not failed, not placed), the same number moments later asks for one more Enter, a call log that
another process holds does not fail a placed call, and a failed call is never "recorded".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from a1dialer.core.calllog import CallLog
from a1dialer.core.errors import OutcomeUnknown
from a1dialer.core.settings import Settings
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.history_model import NUMBER, OUTCOME, RECORDED
from a1dialer.ui.history_view import HistoryView
from a1dialer.ui.main_window import MainWindow
from a1dialer.ui.services import Services
from a1dialer.ui.status_label import status_colour
from tests.conftest import CallLogLock
from tests.gui.test_call_list_dock import focused, make_list, open_dock, wait_idle
from tests.gui.test_main_window import CALL_TIMEOUT_MS, call_and_wait, magic_number, press_enter

MAY_BE_CALLING = "The PBX may be calling your phone (ext 1007): check it before calling again."
ASK_AGAIN = re.compile(
    r"You called (?P<number>.+) (?P<ago>\d+ seconds?) ago\. Press Enter again to call anyway\."
)


def history_of(qtbot: QtBot, window: MainWindow) -> HistoryView:
    window.history_dock.show()  # its table is built when first shown
    qtbot.waitUntil(lambda: window.history is not None, timeout=5000)
    assert window.history is not None
    return window.history


def shown(history: HistoryView) -> list[str]:
    return [history.model.record_at(row).uuid for row in range(history.model.rowCount())]


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("garbage", "reply could not be read"),
        ("empty", "empty answer"),
        ("oversize", "too large to read"),
    ],
)
def test_an_accepted_reply_that_cannot_be_read_says_the_pbx_may_be_calling(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog, fault: str, reason: str
) -> None:
    # A 2xx reply means the PBX took the request: unreadable, it is no failure to retry at once.
    pbx.set_fault(fault, count=1, endpoint="originate", size_mb=50)
    window.number_edit.setText("208 555 1234")
    with (
        qtbot.assertNotEmitted(window.placer.failed),
        qtbot.waitSignal(window.placer.unknown, timeout=CALL_TIMEOUT_MS) as unknown,
    ):
        press_enter(window.number_edit)
    error = unknown.args[1]
    assert isinstance(error, OutcomeUnknown)
    assert reason in error.sentence
    assert window.status_label.text() == MAY_BE_CALLING
    stored = call_log.get(pbx.originates[0]["origination_uuid"])
    assert stored is not None
    assert stored.status == "unknown"


def test_a_dropped_originate_says_the_pbx_may_be_calling(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    history = history_of(qtbot, window)
    pbx.set_fault("reset", count=1, endpoint="originate")
    window.number_edit.setText("208 555 1234")
    window.record_check.setChecked(True)
    with (
        qtbot.assertNotEmitted(window.placer.failed),
        qtbot.assertNotEmitted(window.placer.placed),
        qtbot.waitSignal(window.placer.unknown, timeout=CALL_TIMEOUT_MS) as unknown,
    ):
        press_enter(window.number_edit)
    call_id = pbx.originates[0]["origination_uuid"]
    assert unknown.args[0].call_id == call_id
    # Neither red "failed" nor green "placed".
    assert window.status_label.text() == MAY_BE_CALLING
    assert window.status.kind == "warning"
    assert window.dialer.last_call_id == call_id
    qtbot.mouseClick(window.status.details_button, Qt.MouseButton.LeftButton)
    assert f"Call id {call_id}" in window.status.details_text.toPlainText()
    assert window.status.copy_button.isVisibleTo(window)

    stored = call_log.get(call_id)
    assert stored is not None
    assert (stored.status, stored.record) == ("unknown", False)
    # The history shows it as its own state, and its filter finds it (not "Failed").
    qtbot.waitUntil(lambda: shown(history) == [call_id], timeout=5000)
    qtbot.waitUntil(lambda: history.model.record_at(0).status == "unknown", timeout=5000)
    outcome = history.model.index(0, OUTCOME)
    assert str(outcome.data()).startswith("unknown: ")
    colour = outcome.data(Qt.ItemDataRole.ForegroundRole)
    assert colour == status_colour("warning", QApplication.palette())
    assert outcome.data(Qt.ItemDataRole.DecorationRole) is not None
    assert history.model.index(0, RECORDED).data() == ""
    with qtbot.waitSignal(history.model.modelReset):
        history.show_status("failed")
    assert shown(history) == []
    with qtbot.waitSignal(history.model.modelReset):
        history.show_status("unknown")
    assert shown(history) == [call_id]
    history.table.selectRow(0)
    menu = history.context_menu()
    (play,) = [action for action in menu.actions() if action.text() == "&Play recording"]
    assert not play.isEnabled()
    menu.deleteLater()
    assert len(pbx.originates) == 1


def test_the_same_number_again_within_two_minutes_asks_for_one_more_enter(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    window.number_edit.setText("(208) 555-1234")
    call_and_wait(qtbot, window, lambda: press_enter(window.number_edit))
    qtbot.waitUntil(lambda: window.dialer.ready_to_call, timeout=3000)
    assert len(pbx.originates) == 1

    window.number_edit.setText("208-555-1234")  # the same number, typed another way
    assert window.dialer.dial() is False
    asked = ASK_AGAIN.fullmatch(window.status_label.text())
    assert asked is not None, window.status_label.text()
    assert asked["number"] == window.dialer.target.display if window.dialer.target else ""
    assert window.status.kind == "warning"
    # The second half of a double press is not a confirmation.
    press_enter(window.number_edit)
    assert len(pbx.originates) == 1
    qtbot.waitUntil(lambda: window.dialer.redial_confirmable, timeout=3000)
    call_and_wait(qtbot, window, lambda: press_enter(window.number_edit))
    assert len(pbx.originates) == 2
    assert window.status_label.text().startswith("Call placed")


@pytest.mark.slow
def test_a_change_of_number_drops_the_question(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    window.number_edit.setText("208 555 1234")
    call_and_wait(qtbot, window, window.dialer.dial)
    qtbot.waitUntil(lambda: window.dialer.ready_to_call, timeout=3000)
    window.number_edit.setText("208 555 1234")
    assert window.dialer.dial() is False
    assert ASK_AGAIN.fullmatch(window.status_label.text())
    qtbot.waitUntil(lambda: window.dialer.redial_confirmable, timeout=3000)

    window.number_edit.setText("208 555 9876")
    assert not ASK_AGAIN.fullmatch(window.status_label.text())
    assert not window.dialer.redial_confirmable
    call_and_wait(qtbot, window, window.dialer.dial)  # another number: no question
    assert [o["dest"] for o in pbx.originates] == ["12085551234", "12085559876"]
    qtbot.waitUntil(lambda: window.dialer.ready_to_call, timeout=3000)
    # Back to the first number: asked again, not taken as confirmed.
    window.number_edit.setText("208 555 1234")
    assert window.dialer.dial() is False
    assert ASK_AGAIN.fullmatch(window.status_label.text())
    assert len(pbx.originates) == 2


def test_after_an_unknown_outcome_the_same_number_asks_first(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    pbx.set_fault("reset", count=1, endpoint="originate")
    window.number_edit.setText("208 555 1234")
    with qtbot.waitSignal(window.placer.unknown, timeout=CALL_TIMEOUT_MS):
        window.dialer.dial()
    qtbot.waitUntil(lambda: window.dialer.ready_to_call, timeout=3000)
    assert window.dialer.dial() is False
    assert window.status_label.text().startswith("The PBX may still be calling +1")
    assert window.status_label.text().endswith("Press Enter again to call anyway.")
    assert len(pbx.originates) == 1


@pytest.mark.slow
def test_dial_next_on_a_number_called_moments_ago_asks_the_same_question(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, tmp_path: Path
) -> None:
    make_list(window.follow_up.store, tmp_path, "Name,Phone\nAda,(208) 555-0171\n")
    window.number_edit.setText("208 555 0171")
    call_and_wait(qtbot, window, window.dialer.dial)
    wait_idle(qtbot, window)
    dock = open_dock(qtbot, window)

    assert dock.dial_next() is False
    assert ASK_AGAIN.fullmatch(dock.message.text()), dock.message.text()
    assert dock.message.text() == window.status_label.text()
    assert focused() is dock.dial_next_button
    assert dock.model.entry_at(0).state == "todo"
    assert len(pbx.originates) == 1
    qtbot.waitUntil(lambda: window.dialer.redial_confirmable, timeout=3000)
    qtbot.keyClick(dock.dial_next_button, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert [o["dest"] for o in pbx.originates] == ["12085550171", "12085550171"]
    assert dock.model.entry_at(0).state == "done"


def test_an_unknown_call_from_a_list_is_not_offered_again(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, tmp_path: Path
) -> None:
    make_list(
        window.follow_up.store, tmp_path, "Name,Phone\nAda,(208) 555-0171\nBo,(208) 555-0172\n"
    )
    dock = open_dock(qtbot, window)
    pbx.set_fault("reset", count=1, endpoint="originate")
    with qtbot.waitSignal(window.placer.unknown, timeout=CALL_TIMEOUT_MS):
        assert dock.dial_next()
    wait_idle(qtbot, window)
    first = dock.model.entry_at(0)
    # It waits for the rep (never retried by itself), with the call's id.
    assert (first.state, first.result, first.call_uuid) == (
        "todo",
        "unknown",
        pbx.originates[0]["origination_uuid"],
    )
    assert (
        dock.message.text() == "The PBX may be calling Ada: check your phone before calling again."
    )
    assert dock.dial_next()  # the next number, not Ada again
    wait_idle(qtbot, window)
    assert [o["dest"] for o in pbx.originates] == ["12085550171", "12085550172"]


@pytest.mark.slow
def test_a_call_log_held_by_another_program_briefly_still_ends_placed(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    pbx: PbxSimulator,
    api_key: str,
    call_log: CallLog,
    lock_call_log: Callable[[Path], CallLogLock],
) -> None:
    window = open_window(settings_for(pbx))
    # The PBX holds the request long enough for the other program to take the lock first.
    pbx.set_fault("delay", delay=1.5, count=1, endpoint="originate")
    window.number_edit.setText("208 555 1234")
    assert window.dialer.dial()
    assert pbx.wait_for_requests(1, timeout=10)
    holder = lock_call_log(call_log.path)
    # No signal says "the outcome is waiting for the lock": give the PBX's reply (1.5 s) time
    # to arrive, then check the call is still in flight because its outcome is waiting.
    qtbot.wait(3000)
    assert window.placer.busy
    with qtbot.waitSignal(window.placer.placed, timeout=CALL_TIMEOUT_MS) as placed:
        holder.release()
    call_id = pbx.originates[0]["origination_uuid"]
    assert placed.args[1].log_problem == ""
    assert window.status_label.text().startswith("Call placed")
    assert call_id in window.status_label.text()
    assert window.status.kind == "ok"
    stored = call_log.get(call_id)
    assert stored is not None
    assert stored.status == "placed"


@pytest.mark.slow
def test_a_call_log_held_past_the_wait_still_shows_the_call_placed_and_logs_it_later(
    qtbot: QtBot,
    settings_for: Callable[..., Settings],
    pbx: PbxSimulator,
    api_key: str,
    tmp_path: Path,
    lock_call_log: Callable[[Path], CallLogLock],
) -> None:
    path = tmp_path / "held.sqlite3"
    call_log = CallLog(path, outcome_wait_s=0.5)
    window = MainWindow(Services.create(settings_for(pbx), call_log))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    pbx.set_fault("delay", delay=2.0, count=1, endpoint="originate")
    window.number_edit.setText("208 555 1234")
    assert window.dialer.dial()
    assert pbx.wait_for_requests(1, timeout=10)
    holder = lock_call_log(path)
    with qtbot.waitSignal(window.placer.placed, timeout=CALL_TIMEOUT_MS):
        pass
    call_id = pbx.originates[0]["origination_uuid"]
    text = window.status_label.text()
    assert text.startswith("Call placed")
    assert f"Call id {call_id}" in text
    assert text.endswith(
        "The call log could not be updated yet (another program holds it); the call is kept "
        "and written to it later."
    )
    assert window.status.kind == "warning"
    holder.release()
    call_log.close()
    with CallLog(path) as reopened:
        stored = reopened.get(call_id)
    assert stored is not None
    assert stored.status == "placed"


def test_a_failed_call_with_recording_on_is_not_recorded_and_offers_no_play(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    history = history_of(qtbot, window)
    window.record_check.setChecked(True)
    window.number_edit.setText(magic_number("USER_BUSY"))
    with qtbot.waitSignal(window.placer.failed, timeout=CALL_TIMEOUT_MS):
        window.dialer.dial()
    wait_idle(qtbot, window)
    window.number_edit.setText("208 555 1234 ext. 55")
    call_and_wait(qtbot, window, window.dialer.dial)
    placed_id = pbx.originates[1]["origination_uuid"]
    qtbot.waitUntil(lambda: len(shown(history)) == 2, timeout=5000)
    qtbot.waitUntil(lambda: history.model.record_at(0).status == "placed", timeout=5000)
    assert [history.model.index(row, RECORDED).data() for row in (0, 1)] == ["✓", ""]
    # The extension the rep was told to ask for is part of the number shown, and searchable.
    assert history.model.index(0, NUMBER).data() == "+1 208-555-1234 ext. 55"
    for row, playable in ((1, False), (0, True)):
        history.table.selectRow(row)
        menu = history.context_menu()
        (play,) = [a for a in menu.actions() if a.text() == "&Play recording"]
        assert play.isEnabled() is playable
        menu.deleteLater()
    with qtbot.waitSignal(history.model.modelReset):
        history.recorded_check.setChecked(True)
    assert shown(history) == [placed_id]
    with qtbot.waitSignal(history.model.modelReset):
        history.recorded_check.setChecked(False)
    history.search_edit.setText("ext. 55")
    qtbot.waitUntil(lambda: shown(history) == [placed_id], timeout=5000)


def test_an_unknown_call_can_still_get_its_outcome_noted(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    pbx.set_fault("reset", count=1, endpoint="originate")
    window.number_edit.setText("208 555 1234")
    with qtbot.waitSignal(window.placer.unknown, timeout=CALL_TIMEOUT_MS):
        window.dialer.dial()
    panel = window.follow_up.panel
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    call_id = pbx.originates[0]["origination_uuid"]
    assert panel.call is not None
    assert panel.call.uuid == call_id
    qtbot.keyClick(focused(), Qt.Key.Key_1)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=5000)
    stored = call_log.get(call_id)
    assert stored is not None
    assert (stored.status, stored.outcome) == ("unknown", "Connected")
