"""How a command reports what went wrong: one sentence (or JSON), its exit code; unusable rows."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from a1dialer.core.errors import DialerError

if TYPE_CHECKING:
    pass


def fail(error: DialerError, *, as_json: bool = False, exit_code: int | None = None) -> int:
    code = error.exit_code if exit_code is None else exit_code
    if as_json:
        kind = type(error).__name__
        print(
            json.dumps(
                {
                    "ok": False,
                    "error": kind,
                    "message": error.sentence,
                    "details": error.details,
                    "exit_code": code,
                }
            )
        )
    else:
        print(f"a1dialer: {error.sentence}", file=sys.stderr)
        if error.details:
            print(f"  details: {error.details}", file=sys.stderr)
    return code


def print_rejected(rejected: Sequence[Any], count: int) -> None:
    """The rows of an import that could not be used, on stderr: line, text, why."""
    for row in rejected:
        text = f"{row.text}: " if row.text else ""
        print(f"line {row.line}: {text}{row.reason}", file=sys.stderr)
    if count > len(rejected):
        print(
            f"... and {count - len(rejected):,} more rows that could not be used", file=sys.stderr
        )
