"""The window's start-up holds log records until the log file is opened after the first paint."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from a1dialer.core import paths
from a1dialer.core.logs import hold_logging_until_setup, setup_logging
from a1dialer.core.redaction import register_secret

SECRET = "held-secret-key-77"


@pytest.fixture
def clean_root() -> logging.Logger:
    return logging.getLogger()  # conftest removes the handlers a test adds


def test_held_records_reach_the_file_in_order_and_redacted(clean_root: logging.Logger) -> None:
    register_secret(SECRET)
    hold_logging_until_setup()
    log = logging.getLogger("a1dialer.test.held")
    log.info("first, before the paint")
    log.warning("second, with key=%s", SECRET)
    log_file = paths.log_dir() / "a1dialer.log"
    assert not log_file.exists()  # nothing opened before setup

    handler = setup_logging()
    log.info("third, after the paint")
    handler.flush()
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert [line.split(": ", 1)[1] for line in lines][-3:] == [
        "first, before the paint",
        "second, with key=***",
        "third, after the paint",
    ]
    assert SECRET not in log_file.read_text(encoding="utf-8")


def test_setup_twice_keeps_one_handler(clean_root: logging.Logger) -> None:
    hold_logging_until_setup()
    hold_logging_until_setup()
    first = setup_logging()
    assert setup_logging() is first
    ours = [h for h in clean_root.handlers if getattr(h, "a1dialer", False)]
    assert ours == [first]
    assert not [h for h in clean_root.handlers if type(h).__name__ == "_HeldRecords"]


def test_a_log_file_that_cannot_be_opened_falls_back_to_stderr(
    clean_root: logging.Logger,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    register_secret(SECRET)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the profile folder must be")
    monkeypatch.setenv(paths.HOME_ENV, str(blocker / "profile"))
    setup_logging()
    logging.getLogger("a1dialer.test.fallback").warning("still told, key=%s", SECRET)
    logging.getLogger("a1dialer.test.fallback").info("not for the terminal")
    err = capsys.readouterr().err
    assert "The log file cannot be opened, so warnings go to stderr" in err
    assert "a1dialer: WARNING: still told, key=***" in err
    assert "not for the terminal" not in err
    assert SECRET not in err
    assert "Traceback" not in err
