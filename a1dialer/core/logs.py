"""Logging to a rotating file in the profile directory, the API key redacted from every record.

When the file cannot be opened (a read-only or full profile), warnings go to stderr instead.

The window defers opening the file until it has painted (``hold_logging_until_setup``): the
rotating handler's module pulls in sockets and pickling, which the first paint need not wait for.
Records logged meanwhile are kept and written, in order, when ``setup_logging`` runs (at the
latest at exit).
"""

from __future__ import annotations

import atexit
import logging
import sys

from a1dialer.core import paths
from a1dialer.core.redaction import RedactingFilter

log = logging.getLogger(__name__)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Log files: up to this size each, this many old ones kept.
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3


class _HeldRecords(logging.Handler):
    """Keeps records until the real handler exists, then hands them over."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _ours(handler: logging.Handler) -> bool:
    return getattr(handler, "a1dialer", False) is True


def hold_logging_until_setup(level: int = logging.INFO) -> None:
    """Keep log records in memory until ``setup_logging`` (or exit) writes them to the file."""
    root = logging.getLogger()
    if any(_ours(handler) or isinstance(handler, _HeldRecords) for handler in root.handlers):
        return
    held = _HeldRecords()
    root.addHandler(held)
    root.setLevel(min(root.level or level, level))
    # A launch that only hands its link to the running app and exits has nothing to write.
    atexit.register(lambda: held.records and setup_logging(level))


def _log_file_handler() -> logging.Handler:
    """The rotating log file; a record it cannot write (the disk filled up meanwhile) goes to
    stderr as one line, never as logging's own traceback."""
    import logging.handlers

    class _LogFile(logging.handlers.RotatingFileHandler):
        def handleError(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                sys.stderr.write(f"a1dialer: {record.levelname}: {record.getMessage()}\n")

    return _LogFile(
        paths.log_dir() / "a1dialer.log",
        maxBytes=MAX_BYTES,
        backupCount=BACKUP_COUNT,
        encoding="utf-8",
    )


def setup_logging(level: int = logging.INFO) -> logging.Handler:
    """Attach (once) a redacting rotating file handler to the root logger; return it."""
    root = logging.getLogger()
    held: list[logging.LogRecord] = []
    for existing in list(root.handlers):
        if _ours(existing):
            return existing
        if isinstance(existing, _HeldRecords):
            root.removeHandler(existing)
            held.extend(existing.records)
    problem = ""
    try:
        handler = _log_file_handler()
    except OSError as exc:  # a read-only or full profile: the records still go somewhere
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(max(level, logging.WARNING))  # stderr is the rep's: warnings only
        handler.setFormatter(logging.Formatter("a1dialer: %(levelname)s: %(message)s"))
        problem = f"{exc.filename or 'the profile folder'}: {exc.strerror or exc}"
    handler.a1dialer = True  # type: ignore[attr-defined]
    if not problem:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    # urllib3 logs full request URLs (with key=) at DEBUG; the filter masks them, but keep it quiet.
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    for record in held:
        handler.handle(record)
    if problem:
        # A log record, not a message box: support reads it in English.
        log.warning("The log file cannot be opened, so warnings go to stderr (%s).", problem)
    return handler
