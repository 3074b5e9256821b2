"""Command line: ``a1dialer`` (the window) and the scriptable commands, with DESIGN.md's exit codes.

The command-line paths import no Qt; each command's module (``calls``, ``call_lists``,
``do_not_call``, ``configure``, ``window``) is imported only when it runs, and heavy modules inside
the command that needs them, so ``a1dialer dial`` starts fast and a plain window launch parses
nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from a1dialer.cli.failure import fail
from a1dialer.cli.parser import build_parser, decode_arguments, text_argument
from a1dialer.cli.window import launch_window
from a1dialer.core.errors import DialerError, LocalProblem

if TYPE_CHECKING:
    import argparse

URI_SCHEMES = ("tel:", "callto:", "sip:", "sips:")


# Each command's module is imported when it runs: the window's launch loads none of them.
COMMANDS: dict[str, tuple[str, str]] = {
    "dial": ("a1dialer.cli.calls", "dial"),
    "recording": ("a1dialer.cli.calls", "recording"),
    "history": ("a1dialer.cli.calls", "history"),
    "lists": ("a1dialer.cli.call_lists", "lists"),
    "dnc": ("a1dialer.cli.do_not_call", "do_not_call"),
    "configure": ("a1dialer.cli.configure", "configure"),
    "simulator": ("a1dialer.pbx.sim_cli", "run"),
    "register-handlers": ("a1dialer.cli.configure", "register_handlers"),
    "unregister-handlers": ("a1dialer.cli.configure", "unregister_handlers"),
    "demo": ("a1dialer.cli.window", "demo"),
}


def _run(command: str, args: argparse.Namespace) -> int:
    import importlib

    module, name = COMMANDS[command]
    run: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), name)
    return run(args)


def _use_configured_language() -> None:
    """Human-readable output in the rep's language (``--json`` keys and exit codes stay)."""
    from a1dialer.core.settings import load_settings
    from a1dialer.core.translation import language_for, use_language

    try:
        setting = load_settings().language
    except DialerError:  # a broken settings file is reported by the command that needs it
        setting = "auto"
    use_language(language_for(setting))


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
        uris = [text_argument(uri) for uri in uris]
        if set(rest) <= {"--minimized"}:
            # How the desktop, the autostart entry and clicked links start the window: the full
            # parser (every command's options) would only delay the first paint.
            return launch_window(minimized=bool(rest), uris=uris)
        _use_configured_language()
        args = build_parser(argv).parse_args(rest)
        decode_arguments(args)
        if args.command is None:
            return launch_window(
                minimized=args.minimized, uris=uris, dial_selection=args.dial_selection
            )
        if args.command != "simulator":
            from a1dialer.core.logs import setup_logging

            setup_logging()
        return _run(args.command, args)
    except DialerError as error:
        return fail(error, as_json=getattr(args, "json", False))
    except OSError as error:  # a file of the profile (settings, folders) that cannot be written
        where = error.filename or "a file of the profile"
        problem = LocalProblem(
            f"{where} could not be read or written ({error.strerror or error}); check that the "
            "folder exists, that you may write to it and that the disk is not full.",
            f"{type(error).__name__}: {error}",
        )
        return fail(problem, as_json=getattr(args, "json", False))
    except KeyboardInterrupt:
        return 130
