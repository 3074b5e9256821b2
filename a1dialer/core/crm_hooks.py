"""CRM hooks: open a URL or run a command when a call is placed or an outcome is saved.

Templates hold placeholders such as ``{number}`` and ``{note}``. What a rep typed can never change
what is run: in a URL every value is percent-encoded (``&``, ``#``, ``/`` and spaces included), and
the scheme and host must be written out; a command is split into arguments with shlex first and
each value is put inside one argument (never through a shell), and the program itself must be
written out. A hook that fails is logged and reported as one sentence; it never stops a call.

The command and the browser get this app's environment without the API key: no
``A1DIALER_API_KEY``, nor any variable holding the key (a CRM script, or a browser extension,
has no business with it).
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, urlsplit

from a1dialer.core.redaction import redact, register_secret
from a1dialer.core.secrets import KEY_ENV
from a1dialer.core.translation import _

if TYPE_CHECKING:
    from a1dialer.core.calllog import CallRecord
    from a1dialer.core.settings import Settings

log = logging.getLogger(__name__)

HookEvent = Literal["call_placed", "outcome_saved"]
PLACEHOLDERS = ("number", "display", "name", "uuid", "outcome", "note", "extension")
# event -> (URL option, command option)
HOOK_OPTIONS: dict[str, tuple[str, str]] = {
    "call_placed": ("hook_call_placed_url", "hook_call_placed_command"),
    "outcome_saved": ("hook_outcome_url", "hook_outcome_command"),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_KNOWN = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
# Started commands, kept so each is reaped once it exits (no zombies, no ResourceWarning).
_started: list[subprocess.Popen[bytes]] = []
_started_lock = threading.Lock()


def hook_values_for(record: CallRecord, settings: Settings) -> dict[str, str]:
    """The placeholder values for a logged call (with its outcome and note, once saved).

    ``{number}`` is the international number with "+" (an extension as dialled), ``{display}``
    as the rep saw it, ``{extension}`` the rep's own extension.
    """
    from a1dialer.core.numbers import digits_only

    shown = record.display_number
    number = f"+{digits_only(shown)}" if shown.startswith("+") else record.number
    return {
        "number": number,
        "display": shown,
        "name": record.name,
        "uuid": record.uuid,
        "outcome": record.outcome,
        "note": record.note,
        "extension": settings.extension,
    }


def _substitute(text: str, values: Mapping[str, str], encode: Callable[[str], str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            raise ValueError(f"unknown placeholder {{{name}}}")
        return encode(values.get(name, ""))

    return _PLACEHOLDER.sub(value, text)


def _unknown_placeholder(template: str, label: str) -> str | None:
    for name in _PLACEHOLDER.findall(template):
        if name not in PLACEHOLDERS:
            # Translators: {label} names the setting; {placeholder} and {known} are keywords
            # such as {number} to keep as they are.
            return _(
                "{label} uses the unknown placeholder {placeholder}; the known ones are {known}."
            ).format(label=label, placeholder="{" + name + "}", known=_KNOWN)
    return None


def expand_url(template: str, values: Mapping[str, str]) -> str:
    """The template with each placeholder replaced by its percent-encoded value."""
    return _substitute(template, values, lambda value: quote(value, safe=""))


def expand_command(template: str, values: Mapping[str, str]) -> list[str]:
    """The template split into arguments (shlex), then each placeholder replaced by its value
    inside its argument: a note with spaces or quotes stays one argument."""
    return [_substitute(arg, values, lambda value: value) for arg in shlex.split(template)]


def check_url_template(value: Any, label: str) -> str | None:
    """Why ``value`` is not a usable URL template, one sentence naming the setting by ``label``,
    or ``None`` (also for "": no hook)."""
    if value == "":
        return None
    text = str(value)
    problem = _unknown_placeholder(text, label)
    if problem:
        return problem
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        problem = _(
            "{label} must start with https:// or http:// and a host, e.g. https://crm.example.com/."
        )
    elif "{" in parts.scheme + parts.netloc:
        problem = _(
            "{label} must name its host itself; placeholders belong in the path or after the ?."
        )
    elif any(ch.isspace() for ch in text):
        problem = _(
            "{label} must not contain spaces; placeholders are encoded when the link is opened."
        )
    return problem.format(label=label) if problem else None


def check_command_template(value: Any, label: str) -> str | None:
    """Why ``value`` is not a usable command template, one sentence naming the setting by
    ``label``, or ``None`` (also for "": no hook)."""
    if value == "":
        return None
    text = str(value)
    problem = _unknown_placeholder(text, label)
    if problem:
        return problem
    try:
        args = shlex.split(text)
    except ValueError:
        return _("{label} has a quote that is not closed.").format(label=label)
    if not args or not args[0].strip():
        problem = _("{label} must start with the program to run.")
    elif "{" in args[0]:
        problem = _("{label} must name its program itself; placeholders belong in the arguments.")
    return problem.format(label=label) if problem else None


def _detached() -> dict[str, Any]:
    """Popen arguments that let the command outlive the app and never touch its console."""
    if sys.platform == "win32":
        flags = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
        return {"creationflags": flags}
    else:
        return {"start_new_session": True}


def hook_environment() -> dict[str, str]:
    """This app's environment without ``A1DIALER_API_KEY`` or any variable holding the key."""
    key = os.environ.get(KEY_ENV, "").strip()
    if key:
        register_secret(key)  # a hook may run before anything has read the key
    return {
        name: value
        for name, value in os.environ.items()
        if name != KEY_ENV
        and (not key or value.strip() != key)
        # The key wherever it stands (also one read from the keyring), or a "key=" in a URL.
        and redact(value) == value
    }


