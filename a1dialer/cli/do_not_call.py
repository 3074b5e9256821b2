"""``a1dialer dnc``: the do-not-call list from the command line."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from a1dialer.cli.failure import print_rejected
from a1dialer.core.errors import BadInput
from a1dialer.core.settings import load_settings
from a1dialer.core.translation import _, ngettext

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
            summary = ngettext(
                "Added {n} number to the do-not-call list.",
                "Added {n} numbers to the do-not-call list.",
                added,
            ).format(n=f"{added:,}")
            if count:
                unusable = ngettext(
                    "{n} row could not be used.", "{n} rows could not be used.", count
                ).format(n=f"{count:,}")
                summary = f"{summary} {unusable}"
            print(summary)
            if rejected and not added:
                raise BadInput(
                    _("No number in {file} could be used; nothing was added.").format(
                        file=path.name
                    )
                )
            return 0
        try:
            target = target_for(args.number, settings)
        except BadInput:
            # A stored entry as ``dnc list --json`` gives it ("442079460123" abroad) is removed
            # by its digits, which no longer read as a number of the default country.
            if args.dnc_action == "remove" and blocked.remove(args.number):
                print(
                    _("{number} is no longer on the do-not-call list.").format(
                        number=args.number.strip()
                    )
                )
                return 0
            raise
        if args.dnc_action == "add":
            if blocked.add(target.dial, target.display, args.reason):
                shown = _("{number} is now on the do-not-call list.")
            else:
                shown = _("{number} was already on the do-not-call list.")
        elif blocked.remove(target):
            shown = _("{number} is no longer on the do-not-call list.")
        else:
            shown = _("{number} was not on the do-not-call list.")
        print(shown.format(number=target.display))
    return 0
