"""``a1dialer dnc``: the do-not-call list from the command line."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from a1dialer.cli.failure import print_rejected
from a1dialer.core.errors import BadInput
from a1dialer.core.settings import load_settings

if TYPE_CHECKING:
    import argparse


def do_not_call(args: argparse.Namespace) -> int:
    from pathlib import Path

    from a1dialer.core.calllog import CallLog
    from a1dialer.core.do_not_call import DoNotCallList, added_on
    from a1dialer.pbx.placing import target_for

    settings = load_settings()
    with CallLog() as call_log:
        blocked = DoNotCallList(call_log)
        if args.dnc_action == "list":
            for entry in blocked.entries():
                if args.json:
                    item = {
                        "dial": entry.dial,
                        "display": entry.display,
                        "reason": entry.reason,
                        "added_at": entry.added_at.isoformat(),
                    }
                    print(json.dumps(item, ensure_ascii=False))
                else:
                    reason = f"  {entry.reason}" if entry.reason else ""
                    print(f"{entry.display or entry.dial:<18}  {added_on(entry.added_at)}{reason}")
            return 0
        if args.dnc_action == "import":
            path = Path(args.file)
            added, rejected, count = blocked.import_numbers(
                path,
                settings.default_country,
                settings.number_format,
                args.reason,
                extension_digits=settings.extension_digits,
            )
            print_rejected(rejected, count)
            print(
                f"Added {added:,} number{'s' if added != 1 else ''} to the do-not-call list"
                + (f"; {count:,} row(s) could not be used." if count else ".")
            )
            if rejected and not added:
                raise BadInput(f"No number in {path.name} could be used; nothing was added.")
            return 0
        try:
            target = target_for(args.number, settings)
        except BadInput:
            # A stored entry as ``dnc list --json`` gives it ("442079460123" abroad) is removed
            # by its digits, which no longer read as a number of the default country.
            if args.dnc_action == "remove" and blocked.remove(args.number):
                print(f"{args.number.strip()} is no longer on the do-not-call list.")
                return 0
            raise
        if args.dnc_action == "add":
            if blocked.add(target.dial, target.display, args.reason):
                print(f"{target.display} is now on the do-not-call list.")
            else:
                print(f"{target.display} was already on the do-not-call list.")
        elif blocked.remove(target):
            print(f"{target.display} is no longer on the do-not-call list.")
        else:
            print(f"{target.display} was not on the do-not-call list.")
    return 0
