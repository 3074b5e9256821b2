"""Opening the window (or handing links to the one already open), and ``a1dialer demo``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def launch_window(
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


def demo(args: argparse.Namespace) -> int:
    if args.headless:
        from a1dialer.demo import run_headless_demo

        return run_headless_demo()
    return launch_window(minimized=args.minimized, demo=True)
