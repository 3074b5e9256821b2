"""``a1dialer lists``: the call lists, and importing a CSV file or workbook as a new one."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from a1dialer.cli.failure import print_rejected
from a1dialer.core.errors import BadInput
from a1dialer.core.settings import load_settings
from a1dialer.core.translation import _, ngettext

if TYPE_CHECKING:
    import argparse

    from a1dialer.core.call_lists import CallListSummary


def summary_json(summary: CallListSummary) -> dict[str, object]:
    """One list as ``lists --json`` prints it (one such object per line)."""
    return {
        "id": summary.id,
        "name": summary.name,
        "created_at": summary.created_at.isoformat(),
        "archived": summary.archived,
        "total": summary.total,
        "done": summary.done,
        "skipped": summary.skipped,
        "do_not_call": summary.dnc,
        "left": summary.left,
    }


def lists(args: argparse.Namespace) -> int:
    from a1dialer.core.call_lists import CallListStore
    from a1dialer.core.calllog import CallLog

    if args.lists_action == "import":
        return _import_list(args)
    with CallLog() as call_log:
        summaries = CallListStore(call_log).lists(include_archived=True)
    for summary in summaries:
        if args.json:
            print(json.dumps(summary_json(summary), ensure_ascii=False))
        else:
            print(_list_line(summary))
    return 0


def _list_line(summary: CallListSummary) -> str:
    """One list as ``lists`` prints it for a person: id, name, progress, archived or not."""
    if summary.archived:
        # Translators: {id} is right-aligned in 4 characters; {done} and {left} count the
        # list's {total} numbers; keep the two spaces between the parts.
        line = ngettext(
            "{id:>4}  {name}  {done:,} of {total:,} called, {left:,} left  (archived)",
            "{id:>4}  {name}  {done:,} of {total:,} called, {left:,} left  (archived)",
            summary.total,
        )
    else:
        # Translators: as above, for a list that is not archived.
        line = ngettext(
            "{id:>4}  {name}  {done:,} of {total:,} called, {left:,} left",
            "{id:>4}  {name}  {done:,} of {total:,} called, {left:,} left",
            summary.total,
        )
    return line.format(
        id=summary.id, name=summary.name, done=summary.done, total=summary.total, left=summary.left
    )


def _import_list(args: argparse.Namespace) -> int:
    from pathlib import Path

    from a1dialer.core.call_lists import CallListStore
    from a1dialer.core.calllog import CallLog
    from a1dialer.core.csv_columns import guess_columns
    from a1dialer.core.csv_import import convert, read_table
    from a1dialer.core.do_not_call import DoNotCallList

    settings = load_settings()
    path = Path(args.file)
    table = read_table(path, sheet=args.sheet or None)
    mapping = guess_columns(table.headers)
    if mapping.phone is None:
        raise BadInput(
            _(
                "{name} has no column named Phone, Mobile or Number; name the column of "
                "numbers and import again."
            ).format(name=path.name)
        )
    if table.warning:
        print(f"a1dialer: {table.warning}", file=sys.stderr)
    name = args.name or path.stem.replace("_", " ")
    with CallLog() as call_log:
        result = convert(
            table,
            mapping,
            settings.default_country,
            settings.number_format,
            extension_digits=settings.extension_digits,
            blocked=DoNotCallList(call_log).keys(),
        )
        try:
            imported = len(result.entries)
            if not imported:
                if not args.json:
                    print_rejected(result.rejected, result.rejected_count)
                raise BadInput(
                    _("No number in {name} could be used; no list was made.").format(name=path.name)
                )
            store = CallListStore(call_log)
            list_id = store.create_list(name, result.entries)
            name = store.summary(list_id).name
        finally:
            result.entries.close()
    count, dnc = result.rejected_count, result.dnc_count
    if args.json:
        print(
            json.dumps(
                {
                    "list_id": list_id,
                    "name": name,
                    "imported": imported,
                    "do_not_call": dnc,
                    "rejected": [
                        {"line": row.line, "reason": row.reason} for row in result.rejected
                    ],
                    "rejected_count": count,
                },
                ensure_ascii=False,
            )
        )
        return 0
    print_rejected(result.rejected, count)
    print(
        ngettext(
            "Imported {n:,} number as list {id} ({name}).",
            "Imported {n:,} numbers as list {id} ({name}).",
            imported,
        ).format(n=imported, id=list_id, name=name)
    )
    if dnc:
        print(
            ngettext(
                "{n:,} imported number is on the do-not-call list; it will never be dialled.",
                "{n:,} imported numbers are on the do-not-call list; they will never be dialled.",
                dnc,
            ).format(n=dnc)
        )
    if count:
        print(
            ngettext(
                "{n:,} row could not be used (listed above with its line and reason).",
                "{n:,} rows could not be used (listed above with their lines and reasons).",
                count,
            ).format(n=count)
        )
    if args.sheet is None and len(table.sheets) > 1:
        print(
            _("Read the first sheet, {sheet}; choose another with --sheet NAME.").format(
                sheet=table.sheet
            ),
            file=sys.stderr,
        )
    return 0
