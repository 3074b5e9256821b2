"""The call history panel: search by any formatting, filters, redial, delete, live rows, export."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QLocale, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from a1dialer.core.calllog import CallLog, CallRecord
from a1dialer.ui.history_model import NUMBER, OUTCOME, PAGE_SIZE, RECORDED, TIME
from a1dialer.ui.history_view import HistoryView

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def add(
    call_log: CallLog,
    uuid: str,
    display: str,
    name: str = "",
    *,
    minutes: float = 0,
    record: bool = False,
    failed: str = "",
) -> None:
    digits = "".join(ch for ch in display if ch.isdigit())
    call_log.add_pending(
        uuid=uuid, number=digits, display_number=display, name=name, ringback="us-ring",
        auto_answer=False, record=record, started_at=T0 + timedelta(minutes=minutes),
    )  # fmt: skip
    if failed:
        call_log.mark_failed(uuid, failed)
    else:
        call_log.mark_placed(uuid)


@pytest.fixture
def filled_log(call_log: CallLog) -> CallLog:
    add(call_log, "us-call", "+1 (208) 555-1234", "Ana Silva", minutes=0, record=True)
    add(call_log, "uk-call", "+44 20 7946 0018", "José Núñez", minutes=1)
    add(call_log, "busy-call", "+1 415-555-0199", "", minutes=2, failed="The line was busy.")
    return call_log


@pytest.fixture
def view(qtbot: QtBot, filled_log: CallLog) -> HistoryView:
    shown = HistoryView(filled_log, search_delay_ms=0)
    qtbot.addWidget(shown)
    shown.resize(900, 400)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def shown_ids(view: HistoryView) -> list[str]:
    return [view.model.record_at(row).uuid for row in range(view.model.rowCount())]


def search(qtbot: QtBot, view: HistoryView, text: str) -> None:
    with qtbot.waitSignal(view.model.modelReset):
        view.search_edit.setText(text)


def select(view: HistoryView, uuid: str) -> None:
    row = view.model.row_of(uuid)
    assert row is not None
    view.table.selectionModel().setCurrentIndex(
        view.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_newest_calls_come_first_with_outcome_and_recording(view: HistoryView) -> None:
    assert view.table.objectName() == "historyView"
    assert view.search_edit.objectName() == "historySearch"
    assert shown_ids(view) == ["busy-call", "uk-call", "us-call"]
    model = view.model
    # A word to scan by; the sentence in the tooltip.
    assert model.index(0, OUTCOME).data() == "Failed"
    assert "The line was busy." in model.index(0, OUTCOME).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, OUTCOME).data() == "Placed"
    assert model.index(2, RECORDED).data() == "✓"
    assert model.index(1, RECORDED).data() == ""
    assert view.count_label.text() == "3 calls"


def test_times_are_written_as_the_locale_writes_them_and_sorted_by_the_moment(
    qtbot: QtBot, call_log: CallLog
) -> None:
    # In German "31.12.24" sorts after "02.01.25" as text: the rows must follow the moment.
    new_year = datetime(2025, 1, 2, 12, 0, tzinfo=UTC)
    minutes = (new_year - T0).total_seconds() / 60
    add(call_log, "old-year", "+44 20 7946 0018", minutes=minutes - 3 * 24 * 60)
    add(call_log, "new-year", "+1 415-555-0199", minutes=minutes)
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        view = HistoryView(call_log, search_delay_ms=0)
        qtbot.addWidget(view)
        assert shown_ids(view) == ["new-year", "old-year"]
        model = view.model
        shown = [model.index(row, TIME).data() for row in range(2)]
        local = new_year.astimezone()
        assert shown[0] == f"{local:%d.%m.%y %H:%M}"
        german = QLocale(QLocale.Language.German)
        weekday = german.dayName(local.isoweekday(), QLocale.FormatType.LongFormat)
        tooltip = model.index(0, TIME).data(Qt.ItemDataRole.ToolTipRole)
        assert tooltip.startswith(weekday + ", ")
        assert local.strftime("%H:%M") in tooltip
    finally:
        QLocale.setDefault(before)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("5551234", ["us-call"]),
        ("208-555-1234", ["us-call"]),
        ("(208) 555 1234", ["us-call"]),
        ("02079460018", []),  # the national form with a trunk 0 is not in the stored digits
        ("7946 0018", ["uk-call"]),
        ("555", ["busy-call", "us-call"]),
        ("ana", ["us-call"]),
        ("jose nunez", ["uk-call"]),
        ("ana 1234", ["us-call"]),
        ("zoe", []),
    ],
)
def test_search_matches_digits_in_any_formatting_and_names(
    qtbot: QtBot, view: HistoryView, typed: str, expected: list[str]
) -> None:
    search(qtbot, view, typed)
    assert shown_ids(view) == expected
    if not expected:
        assert view.count_label.text() == "No calls match this search."


def test_typing_waits_for_a_pause_before_searching(qtbot: QtBot, filled_log: CallLog) -> None:
    view = HistoryView(filled_log, search_delay_ms=150)
    qtbot.addWidget(view)
    with qtbot.assertNotEmitted(view.model.modelReset, wait=50):
        view.search_edit.setText("5")
        view.search_edit.setText("55")
    with qtbot.waitSignal(view.model.modelReset, timeout=2000):
        view.search_edit.setText("555")
    assert shown_ids(view) == ["busy-call", "us-call"]


def test_typing_quickly_shows_only_the_latest_search(qtbot: QtBot, view: HistoryView) -> None:
    shown: list[str] = []
    view.model.modelReset.connect(lambda: shown.append(view.model.search_text))
    # No event loop between these keystrokes: the first search is still running when the
    # others arrive, so its result is stale and only the last search is read and shown.
    with qtbot.waitSignal(view.model.searchApplied):
        for typed in ("5", "55", "555", "5551", "55512", "555123", "5551234"):
            view.search_edit.setText(typed)
            view.apply_search()
        assert view.model.searching
    assert shown == ["5551234"]
    assert shown_ids(view) == ["us-call"]
    assert view.count_label.text() == "1 call match"


def test_typed_letters_end_with_the_rows_of_the_whole_name(qtbot: QtBot, view: HistoryView) -> None:
    view.search_edit.setFocus()
    qtbot.keyClicks(view.search_edit, "jose nunez", delay=3)
    qtbot.waitUntil(lambda: not view.model.searching)
    assert view.model.search_text == "jose nunez"
    assert shown_ids(view) == ["uk-call"]


def test_a_call_added_while_a_search_runs_is_shown(
    qtbot: QtBot, view: HistoryView, filled_log: CallLog
) -> None:
    view.search_edit.setText("555")
    view.apply_search()
    add(filled_log, "new-call", "+1 303-555-0100", "Newcomer", minutes=10)
    view.refresh()
    qtbot.waitUntil(lambda: not view.model.searching)
    assert shown_ids(view) == ["new-call", "busy-call", "us-call"]


def test_a_search_keeps_the_selected_call(qtbot: QtBot, view: HistoryView) -> None:
    select(view, "us-call")
    search(qtbot, view, "555")
    selected = view.selected_record()
    assert selected is not None
    assert selected.uuid == "us-call"


def test_failed_only_and_with_recording_filters(qtbot: QtBot, view: HistoryView) -> None:
    with qtbot.waitSignal(view.model.modelReset):
        view.show_status("failed")
    assert shown_ids(view) == ["busy-call"]
    with qtbot.waitSignal(view.model.modelReset):
        view.show_status(None)
    with qtbot.waitSignal(view.model.modelReset):
        view.recorded_check.setChecked(True)
    assert shown_ids(view) == ["us-call"]


def test_double_click_and_enter_redial_the_international_number(
    qtbot: QtBot, view: HistoryView
) -> None:
    row = view.model.row_of("uk-call")
    assert row is not None
    rect = view.table.visualRect(view.model.index(row, NUMBER))
    # A real double click is a press-release followed by a double-click event.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.redialRequested) as redial:
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert redial.args == ["+44 20 7946 0018", "José Núñez"]

    select(view, "us-call")
    view.table.setFocus()
    with qtbot.waitSignal(view.redialRequested) as redial:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert redial.args == ["+1 (208) 555-1234", "Ana Silva"]


def test_enter_in_the_search_box_does_not_redial(qtbot: QtBot, view: HistoryView) -> None:
    view.search_edit.setFocus()
    with qtbot.assertNotEmitted(view.redialRequested):
        qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)


def test_copy_number_and_call_id(qtbot: QtBot, view: HistoryView) -> None:
    select(view, "uk-call")
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "+44 20 7946 0018"
    view.copy_call_id()
    assert QApplication.clipboard().text() == "uk-call"


def test_play_recording_only_for_recorded_calls(qtbot: QtBot, view: HistoryView) -> None:
    select(view, "uk-call")
    menu = view.context_menu()
    play = next(action for action in menu.actions() if "Play" in action.text())
    assert not play.isEnabled()
    select(view, "us-call")
    menu = view.context_menu()
    play = next(action for action in menu.actions() if "Play" in action.text())
    with qtbot.waitSignal(view.playRequested) as played:
        play.trigger()
    record = played.args[0]
    assert isinstance(record, CallRecord)
    assert record.uuid == "us-call"


def test_delete_asks_then_removes_the_call_and_selects_the_next(
    qtbot: QtBot, view: HistoryView, filled_log: CallLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = [False, True]
    monkeypatch.setattr(HistoryView, "ask", classmethod(lambda cls, *args: answers.pop(0)))
    select(view, "uk-call")
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert filled_log.get("uk-call") is not None
    with qtbot.waitSignal(view.statusMessage) as message:
        qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert "Deleted the call to +44 20 7946 0018 (José Núñez)" in message.args[0]
    assert filled_log.get("uk-call") is None
    assert shown_ids(view) == ["busy-call", "us-call"]
    selected = view.selected_record()
    assert selected is not None
    assert selected.uuid == "us-call"
    assert view.count_label.text() == "2 calls"


def test_a_new_call_appears_at_the_top_on_refresh_keeping_the_selection(
    view: HistoryView, filled_log: CallLog
) -> None:
    select(view, "uk-call")
    add(filled_log, "new-call", "+1 303-555-0100", "Newcomer", minutes=10)
    view.refresh()
    assert shown_ids(view)[0] == "new-call"
    selected = view.selected_record()
    assert selected is not None
    assert selected.uuid == "uk-call"


def test_a_long_history_is_read_one_page_at_a_time(qtbot: QtBot, call_log: CallLog) -> None:
    for index in range(PAGE_SIZE * 2 + 10):
        add(call_log, f"call-{index:04d}", f"+1 208-555-{index:04d}", minutes=index)
    view = HistoryView(call_log, search_delay_ms=0)
    qtbot.addWidget(view)
    view.show()
    assert view.model.total == PAGE_SIZE * 2 + 10
    assert view.model.rowCount() == PAGE_SIZE
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() > PAGE_SIZE)
    assert shown_ids(view)[0] == f"call-{PAGE_SIZE * 2 + 9:04d}"
    while view.model.canFetchMore():
        view.model.fetchMore()
    assert shown_ids(view)[-1] == "call-0000"
    assert view.count_label.text() == "410 calls"


def test_export_saves_the_calls_shown_as_csv(
    qtbot: QtBot, view: HistoryView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "export"
    monkeypatch.setattr(
        HistoryView, "ask_export_path", classmethod(lambda cls, parent: str(target))
    )
    with qtbot.waitSignal(view.model.modelReset):
        view.show_status("failed")
    with qtbot.waitSignal(view.statusMessage, timeout=5000) as message:
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert message.args == [f"Exported 1 call to {target.with_suffix('.csv')}."]
    with target.with_suffix(".csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [row[-1] for row in rows] == ["Call id", "busy-call"]
    assert view.export_button.isEnabled()


def test_export_keeps_formulas_and_numbers_as_text(
    qtbot: QtBot, call_log: CallLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(call_log, "formula-call", "12085551234", '=HYPERLINK("https://evil.example","Hi")')
    call_log.set_outcome("formula-call", "-Interested", "@SUM(A1:A9)")
    shown = HistoryView(call_log, search_delay_ms=0)
    qtbot.addWidget(shown)
    target = tmp_path / "calls.csv"
    monkeypatch.setattr(
        HistoryView, "ask_export_path", classmethod(lambda cls, parent: str(target))
    )
    with qtbot.waitSignal(shown.statusMessage, timeout=5000):
        qtbot.mouseClick(shown.export_button, Qt.MouseButton.LeftButton)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        row = next(row for row in csv.DictReader(handle))
    assert row["Name"] == '\'=HYPERLINK("https://evil.example","Hi")'
    assert row["Number"] == "'12085551234"
    assert (row["Outcome"], row["Note"]) == ("'-Interested", "'@SUM(A1:A9)")


def test_an_export_that_cannot_be_written_says_so(
    qtbot: QtBot, view: HistoryView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "missing-folder" / "calls.csv"
    monkeypatch.setattr(
        HistoryView, "ask_export_path", classmethod(lambda cls, parent: str(target))
    )
    with qtbot.waitSignal(view.statusMessage, timeout=5000) as message:
        view.export()
    assert message.args[0].startswith(f"Could not write {target}")


def test_the_view_can_live_inside_another_window(qtbot: QtBot, filled_log: CallLog) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    view = HistoryView(filled_log, parent=host)
    assert view.parent() is host


def test_down_from_the_search_box_moves_to_the_first_result(
    qtbot: QtBot, view: HistoryView
) -> None:
    search(qtbot, view, "555")
    view.search_edit.setFocus()
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Down)
    assert view.table.hasFocus()
    selected = view.selected_record()
    assert selected is not None
    assert selected.uuid == "busy-call"