def _start(args: list[str]) -> None:
    with _started_lock:
        _started[:] = [process for process in _started if process.poll() is None]
        _started.append(
            subprocess.Popen(  # an argument list, never a shell
                args,
                shell=False,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                close_fds=True,
                env=hook_environment(),
                **_detached(),
            )
        )


def _browser_command(url: str) -> list[str] | None:
    """How to open ``url`` in the rep's browser as a program we start (so we choose its
    environment); ``None`` if this system has no known way.

    Linux and BSD honour ``$BROWSER`` as Python's webbrowser does, then xdg-open. macOS's
    ``open`` and Windows' ``rundll32`` hand the link to the desktop, which starts the browser
    from this (cleaned) environment if it is not running.
    """
    if sys.platform == "darwin":
        return ["open", url]
    elif sys.platform == "win32":
        return ["rundll32", "url.dll,FileProtocolHandler", url]
    else:
        return _unix_browser_command(url)


def _unix_browser_command(url: str) -> list[str] | None:
    """``_browser_command`` on Linux and BSD: ``$BROWSER``, then xdg-open."""
    for entry in os.environ.get("BROWSER", "").split(os.pathsep):
        try:
            command = shlex.split(entry)
        except ValueError:
            continue
        if command and shutil.which(command[0]):
            if any("%s" in arg for arg in command):
                return [arg.replace("%s", url) for arg in command]
            return [*command, url]
    opener = shutil.which("xdg-open")
    return [opener, url] if opener else None


def open_in_browser(url: str) -> bool:
    """Open ``url`` in the rep's browser, started without the API key; False if none could be."""
    command = _browser_command(url)
    if command is None:
        return False
    _start(command)
    return True


def run_hooks(
    event: HookEvent | str,
    settings: Settings,
    values: Mapping[str, str],
    open_url: Callable[[str], bool] = open_in_browser,
) -> list[str]:
    """Open the event's URL and start its command, if configured; do not wait for either.

    Returns one sentence per hook that failed (empty when all went well); never raises for a
    failed hook.
    """
    url_option, command_option = HOOK_OPTIONS[event]
    errors: list[str] = []
    url_template: str = getattr(settings, url_option)
    command_template: str = getattr(settings, command_option)
    if url_template:
        try:
            if not open_url(expand_url(url_template, values)):
                errors.append(
                    _("No web browser could open the CRM link; check the default browser.")
                )
        except FileNotFoundError:
            errors.append(_("No web browser could open the CRM link; check the default browser."))
        except (ValueError, OSError) as exc:
            # Translators: {problem} is the operating system's reason.
            errors.append(
                _("The CRM link could not be opened: {problem}.").format(problem=redact(str(exc)))
            )
    if command_template:
        try:
            args = expand_command(command_template, values)
            _start(args)
        except FileNotFoundError:
            program = shlex.split(command_template)[0]
            errors.append(
                _("The CRM command {program} was not found; check Settings.").format(
                    program=program
                )
            )
        except (OSError, ValueError) as exc:
            errors.append(
                _("The CRM command could not be started: {problem}.").format(
                    problem=redact(str(exc))
                )
            )
    for error in errors:
        # The sentence names the template's program or the failure, never the values (a note).
        log.warning("CRM hook on %s failed: %s", event, error)
    return errors
