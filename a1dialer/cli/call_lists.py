"""``a1dialer lists``: the call lists, and importing a CSV file as a new one."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from a1dialer.cli.failure import print_rejected
from a1dialer.core.errors import BadInput
from a1dialer.core.settings import load_settings

if TYPE_CHECKING:
    import argparse


def lists(args: argparse.Namespace) -> int:
    from a1dialer.core.call_lists import CallListStore
    from a1dialer.core.calllog import CallLog

    if args.lists_action == "import":
        return _import_list(args)
    with CallLog() as call_log:
        summaries = CallListStore(call_log).lists(include_archived=True)
    for summary in summaries:
        if args.json:
            item = {
                "id": summary.id,
                "name": summary.name,
                "created_at": summary.created_at.isoformat(),
                "archived": summary.archived,
                "total": summary.total,
                "done": summary.done,
                "skipped": summary.skipped,
                "left": summary.left,
            }
            print(json.dumps(item, ensure_ascii=False))
        else:
            archived = "  (archived)" if summary.archived else ""
            print(
                f"{summary.id:>4}  {summary.name}  {summary.done:,} of {summary.total:,} called, "
                f"{summary.left:,} left{archived}"
            )
    return 0


def _import_list(args: argparse.Namespace) -> int:
    from pathlib import Path

    from a1dialer.core.call_lists import CallListStore
    from a1dialer.core.calllog import CallLog
    from a1dialer.core.csv_columns import guess_columns
    from a1dialer.core.csv_import import convert, read_table

    settings = load_settings()
    path = Path(args.file)
    table = read_table(path)
    mapping = guess_columns(table.headers)
    if mapping.phone is None:
        raise BadInput(
            f"{path.name} has no column named Phone, Mobile or Number; name the column of "
            "numbers and import again."
        )
    if table.warning:
        print(f"a1dialer: {table.warning}", file=sys.stderr)
    result = convert(
        table,
        mapping,
        settings.default_country,
        settings.number_format,
        extension_digits=settings.extension_digits,
    )
    try:
        imported = len(result.entries)
        if not imported:
            print_rejected(result.rejected, result.rejected_count)
            raise BadInput(f"No number in {path.name} could be used; no list was made.")
        with CallLog() as call_log:
            list_id = CallListStore(call_log).create_list(
                args.name or path.stem.replace("_", " "), result.entries
            )
    finally:
        result.entries.close()
    count = result.rejected_count
    if args.json:
        print(
            json.dumps(
                {
                    "ok": True,
                    "id": list_id,
                    "imported": imported,
                    "rejected": [
                        {"line": row.line, "text": row.text, "reason": row.reason}
                        for row in result.rejected
                    ],
                    "rejected_count": count,
                },
                ensure_ascii=False,
            )
        )
    else:
        print_rejected(result.rejected, count)
        print(
            f"Imported {imported:,} number{'s' if imported != 1 else ''} as list {list_id}"
            + (f"; {count:,} row(s) could not be used." if count else ".")
        )
    return 0
