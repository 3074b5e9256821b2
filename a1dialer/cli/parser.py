"""The command line's options, and its arguments decoded as text (file names kept as given)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from a1dialer import APP_NAME, __version__
from a1dialer.cli.failure import fail
from a1dialer.core.errors import BadInput
from a1dialer.core.translation import N_, _

if TYPE_CHECKING:
    import argparse


# The call states of the call log (core.calllog.CALL_STATES, not imported to parse).
CALL_STATES = ("pending", "placed", "failed", "unknown")
# Translators: keep each code at the start of its line and the lines' indentation.
EXIT_CODES_HELP = N_("""exit codes:
  0  ok
  2  bad input or usage (bad number, bad setting, a number on the do-not-call list)
  3  the PBX rejected the API key
  4  the PBX refused the call or request (busy, no recording yet, unexpected reply)
  5  network failure or timeout; also a call whose outcome is unknown (the PBX may be
     calling: check your phone before calling again; it is never retried)
  6  local problem (no keyring, not configured, a call log that cannot be written)
  130  stopped with Ctrl+C (during a call: its outcome is unknown, as for 5)
""")


# Arguments that name a file to open or write now keep the bytes the shell gave (the OS opens
# them as they are); every other argument is text and is decoded or refused.
_FILE_ARGUMENTS = ("file", "output")


def text_argument(value: str) -> str:
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
            _(
                "The argument '{argument}' is not UTF-8 text: type it again in a UTF-8 terminal."
            ).format(argument=shown)
        ) from None


def decode_arguments(args: argparse.Namespace) -> None:
    """Decode every text argument in place (``_text_argument``); file names are kept."""
    for name, value in vars(args).items():
        if not isinstance(value, str):
            continue
        if name == "ca_bundle" and value != text_argument(value):
            # Stored in settings.toml (UTF-8): the bytes of its name cannot be kept there.
            raise BadInput(
                _(
                    "The --ca-bundle file's name is not UTF-8 text: rename the file (or copy it "
                    "to a plain name) and give that."
                )
            )
        if name not in _FILE_ARGUMENTS:
            setattr(args, name, text_argument(value))


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    # Imported here: a plain window launch never parses, and argparse would delay its first paint.
    import argparse

    class _Parser(argparse.ArgumentParser):
        """argparse that reports usage errors as one line with exit code 2."""

        def error(self, message: str) -> Any:
            # Translators: {problem} is argparse's own description of the mistake (in argparse's
            # language), {prog} the command, e.g. "a1dialer dial".
            sentence = _("{problem}: see '{prog} --help'.").format(
                problem=f"{message[0].upper()}{message[1:]}", prog=self.prog
            )
            raise SystemExit(fail(BadInput(sentence)))

    parser = _Parser(
        prog="a1dialer",
        description=_(
            "{app}: click-to-call for A1PBX. Without a command, opens the window."
        ).format(app=APP_NAME),
        epilog=_(EXIT_CODES_HELP),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--minimized", action="store_true", help=_("start hidden in the tray"))
    parser.add_argument(
        "--dial-selection",
        action="store_true",
        help=_(
            "offer the number selected or copied in any app, as the global hotkey does (for a "
            "desktop keyboard shortcut where global hotkeys are unavailable, e.g. Wayland)"
        ),
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help=_("check the installed app (window, Qt Multimedia, keyring, TLS, a simulated call)"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser("demo", help=_("the window wired to the bundled simulator"))
    demo.add_argument(
        "--headless",
        action="store_true",
        help=_("no window: run a scripted demo call and print each step"),
    )

    dial = commands.add_parser("dial", help=_("place one call; prints its call id"))
    dial.add_argument("number", help=_("the number to call, in any format, or a tel: link"))
    dial.add_argument("--name", default="", help=_("the contact's name, shown on your phone"))
    dial.add_argument(
        "--country",
        default="",
        metavar="CC",
        help=_(
            "the country of a number typed without + or 00 for this call, e.g. GB "
            "(default: the default_country setting)"
        ),
    )
    dial.add_argument("--ringback", help=_("ringback tone, e.g. us-ring, uk-ring"))
    dial.add_argument(
        "--caller-id",
        default="",
        metavar="NUMBER",
        help=_(
            "the caller ID the customer sees for this call, in any format: the default or one "
            "of the caller_ids setting (default: by local presence, else the default)"
        ),
    )
    dial.add_argument(
        "--ring-me-at",
        default="",
        metavar="NUMBER",
        help=_(
            "the phone that rings first: your extension or one of the my_numbers setting "
            "(an outside number only where the admin allows it; default: the ring_me_at setting)"
        ),
    )
    dial.add_argument(
        "--auto-answer",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=_("your phone answers by itself (default: from settings)"),
    )
    dial.add_argument(
        "--record",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=_("record the call (default: from settings)"),
    )
    dial.add_argument("--json", action="store_true", help=_("print a JSON object"))

    recording = commands.add_parser("recording", help=_("download a call's recording"))
    recording.add_argument("uuid", help=_("the call id"))
    recording.add_argument("-o", "--output", help=_("file or folder to save to (default: here)"))
    recording.add_argument("--json", action="store_true", help=_("print a JSON object"))

    history = commands.add_parser("history", help=_("show the call log, newest first"))
    history.add_argument(
        "--search",
        default="",
        help=_("digits (any formatting), a name, words of outcome/note, or an extension (ext. 55)"),
    )
    history.add_argument(
        "--limit", type=int, help=_("at most this many calls (default 20; with --csv, all)")
    )
    states = history.add_mutually_exclusive_group()
    states.add_argument(
        "--status",
        choices=CALL_STATES,
        help=_(
            "only calls in this state: placed (the PBX accepted it), failed (it did not), "
            "unknown (the PBX may have called: no definite answer came), pending (in flight)"
        ),
    )
    states.add_argument(
        "--failed",
        action="store_const",
        const="failed",
        dest="status",
        help=_("only failed calls (same as --status failed; unknown calls are not failures)"),
    )
    history.add_argument(
        "--recorded",
        action="store_true",
        help=_("only recorded calls (the PBX accepted them with recording on)"),
    )
    history.add_argument("--json", action="store_true", help=_("print JSON lines"))
    history.add_argument(
        "--csv", action="store_true", help=_("print the CSV file the window's Export... saves")
    )

    dnc = commands.add_parser("dnc", help=_("the do-not-call list: numbers never dialled"))
    dnc_actions = dnc.add_subparsers(
        dest="dnc_action", metavar="ACTION", required=True, parser_class=_Parser
    )
    dnc_add = dnc_actions.add_parser("add", help=_("block a number"))
    dnc_add.add_argument("number", help=_("the number, in any format"))
    dnc_add.add_argument("--reason", default="", help=_("why, e.g. 'asked not to be called'"))
    dnc_remove = dnc_actions.add_parser("remove", help=_("unblock a number"))
    dnc_remove.add_argument("number", help=_("the number, in any format"))
    dnc_list = dnc_actions.add_parser("list", help=_("show the blocked numbers, newest first"))
    dnc_list.add_argument("--json", action="store_true", help=_("print JSON lines"))
    dnc_import = dnc_actions.add_parser(
        "import", help=_("block every number of a CSV file (its phone column) or a text file")
    )
    dnc_import.add_argument("file", help=_("CSV file, or one number per line"))
    dnc_import.add_argument("--reason", default="", help=_("the reason stored with each number"))

    lists = commands.add_parser("lists", help=_("the call lists and their progress"))
    lists.add_argument(
        "--json",
        action="store_true",
        help=_(
            "print one JSON object per list and line: id, name, created_at, archived, total, "
            "done, skipped, left"
        ),
    )
    list_actions = lists.add_subparsers(dest="lists_action", metavar="ACTION", parser_class=_Parser)
    list_import = list_actions.add_parser(
        "import", help=_("import a CSV file or Excel workbook (.xlsx) as a new call list")
    )
    list_import.add_argument(
        "file", help=_("CSV file (Excel, Google Sheets, one number per line) or .xlsx workbook")
    )
    list_import.add_argument("--name", default="", help=_("the list's name (default: the file's)"))
    list_import.add_argument(
        "--sheet", metavar="NAME", help=_("the workbook's sheet to read (default: its first)")
    )
    list_import.add_argument(
        "--json",
        action="store_true",
        help=_(
            "print one JSON object: list_id, name, imported, do_not_call, rejected "
            "([{line, reason}]), rejected_count"
        ),
    )

    configure = commands.add_parser("configure", help=_("non-interactive setup"))
    configure.add_argument("--server", help=_("PBX domain or base URL"))
    configure.add_argument("--extension", help=_("your extension, e.g. 1007"))
    configure.add_argument("--caller-id-number", help=_("the company number customers see"))
    configure.add_argument("--caller-id-name", help=_("the company name customers see"))
    configure.add_argument("--country", help=_("default country, e.g. US, GB"))
    configure.add_argument("--number-format", choices=("e164", "plus-e164", "national"))
    configure.add_argument("--ringback", help=_("default ringback tone"))
    configure.add_argument("--ca-bundle", help=_("PEM file of a private certificate authority"))
    configure.add_argument(
        "--api-key-stdin",
        action="store_true",
        help=_("read the API key from standard input into the OS keyring"),
    )
    configure.add_argument("--show", action="store_true", help=_("print the settings in effect"))

    commands.add_parser(
        "register-handlers", help=_("make A1 Dialer open tel:, callto: and sip: links")
    )
    commands.add_parser("unregister-handlers", help=_("stop opening tel:, callto: and sip: links"))

    simulator = commands.add_parser("simulator", help=_("run the stand-in A1PBX on loopback"))
    if "simulator" in argv:  # its options live with the simulator, which the window need not load
        from a1dialer.pbx.sim_cli import add_arguments

        add_arguments(simulator)
    return parser
