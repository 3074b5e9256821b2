"""The thread helper: work runs off the GUI thread, results and errors come back on it."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from a1dialer.ui.tasks import TaskRunner


def test_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    seen: dict[str, object] = {}

    def work() -> str:
        seen["worker"] = QThread.currentThread()
        return "done"

    def callback(result: str | None, error: BaseException | None) -> None:
        seen.update(result=result, error=error, thread=QThread.currentThread())

    with qtbot.waitSignal(runner.idle, timeout=5000):
        runner.run(work, callback)
    gui_thread = QApplication.instance().thread()  # type: ignore[union-attr]
    assert seen["result"] == "done"
    assert seen["error"] is None
    assert seen["thread"] is gui_thread
    assert seen["worker"] is not gui_thread


def test_errors_are_values(qtbot: QtBot) -> None:
    runner = TaskRunner()
    got: list[tuple[object, BaseException | None]] = []

    def work() -> None:
        raise ValueError("bad thing")

    with qtbot.waitSignal(runner.idle, timeout=5000):
        runner.run(work, lambda result, error: got.append((result, error)))
    assert got[0][0] is None
    assert isinstance(got[0][1], ValueError)


def test_callback_of_a_destroyed_owner_is_dropped(qtbot: QtBot) -> None:
    runner = TaskRunner()
    release = threading.Event()
    called: list[object] = []
    owner = QObject()
    runner.run(lambda: release.wait(5), lambda r, e: called.append(r), owner=owner)
    owner.deleteLater()
    with qtbot.waitSignal(owner.destroyed, timeout=5000):
        pass
    with qtbot.waitSignal(runner.idle, timeout=5000):
        release.set()
    assert called == []
    assert runner.in_flight == 0


def test_every_task_error_becomes_one_sentence(caplog: pytest.LogCaptureFixture) -> None:
    from a1dialer.core.errors import LocalProblem
    from a1dialer.ui.tasks import error_sentence

    problem = LocalProblem("The call log is already closed; restart A1 Dialer.", "closed")
    assert error_sentence(problem, "The list could not be read") == problem.sentence
    missing = FileNotFoundError(2, "No such file or directory")
    assert (
        error_sentence(missing, "The import failed", file="Could not read list.csv")
        == "Could not read list.csv: No such file or directory."
    )
    assert (
        error_sentence(missing, "Export failed", file="Could not write a.csv", advice="Choose.")
        == "Could not write a.csv: No such file or directory. Choose."
    )
    assert not caplog.records  # what the rep can fix is not a bug to log
    # A bug: logged with its traceback, never shown raw.
    try:
        raise KeyError("internal detail")
    except KeyError as bug:
        said = error_sentence(bug, "The call list could not be updated")
    assert said == "The call list could not be updated; the log has details."
    assert "internal detail" not in said
    [record] = caplog.records
    assert record.exc_info is not None
    # An OSError where no file was named is a bug too.
    assert error_sentence(missing, "The outcome could not be saved").endswith("has details.")
