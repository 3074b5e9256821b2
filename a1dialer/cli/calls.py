"""``a1dialer dial``, ``recording`` and ``history``: calls from the command line."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from a1dialer.cli.failure import fail
from a1dialer.core.errors import BadInput, DialerError
from a1dialer.core.settings import load_settings

if TYPE_CHECKING:
    import argparse

    from a1dialer.core.calllog import CallRecord


def dial(args: argparse.Namespace) -> int:
    import uuid as uuidlib

    from a1dialer.core.call_options import CallOptions
    from a1dialer.core.caller_ids import (
        default_ring_choice,
        local_caller_id,
        pick_caller_id,
        ring_choice,
        ring_me_at_unavailable,
    )
    from a1dialer.core.calllog import CallLog
    from a1dialer.core.errors import Cancelled, OutcomeUnknown
    from a1dialer.pbx.connect import client_for
    from a1dialer.pbx.placing import place_call, require_configured, target_for

    # This call's choices over the defaults; one the admin locked is refused (exit 2).
    chosen = {
        "ringback": args.ringback or None,
        "auto_answer": args.auto_answer,
        "record": args.record,
    }
    settings = load_settings().validated(**{k: v for k, v in chosen.items() if v is not None})
    target = target_for(args.number, settings, _call_country(args.country))
    require_configured(settings)
    # Checked before anything is sent: only a configured caller ID, only an allowed phone.
    caller_id = (
        pick_caller_id(settings, args.caller_id)
        if args.caller_id
        else local_caller_id(settings, target)
    )
    if args.ring_me_at:
        ring = ring_choice(settings, args.ring_me_at)
    else:
        ring = default_ring_choice(settings)
        unavailable = ring_me_at_unavailable(settings)
        if unavailable:
            print(f"a1dialer: {unavailable}", file=sys.stderr)
    options = CallOptions.from_settings(settings, args.name)
    client = client_for(settings)
    # Named here, so whatever happens to the call the rep gets its id.
    call_id = str(uuidlib.uuid4())
    with client, CallLog() as call_log:
        try:
            placed = place_call(
                client,
                settings,
                call_log,
                target,
                options,
                call_id=call_id,
                caller_id=caller_id,
                ring=ring,
            )
        except OutcomeUnknown as unknown:
            return _say_unknown(args, call_id, unknown)
        except KeyboardInterrupt:
            try:
                stored = call_log.get(call_id)
                sent = stored is not None and stored.status != "failed"
            except DialerError:  # the log cannot say: the PBX may have the request
                sent = True
            if sent:
                return _say_unknown(args, call_id, None, exit_code=130)
            return fail(
                Cancelled("Stopped before the call was placed."), as_json=args.json, exit_code=130
            )
        try:
            record = call_log.get(placed.uuid)
        except DialerError:  # already said in log_problem; the call went through
            record = None
    if record is not None:  # the call is placed whatever a CRM hook does; failures are told
        from a1dialer.core.crm_hooks import hook_values_for, run_hooks

        for problem in run_hooks("call_placed", settings, hook_values_for(record, settings)):
            print(f"a1dialer: {problem}", file=sys.stderr)
    if placed.log_problem:  # the call went through: said, but not a failure
        print(f"a1dialer: {placed.log_problem}", file=sys.stderr)
    if args.json:
        reply = {
            "ok": True,
            "uuid": placed.uuid,
            "status": "placed",
            "number": target.dial,
            "display_number": target.display,
            "extension": target.extension_hint or "",
            "cid_number": caller_id.number,
            "cid_name": caller_id.name,
            "ring_me_at": ring.logged,
            "message": placed.message,
        }
        if placed.log_problem:
            reply["log_problem"] = placed.log_problem
        print(json.dumps(reply))
    else:
        print(placed.uuid)
    return 0


def _say_unknown(
    args: argparse.Namespace, call_id: str, error: DialerError | None, *, exit_code: int = 5
) -> int:
    """A call that may have reached the PBX: its id on stdout, what to do on stderr."""
    from a1dialer.core.calllog import UNKNOWN_SENTENCE

    details = f"{error.sentence} {error.details}".strip() if error is not None else ""
    if args.json:
        reply = {
            "ok": False,
            "error": "OutcomeUnknown",
            "status": "unknown",
            "uuid": call_id,
            "message": UNKNOWN_SENTENCE,
            "details": details,
            "exit_code": exit_code,
        }
        print(json.dumps(reply))
    else:
        print(call_id)
        print(f"a1dialer: {UNKNOWN_SENTENCE}", file=sys.stderr)
        if details:
            print(f"  details: {details}", file=sys.stderr)
    return exit_code


def _call_country(code: str) -> str:
    """``--country``, checked as the default_country setting is; "" when not given."""
    from a1dialer.core.settings import OPTIONS_BY_NAME

    code = code.strip().upper()
    problem = OPTIONS_BY_NAME["default_country"].check(code) if code else None
    if problem:
        raise BadInput(f"--country {problem}.")
    return code


def recording(args: argparse.Namespace) -> int:
    from pathlib import Path

    from a1dialer.core.call_ids import checked_call_id
    from a1dialer.pbx.connect import client_for
    from a1dialer.pbx.placing import require_configured

    uuid = checked_call_id(args.uuid)  # it names the saved file: never a path
    settings = load_settings()
    require_configured(settings)
    output = Path(args.output) if args.output else Path.cwd()
    if output.is_dir():
        output = output / f"{uuid}.wav"
    with client_for(settings) as client:
        saved = client.download_recording(uuid, output)
    if args.json:
        print(
            json.dumps(
                {"ok": True, "uuid": uuid, "path": str(saved), "bytes": saved.stat().st_size}
            )
        )
    else:
        print(saved)
    return 0


def _record_as_dict(record: CallRecord) -> dict[str, Any]:
    return {
        "uuid": record.uuid,
        "started_at": record.started_at.isoformat(),
        "finished_at": record.finished_at.isoformat() if record.finished_at else None,
        "number": record.number,
        "display_number": record.display_number,
        "extension": record.extension,
        "name": record.name,
        "status": record.status,
        "error": record.error,
        "ringback": record.ringback,
        "auto_answer": record.auto_answer,
        "record": record.record,
        "outcome": record.outcome,
        "note": record.note,
        "callback_at": record.callback_at.isoformat() if record.callback_at else None,
        "cid_number": record.cid_number,
        "cid_name": record.cid_name,
        "ring_me_at": record.ring_me_at,
    }


def _print_history_csv(args: argparse.Namespace) -> int:
    """``history --csv``: the bytes Export... would save (byte order mark, CRLF), to stdout."""
    import io

    from a1dialer.core.call_export import CSV_ENCODING, write_csv
    from a1dialer.core.calllog import CallLog

    if args.json:
        raise BadInput("Choose --json or --csv, not both.")
    sys.stdout.flush()
    out = io.TextIOWrapper(sys.stdout.buffer, encoding=CSV_ENCODING, newline="")
    try:
        with CallLog() as call_log:
            write_csv(call_log, out, args.search, args.status, args.recorded, args.limit)
    finally:
        out.flush()
        out.detach()
    return 0


def history(args: argparse.Namespace) -> int:
    from a1dialer.core.call_export import number_text, outcome_text
    from a1dialer.core.calllog import CallLog
    from a1dialer.core.plain_text import plain_text

    if args.limit is not None and args.limit < 1:
        raise BadInput("--limit must be at least 1.")
    if args.csv:
        return _print_history_csv(args)
    with CallLog() as call_log:
        records = call_log.search(
            args.search,
            limit=args.limit or 20,
            status=args.status,
            recorded_only=args.recorded,
        )
    for record in records:
        if args.json:
            print(json.dumps(_record_as_dict(record), ensure_ascii=False))
            continue
        when = record.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        # What a list, a link or the PBX put in a call must not drive the terminal (escapes,
        # forged lines, right-to-left overrides).
        outcome = plain_text(outcome_text(record))
        flags = " [rec]" if record.record else ""
        name = f" {plain_text(record.name)}" if record.name else ""
        said = f"  {plain_text(record.outcome)}" if record.outcome else ""
        if record.callback_at is not None:
            said += record.callback_at.astimezone().strftime(" %Y-%m-%d %H:%M")
        note = f"  “{' '.join(plain_text(record.note).split())}”" if record.note else ""
        print(
            f"{when}  {plain_text(number_text(record)):<18}{name}  {outcome}{flags}{said}"
            f"{note}  {plain_text(record.uuid)}"
        )
    return 0
