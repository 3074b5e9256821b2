"""How a command reports what went wrong: one sentence (or JSON), its exit code; unusable rows."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from a1dialer.core.errors import DialerError


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
        say(error.sentence)
        if error.details:
            say_details(error.details)
    return code


def say(sentence: str) -> None:
    """One sentence for the rep on stderr, after the program's name."""
    from a1dialer.core.translation import _

    # Translators: a message of the command line on its error output; "a1dialer" is the name
    # of the program the rep typed, keep it.
    print(_("a1dialer: {sentence}").format(sentence=sentence), file=sys.stderr)


def say_details(details: str) -> None:
    """The technical details under a sentence of ``say`` (they stay in English, for support)."""
    from a1dialer.core.translation import _

    # Translators: the technical details under an error of the command line, shown indented.
    print("  " + _("details: {details}").format(details=details), file=sys.stderr)


def print_rejected(rejected: Sequence[Any], count: int) -> None:
    """The rows of an import that could not be used, on stderr: line, text, why."""
    from a1dialer.core.translation import _, ngettext

    for row in rejected:
        if row.text:
            # Translators: a row of an imported file that could not be used: its line number,
            # what it said, and why it could not be used.
            line = _("line {line}: {text}: {reason}").format(
                line=row.line, text=row.text, reason=row.reason
            )
        else:
            # Translators: an empty row of an imported file: its line number and why.
            line = _("line {line}: {reason}").format(line=row.line, reason=row.reason)
        print(line, file=sys.stderr)
    more = count - len(rejected)
    if more > 0:
        print(
            ngettext(
                "... and {n} more row that could not be used",
                "... and {n} more rows that could not be used",
                more,
            ).format(n=f"{more:,}"),
            file=sys.stderr,
        )
