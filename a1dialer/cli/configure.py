"""``a1dialer configure`` and the link-handler registration: setting up without the window."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from a1dialer.core.errors import BadInput
from a1dialer.core.settings import load_settings

if TYPE_CHECKING:
    import argparse

    from a1dialer.core.settings import Settings


def configure(args: argparse.Namespace) -> int:
    from a1dialer.core.secrets import key_source, set_api_key
    from a1dialer.core.server_address import parse_server
    from a1dialer.core.settings import save_settings

    settings = load_settings()
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
        show_settings(settings)
    return 0


def show_settings(settings: Settings) -> None:
    """One line per setting; a locked one or one that has the admin's default says so."""
    from a1dialer.core.translation import _

    for name, value in settings.as_dict().items():
        if settings.is_locked(name):
            mark = "  " + _("(locked)")
        elif settings.is_admin_default(name):
            mark = "  " + _("(admin default)")
        else:
            mark = ""
        print(f"{name} = {value!r}{mark}")


def register_handlers(args: argparse.Namespace) -> int:
    from a1dialer.desktop.link_handlers import app_command, register_handlers

    for step in register_handlers(app_command()):
        print(step)
    return 0


def unregister_handlers(args: argparse.Namespace) -> int:
    from a1dialer.desktop.link_handlers import unregister_handlers

    for step in unregister_handlers():
        print(step)
    return 0
