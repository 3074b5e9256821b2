"""Command line: ``a1dialer`` (the window) and the scriptable commands, with DESIGN.md's exit codes.

The command-line paths import no Qt; heavy modules are imported inside the command that needs them
so ``a1dialer dial`` starts fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from a1dialer import APP_NAME, __version__
from a1dialer.core.errors import BadInput, DialerError, LocalProblem

if TYPE_CHECKING:
    import argparse

    from a1dialer.core.calllog import CallRecord
    from a1dialer.core.settings import Settings

URI_SCHEMES = ("tel:", "callto:", "sip:", "sips:")
# The call states of the call log (core.calllog.CALL_STATES, not imported for the window's launch).
CALL_STATES = ("pending", "placed", "failed", "unknown")
EXIT_CODES_HELP = """exit codes:
  0  ok
  2  bad input or usage (bad number, bad setting, a number on the do-not-call list)
  3  the PBX rejected the API key
  4  the PBX refused the call or request (busy, no recording yet, unexpected reply)
  5  network failure or timeout; also a call whose outcome is unknown (the PBX may be
     calling: check your phone before calling again; it is never retried)
  6  local problem (no keyring, not configured, a call log that cannot be written)
  130  stopped with Ctrl+C (during a call: its outcome is unknown, as for 5)
"""


def _fail(error: DialerError, *, as_json: bool = False, exit_code: int | None = None) -> int:
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


# Arguments that name a file to open or write now keep the bytes the shell gave (the OS opens
# them as they are); every other argument is text and is decoded or refused.
_FILE_ARGUMENTS = ("file", "output")


def _text_argument(value: str) -> str:
    """An argument as text: bytes that are not UTF-8 (Python keeps them as lone surrogates) are
    read as Windows-1252, the usual other encoding; ``BadInput`` if that fails too."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    raw = value.encode("utf-8", errors="surrogateescape")
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        from a1dialer.core.plain_text import plain_text

        shown = plain_text(raw.decode("utf-8", errors="replace"))
        raise BadInput(
            f"The argument '{shown}' is not UTF-8 text: type it again in a UTF-8 terminal."
        ) from None


