"""Logging to a rotating file in the profile directory, the API key redacted from every record."""

from __future__ import annotations

import logging
import logging.handlers

from a1dialer.core import paths
from a1dialer.core.redaction import RedactingFilter

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(level: int = logging.INFO) -> logging.Handler:
    """Attach (once) a redacting rotating file handler to the root logger; return it."""
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "a1dialer", False):
            return handler
    handler = logging.handlers.RotatingFileHandler(
        paths.log_dir() / "a1dialer.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.a1dialer = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    # urllib3 logs full request URLs (with key=) at DEBUG; the filter masks them, but keep it quiet.
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    return handler