def _decode_arguments(args: argparse.Namespace) -> None:
    """Decode every text argument in place (``_text_argument``); file names are kept."""
    for name, value in vars(args).items():
        if not isinstance(value, str):
            continue
        if name == "ca_bundle" and value != _text_argument(value):
            # Stored in settings.toml (UTF-8): the bytes of its name cannot be kept there.
            raise BadInput(
                "The --ca-bundle file's name is not UTF-8 text: rename the file (or copy it "
                "to a plain name) and give that."
            )
        if name not in _FILE_ARGUMENTS:
            setattr(args, name, _text_argument(value))


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    # Imported here: a plain window launch never parses, and argparse would delay its first paint.
    import argparse

    class _Parser(argparse.ArgumentParser):
        """argparse that reports usage errors as one line with exit code 2."""

        def error(self, message: str) -> Any:
            sentence = f"{message[0].upper()}{message[1:]}: see '{self.prog} --help'."
            raise SystemExit(_fail(BadInput(sentence)))

    parser = _Parser(
        prog="a1dialer",
        description=f"{APP_NAME}: click-to-call for A1PBX. Without a command, opens the window.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--minimized", action="store_true", help="start hidden in the tray")
    parser.add_argument(
        "--dial-selection",
        action="store_true",
        help="offer the number selected or copied in any app, as the global hotkey does (for a "
        "desktop keyboard shortcut where global hotkeys are unavailable, e.g. Wayland)",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="check the installed app (window, Qt Multimedia, keyring, TLS, a simulated call)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser("demo", help="the window wired to the bundled simulator")
    demo.add_argument(
        "--headless",
        action="store_true",
        help="no window: run a scripted demo call and print each step",
    )

    dial = commands.add_parser("dial", help="place one call; prints its call id")
    dial.add_argument("number", help="the number to call, in any format, or a tel: link")
    dial.add_argument("--name", default="", help="the contact's name, shown on your phone")
    dial.add_argument(
        "--country",
        default="",
        metavar="CC",
        help="the country of a number typed without + or 00 for this call, e.g. GB "
        "(default: the default_country setting)",
    )
    dial.add_argument("--ringback", help="ringback tone, e.g. us-ring, uk-ring")
    dial.add_argument(
        "--auto-answer",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="your phone answers by itself (default: from settings)",
    )
    dial.add_argument(
        "--record",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="record the call (default: from settings)",
    )
    dial.add_argument("--json", action="store_true", help="print a JSON object")

    recording = commands.add_parser("recording", help="download a call's recording")
    recording.add_argument("uuid", help="the call id")
    recording.add_argument("-o", "--output", help="file or folder to save to (default: here)")
    recording.add_argument("--json", action="store_true", help="print a JSON object")

    history = commands.add_parser("history", help="show the call log, newest first")
    history.add_argument(
        "--search",
        default="",
        help="digits (any formatting), a name, words of outcome/note, or an extension (ext. 55)",
    )
    history.add_argument(
        "--limit", type=int, help="at most this many calls (default 20; with --csv, all)"
    )
    states = history.add_mutually_exclusive_group()
    states.add_argument(
        "--status",
        choices=CALL_STATES,
        help="only calls in this state: placed (the PBX accepted it), failed (it did not), "
        "unknown (the PBX may have called: no definite answer came), pending (in flight)",
    )
    states.add_argument(
        "--failed",
        action="store_const",
        const="failed",
        dest="status",
        help="only failed calls (same as --status failed; unknown calls are not failures)",
    )
    history.add_argument(
        "--recorded",
        action="store_true",
        help="only recorded calls (the PBX accepted them with recording on)",
    )
    history.add_argument("--json", action="store_true", help="print JSON lines")
    history.add_argument(
        "--csv", action="store_true", help="print the CSV file the window's Export... saves"
    )

    dnc = commands.add_parser("dnc", help="the do-not-call list: numbers never dialled")
    dnc_actions = dnc.add_subparsers(
        dest="dnc_action", metavar="ACTION", required=True, parser_class=_Parser
    )
    dnc_add = dnc_actions.add_parser("add", help="block a number")
    dnc_add.add_argument("number", help="the number, in any format")
    dnc_add.add_argument("--reason", default="", help="why, e.g. 'asked not to be called'")
    dnc_remove = dnc_actions.add_parser("remove", help="unblock a number")
    dnc_remove.add_argument("number", help="the number, in any format")
    dnc_list = dnc_actions.add_parser("list", help="show the blocked numbers, newest first")
    dnc_list.add_argument("--json", action="store_true", help="print JSON lines")
    dnc_import = dnc_actions.add_parser(
        "import", help="block every number of a CSV file (its phone column) or a text file"
    )
    dnc_import.add_argument("file", help="CSV file, or one number per line")
    dnc_import.add_argument("--reason", default="", help="the reason stored with each number")

    lists = commands.add_parser("lists", help="the call lists and their progress")
    lists.add_argument("--json", action="store_true", help="print JSON lines")
    list_actions = lists.add_subparsers(dest="lists_action", metavar="ACTION", parser_class=_Parser)
    list_import = list_actions.add_parser("import", help="import a CSV file as a new call list")
    list_import.add_argument("file", help="CSV file (Excel, Google Sheets, one number per line)")
    list_import.add_argument("--name", default="", help="the list's name (default: the file's)")
    list_import.add_argument("--json", action="store_true", help="print a JSON object")

    configure = commands.add_parser("configure", help="non-interactive setup")
    configure.add_argument("--server", help="PBX domain or base URL")
    configure.add_argument("--extension", help="your extension, e.g. 1007")
    configure.add_argument("--caller-id-number", help="the company number customers see")
    configure.add_argument("--caller-id-name", help="the company name customers see")
    configure.add_argument("--country", help="default country, e.g. US, GB")
    configure.add_argument("--number-format", choices=("e164", "plus-e164", "national"))
    configure.add_argument("--ringback", help="default ringback tone")
    configure.add_argument("--ca-bundle", help="PEM file of a private certificate authority")
    configure.add_argument(
        "--api-key-stdin",
        action="store_true",
        help="read the API key from standard input into the OS keyring",
    )
    configure.add_argument("--show", action="store_true", help="print the settings in effect")

    commands.add_parser(
        "register-handlers", help="make A1 Dialer open tel:, callto: and sip: links"
    )
    commands.add_parser("unregister-handlers", help="stop opening tel:, callto: and sip: links")

    simulator = commands.add_parser("simulator", help="run the stand-in A1PBX on loopback")
    if "simulator" in argv:  # its options live with the simulator, which the window need not load
        from a1dialer.pbx.sim_cli import add_arguments

        add_arguments(simulator)
    return parser


def _load_settings() -> Settings:
    from a1dialer.core.settings import load_settings

    return load_settings()


def _cmd_dial(args: argparse.Namespace) -> int:
    import uuid as uuidlib

    from a1dialer.core.call_options import CallOptions
    from a1dialer.core.calllog import CallLog
    from a1dialer.core.errors import Cancelled, OutcomeUnknown
    from a1dialer.pbx.connect import client_for
    from a1dialer.pbx.placing import place_call, require_configured, target_for

    settings = _load_settings()
    if args.ringback:
        settings = settings.validated(ringback=args.ringback)
    target = target_for(args.number, settings, _call_country(args.country))
    require_configured(settings)
    options = CallOptions(
        contact_name=args.name,
        ringback=settings.ringback,
        auto_answer=settings.auto_answer if args.auto_answer is None else args.auto_answer,
        record=settings.record if args.record is None else args.record,
    )
    client = client_for(settings)
    # Named here, so whatever happens to the call the rep gets its id.
    call_id = str(uuidlib.uuid4())
    with client, CallLog() as call_log:
        try:
            placed = place_call(client, settings, call_log, target, options, call_id=call_id)
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
            return _fail(
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


def _cmd_recording(args: argparse.Namespace) -> int:
    from pathlib import Path

    from a1dialer.core.call_ids import checked_call_id
    from a1dialer.pbx.connect import client_for
    from a1dialer.pbx.placing import require_configured

    uuid = checked_call_id(args.uuid)  # it names the saved file: never a path
    settings = _load_settings()
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


def _cmd_history(args: argparse.Namespace) -> int:
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


def _cmd_dnc(args: argparse.Namespace) -> int:
    from pathlib import Path

    from a1dialer.core.calllog import CallLog
    from a1dialer.core.do_not_call import DoNotCallList, added_on
    from a1dialer.pbx.placing import target_for

    settings = _load_settings()
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
            _print_rejected(rejected, count)
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


def _print_rejected(rejected: Sequence[Any], count: int) -> None:
    """The rows of an import that could not be used, on stderr: line, text, why."""
    for row in rejected:
        text = f"{row.text}: " if row.text else ""
        print(f"line {row.line}: {text}{row.reason}", file=sys.stderr)
    if count > len(rejected):
        print(
            f"... and {count - len(rejected):,} more rows that could not be used", file=sys.stderr
        )


def _cmd_lists(args: argparse.Namespace) -> int:
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
    from a1dialer.core.csv_import import convert, guess_columns, read_table

    settings = _load_settings()
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
            _print_rejected(result.rejected, result.rejected_count)
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
        _print_rejected(result.rejected, count)
        print(
            f"Imported {imported:,} number{'s' if imported != 1 else ''} as list {list_id}"
            + (f"; {count:,} row(s) could not be used." if count else ".")
        )
    return 0


def _cmd_configure(args: argparse.Namespace) -> int:
    from a1dialer.core.secrets import key_source, set_api_key
    from a1dialer.core.server_address import parse_server
    from a1dialer.core.settings import save_settings

    settings = _load_settings()
    changes = {
        name: value
        for name, value in {
            "server": args.server,
            "extension": args.extension,
            "caller_id_number": args.caller_id_number,
            "caller_id_name": args.caller_id_name,
            "default_country": args.country,
            "number_format": args.number_format,
            "ringback": args.ringback,
            "ca_bundle": args.ca_bundle,
        }.items()
        if value is not None
    }
    settings = settings.validated(**changes)
    if args.api_key_stdin:
        if not settings.server:
            raise BadInput("Give --server before storing an API key: the key is kept per server.")
        try:
            key = sys.stdin.readline().strip()
        except UnicodeDecodeError:
            raise BadInput("The API key on standard input is not UTF-8 text.") from None
        if not key:
            raise BadInput("No API key was given on standard input.")
        set_api_key(parse_server(settings.server).host, key)
    if changes:
        path = save_settings(settings)
        print(f"Saved settings to {path}")
    if args.api_key_stdin:
        print(f"Stored the API key in {key_source()}.")
    if args.show or not (changes or args.api_key_stdin):
        for name, value in settings.as_dict().items():
            print(f"{name} = {value!r}")
    return 0


def _cmd_register_handlers(args: argparse.Namespace) -> int:
    from a1dialer.desktop.link_handlers import app_command, register_handlers

    for step in register_handlers(app_command()):
        print(step)
    return 0


def _cmd_unregister_handlers(args: argparse.Namespace) -> int:
    from a1dialer.desktop.link_handlers import unregister_handlers

    for step in unregister_handlers():
        print(step)
    return 0


def _cmd_simulator(args: argparse.Namespace) -> int:
    from a1dialer.pbx.sim_cli import run

    return run(args)


def _launch_window(
    *, minimized: bool, uris: Sequence[str] = (), dial_selection: bool = False, demo: bool = False
) -> int:
    """Open the window, or hand this launch's links to the app already running and exit.

    The hand-over runs before logging and Qt are loaded (a plain socket where the OS allows), so
    a clicked link's second launch exits quickly. ``--dial-selection`` travels as a link does.
    """
    links = [*uris, "--dial-selection"] if dial_selection else list(uris)
    if not demo:  # the demo runs in a throw-away profile beside a real instance
        from a1dialer.desktop.forwarding import forward

        if forward(links):
            return 0
    from a1dialer.app import run_gui
    from a1dialer.core.logs import hold_logging_until_setup

    hold_logging_until_setup()  # the window opens the log file once it has painted
    return run_gui(minimized=minimized, demo=demo, uris=links)


def _cmd_demo(args: argparse.Namespace) -> int:
    if args.headless:
        from a1dialer.demo import run_headless_demo

        return run_headless_demo()
    return _launch_window(minimized=args.minimized, demo=True)


COMMANDS = {
    "dial": _cmd_dial,
    "recording": _cmd_recording,
    "history": _cmd_history,
    "lists": _cmd_lists,
    "dnc": _cmd_dnc,
    "configure": _cmd_configure,
    "simulator": _cmd_simulator,
    "register-handlers": _cmd_register_handlers,
    "unregister-handlers": _cmd_unregister_handlers,
    "demo": _cmd_demo,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--smoke-test" in argv:  # the packaged app's self-check, run by CI on the fresh build
        from a1dialer.smoke_test import run_smoke_test

        return run_smoke_test()
    # A bare link (``a1dialer tel:+1...``, as the OS passes it) opens the window; after a command
    # such as ``dial`` a link is that command's argument.
    has_command = any(arg in COMMANDS for arg in argv)
    uris = [] if has_command else [arg for arg in argv if arg.lower().startswith(URI_SCHEMES)]
    rest = [arg for arg in argv if arg not in uris]
    args: argparse.Namespace | None = None
    # A file name that is not UTF-8 is printed as the bytes it is (``recording -o``).
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="surrogateescape")
    try:
        uris = [_text_argument(uri) for uri in uris]
        if set(rest) <= {"--minimized"}:
            # How the desktop, the autostart entry and clicked links start the window: the full
            # parser (every command's options) would only delay the first paint.
            return _launch_window(minimized=bool(rest), uris=uris)
        args = build_parser(argv).parse_args(rest)
        _decode_arguments(args)
        if args.command is None:
            return _launch_window(
                minimized=args.minimized, uris=uris, dial_selection=args.dial_selection
            )
        if args.command != "simulator":
            from a1dialer.core.logs import setup_logging

            setup_logging()
        return COMMANDS[args.command](args)
    except DialerError as error:
        return _fail(error, as_json=getattr(args, "json", False))
    except OSError as error:  # a file of the profile (settings, folders) that cannot be written
        where = error.filename or "a file of the profile"
        problem = LocalProblem(
            f"{where} could not be read or written ({error.strerror or error}); check that the "
            "folder exists, that you may write to it and that the disk is not full.",
            f"{type(error).__name__}: {error}",
        )
        return _fail(problem, as_json=getattr(args, "json", False))
    except KeyboardInterrupt:
        return 130
