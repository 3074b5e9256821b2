"""Every user option, declared once with its type, default and check; stored as TOML.

Three layers, later wins: built-in defaults, the admin defaults file (read-only, for team rollout),
the rep's own ``settings.toml`` in the profile directory. A file with a bad value is never
overwritten or silently "fixed": loading fails with one sentence naming the file, option and reason.
The API key is not an option: it lives in the OS keyring (see ``secrets``).
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from a1dialer import APP_ID
from a1dialer.core import paths
from a1dialer.core.errors import BadInput, LocalProblem
from a1dialer.core.key_combinations import DEFAULT_SHORTCUT, pynput_hotkey

log = logging.getLogger(__name__)

DEFAULTS_ENV = "A1DIALER_DEFAULTS"

RINGBACK_TONES: dict[str, str] = {
    "us-ring": "United States",
    "uk-ring": "United Kingdom",
    "fr-ring": "France",
    "de-ring": "Germany",
    "it-ring": "Italy",
    "pt-ring": "Portugal",
    "ru-ring": "Russia",
    "rs-ring": "Serbia",
}
NUMBER_FORMATS: dict[str, str] = {
    "e164": "International digits (12085551234)",
    "plus-e164": "International with + (+12085551234)",
    "national": "National (2085551234)",
}
LINK_ACTIONS: dict[str, str] = {
    "ask": "Fill in the number; Enter calls it",
    "dial": "Call at once",
}
MAX_EXTENSION_DIGITS = 10
# How phone numbers are written: digits grouped by spaces, dashes, dots, slashes or brackets.
_PHONE_WRITING = re.compile(r"\+?[\d\s().\-/]+")
_EXTENSION_DIGITS = re.compile(r"(\d{1,2})(?:\s*-\s*(\d{1,2}))?")
PARAMETER_SPELLINGS: dict[str, str] = {
    "both": "Both spellings (works with every A1PBX version)",
    "table": "Documented names only",
}


def _check_choice(choices: dict[str, str]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)}"

    return check


def _check_extension(value: Any) -> str | None:
    if value == "":
        return None
    if not (isinstance(value, str) and value.isdigit() and 1 <= len(value) <= 10):
        return "must be your extension's digits, for example 1007"
    return None


def _check_caller_id_number(value: Any) -> str | None:
    text = str(value).strip()
    digits = sum(char.isdigit() for char in text)
    if text == "" or (_PHONE_WRITING.fullmatch(text) and 2 <= digits <= 15):
        return None
    from a1dialer.core.translation import _

    return _("must be a phone number, for example (208) 555-0100 or +44 20 7946 0000")


def normalised_caller_id(number: str, default_country: str, number_format: str) -> str:
    """A caller-ID number as typed ("(208) 555-0100") in the form dialled numbers are sent in.

    Read with the default country, like a dialled number; what cannot be read as a phone
    number (a short internal number the PBX knows) keeps its digits.
    """
    from a1dialer.core.numbers import parse_dial_input

    if not number:
        return number
    try:
        return parse_dial_input(number, default_country, number_format).dial
    except BadInput:
        return ("+" if number.startswith("+") else "") + "".join(filter(str.isdigit, number))


def _check_country(value: Any) -> str | None:
    import phonenumbers

    if isinstance(value, str) and value.upper() in phonenumbers.SUPPORTED_REGIONS:
        return None
    return "must be a two-letter country code such as US, GB or DE"


def extension_lengths(value: str) -> tuple[int, int]:
    """The shortest and longest extension in an ``extension_digits`` value ("2-5" -> (2, 5)).

    Raises ``ValueError`` for anything else; the setting's check turns that into its sentence.
    """
    match = _EXTENSION_DIGITS.fullmatch(value)
    if match is None:
        raise ValueError(value)
    shortest = int(match.group(1))
    longest = int(match.group(2) or shortest)
    if not 1 <= shortest <= longest <= MAX_EXTENSION_DIGITS:
        raise ValueError(value)
    return shortest, longest


def _check_extension_digits(value: Any) -> str | None:
    try:
        extension_lengths(str(value))
    except ValueError:
        return (
            "must be a number of digits or a range such as 2-5, shorter first, "
            f"at most {MAX_EXTENSION_DIGITS}"
        )
    return None


def _check_ca_bundle(value: Any) -> str | None:
    if value == "" or Path(str(value)).expanduser().is_file():
        return None
    return f"file {value} does not exist"


def _check_server(value: Any) -> str | None:
    from a1dialer.core.server_address import parse_server

    if value == "":
        return None
    try:
        parse_server(str(value))
    except BadInput as exc:
        return exc.sentence[0].lower() + exc.sentence[1:].rstrip(".")
    return None


def _check_cache_mb(value: Any) -> str | None:
    return None if isinstance(value, int) and 0 <= value <= 100_000 else "must be 0 to 100000 MB"


def _check_hotkey(value: Any) -> str | None:
    if value == "":
        return None
    try:
        pynput_hotkey(str(value))
    except ValueError:
        return (
            f"must be a modifier and one key, such as {DEFAULT_SHORTCUT} or Ctrl+Shift+F9 "
            "(leave it empty for none)"
        )
    return None


def _check_custom_outcomes(value: Any) -> str | None:
    from a1dialer.core.outcomes import check_custom_outcomes

    return check_custom_outcomes(value)


def _check_hook_url(value: Any) -> str | None:
    from a1dialer.core.crm_hooks import check_url_template

    return check_url_template(value)


def _check_hook_command(value: Any) -> str | None:
    from a1dialer.core.crm_hooks import check_command_template

    return check_command_template(value)


_HOOK_PLACEHOLDERS = "{number}, {name}, {uuid}, {outcome}, {note}, {display}, {extension}"


def _no_check(value: Any) -> str | None:
    return None


@dataclass(frozen=True)
class Option:
    """One setting: its default, label, help text and validity check."""

    name: str
    default: Any
    label: str
    help: str
    check: Callable[[Any], str | None] = _no_check


OPTIONS: tuple[Option, ...] = (
    Option(
        "server",
        "",
        "PBX server",
        "Domain or address of your A1PBX, e.g. pbx.example.com",
        _check_server,
    ),
    Option(
        "extension",
        "",
        "Your extension",
        "The extension of the phone on your desk; it rings first",
        _check_extension,
    ),
    Option(
        "caller_id_number",
        "",
        "Caller-ID number",
        "The company number your customers see",
        _check_caller_id_number,
    ),
    Option("caller_id_name", "", "Caller-ID name", "The company name your customers see"),
    Option(
        "default_country",
        "US",
        "Default country",
        "Country assumed for numbers typed without an international prefix",
        _check_country,
    ),
    Option(
        "number_format",
        "e164",
        "Number format sent to the PBX",
        "How dialled numbers are sent",
        _check_choice(NUMBER_FORMATS),
    ),
    Option(
        "extension_digits",
        "2-5",
        "Extension lengths",
        "How many digits an internal extension has, such as 2-5; a digit string of another "
        "length is dialled as a phone number of the default country",
        _check_extension_digits,
    ),
    Option(
        "ringback",
        "us-ring",
        "Ringback tone",
        "What you hear while the customer's phone rings",
        _check_choice(RINGBACK_TONES),
    ),
    Option(
        "auto_answer",
        False,
        "Auto-answer my phone",
        "Your desk phone answers by itself, so the customer is dialled at once",
    ),
    Option("record", False, "Record calls", "Record calls by default"),
    Option(
        "link_action",
        "ask",
        "Links and hotkey",
        "What a clicked tel:, callto: or sip: link, or the global hotkey, does with its number",
        _check_choice(LINK_ACTIONS),
    ),
    Option(
        "hotkey",
        DEFAULT_SHORTCUT,
        "Global hotkey",
        "Calls the number selected or copied in any app; empty turns it off",
        _check_hotkey,
    ),
    Option(
        "parameter_spelling",
        "both",
        "Parameter spelling",
        "Which originate parameter names to send",
        _check_choice(PARAMETER_SPELLINGS),
    ),
    Option(
        "ca_bundle",
        "",
        "Custom CA bundle",
        "PEM file with the certificate authority of a PBX using a private certificate",
        _check_ca_bundle,
    ),
    Option(
        "allow_insecure_http",
        False,
        "Allow plain HTTP",
        "Send the API key unencrypted to a non-local http:// server (trusted networks only)",
    ),
    Option(
        "recording_cache_mb",
        500,
        "Recording cache (MB)",
        "Disk space for downloaded recordings; the oldest are removed first",
        _check_cache_mb,
    ),
    Option(
        "custom_outcomes",
        (),
        "Custom call outcomes",
        "Outcomes offered after a call besides Connected, Voicemail, No answer, Busy, "
        "Wrong number and Call back; one per line",
        _check_custom_outcomes,
    ),
    Option(
        "hook_call_placed_url",
        "",
        "Open this URL when a call is placed",
        f"A CRM link with placeholders {_HOOK_PLACEHOLDERS}, URL-encoded when opened; "
        "e.g. https://crm.example.com/calls/new?phone={number}",
        _check_hook_url,
    ),
    Option(
        "hook_call_placed_command",
        "",
        "Run this command when a call is placed",
        "A program and its arguments; each placeholder is filled in as one argument, never "
        "through a shell; e.g. crm-log --phone {number} --call {uuid}",
        _check_hook_command,
    ),
    Option(
        "hook_outcome_url",
        "",
        "Open this URL when an outcome is saved",
        f"A CRM link with placeholders {_HOOK_PLACEHOLDERS}, URL-encoded when opened",
        _check_hook_url,
    ),
    Option(
        "hook_outcome_command",
        "",
        "Run this command when an outcome is saved",
        "A program and its arguments, e.g. crm-log --call {uuid} --outcome {outcome} --note {note}",
        _check_hook_command,
    ),
)
OPTIONS_BY_NAME = {option.name: option for option in OPTIONS}


@dataclass(frozen=True)
class Settings:
    """The rep's settings. Field names match ``OPTIONS``; use ``validated`` to change them."""

    server: str = ""
    extension: str = ""
    caller_id_number: str = ""
    caller_id_name: str = ""
    default_country: str = "US"
    number_format: str = "e164"
    extension_digits: str = "2-5"
    ringback: str = "us-ring"
    auto_answer: bool = False
    record: bool = False
    link_action: str = "ask"
    hotkey: str = DEFAULT_SHORTCUT
    parameter_spelling: str = "both"
    ca_bundle: str = ""
    allow_insecure_http: bool = False
    recording_cache_mb: int = 500
    custom_outcomes: tuple[str, ...] = ()
    hook_call_placed_url: str = ""
    hook_call_placed_command: str = ""
    hook_outcome_url: str = ""
    hook_outcome_command: str = ""

    def validated(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied, raising ``BadInput`` naming the first bad one."""
        clean = {name: _coerce(name, value, source=None) for name, value in changes.items()}
        return _with_caller_id_normalised(replace(self, **clean), clean)

    def missing_for_calls(self) -> list[str]:
        """Labels of the options that must be set before the first call."""
        needed = ("server", "extension", "caller_id_number")
        return [OPTIONS_BY_NAME[name].label for name in needed if not getattr(self, name)]

    def as_dict(self) -> dict[str, Any]:
        return {option.name: getattr(self, option.name) for option in OPTIONS}


def _with_caller_id_normalised(settings: Settings, changed: dict[str, Any]) -> Settings:
    """A newly set caller-ID number in the form dialled numbers are sent in."""
    # Bare digits are already in the stored form: read again with the country they would change
    # (442079460000 in Germany is not a London number).
    if "caller_id_number" not in changed or settings.caller_id_number.isdigit():
        return settings
    number = normalised_caller_id(
        settings.caller_id_number, settings.default_country, settings.number_format
    )
    return replace(settings, caller_id_number=number)


def _coerce(name: str, value: Any, *, source: Path | None) -> Any:
    where = f"{source}: " if source else ""
    option = OPTIONS_BY_NAME.get(name)
    if option is None:
        raise BadInput(f"{where}unknown setting '{name}'.")
    expected = type(option.default)
    if expected is str and isinstance(value, str):
        value = value.strip()
        if name == "default_country":
            value = value.upper()
    if expected is tuple and isinstance(value, list):  # TOML has arrays, not tuples
        value = tuple(value)
    if expected is tuple and isinstance(value, tuple):
        value = tuple(item.strip() if isinstance(item, str) else item for item in value)
    if (expected is int and isinstance(value, bool)) or not isinstance(value, expected):
        kind = "a list" if expected is tuple else expected.__name__
        raise BadInput(f"{where}{option.label} must be {kind}, not {value!r}.")
    problem = option.check(value)
    if problem:
        raise BadInput(f"{where}{option.label} {problem}.")
    return value


def admin_defaults_file() -> Path:
    """The read-only team defaults file: ``A1DIALER_DEFAULTS`` or the OS's site config folder.

    Linux ``/etc/xdg/a1dialer/defaults.toml``, Windows ``C:\\ProgramData\\a1dialer\\defaults.toml``,
    macOS ``/Library/Application Support/a1dialer/defaults.toml``.
    """
    override = os.environ.get(DEFAULTS_ENV)
    if override:
        return Path(override)
    if sys.platform == "darwin":
        return Path("/Library/Application Support") / APP_ID / "defaults.toml"
    else:
        return paths.site_config_dir() / "defaults.toml"


def _toml_text(path: Path, raw: bytes) -> str:
    """The file as text: UTF-8 (a byte order mark allowed), else what Windows editors save.

    Notepad and other Windows editors may save as Windows-1252 ("ANSI") or UTF-16 ("Unicode");
    such a file is read that way with a warning in the log, since saving it as UTF-8 fixes it.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "UTF-16"
        text = raw.decode("utf-16", errors="replace")
    else:
        encoding = "Windows-1252"
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise LocalProblem(
                f"{path} is not text A1 Dialer can read (line {line} is neither UTF-8 nor "
                "Windows-1252): open it in a text editor and save it as UTF-8."
            ) from None
    log.warning(
        "%s is not UTF-8 (from line %d); read it as %s. Save it as UTF-8 (in Notepad: File, "
        "Save as, Encoding UTF-8) so every program reads it alike.",
        path,
        line,
        encoding,
    )
    return text


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise LocalProblem(f"Cannot read {path}: {exc.strerror}.") from None
    try:
        return tomllib.loads(_toml_text(path, raw))
    except tomllib.TOMLDecodeError as exc:
        raise LocalProblem(f"{path} is not valid TOML ({exc}); fix or delete that file.") from None


def _apply(settings: Settings, data: dict[str, Any], source: Path) -> Settings:
    known = {f.name for f in fields(Settings)}
    clean: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            raise LocalProblem(f"{source}: unknown setting '{name}'; remove it from that file.")
        try:
            clean[name] = _coerce(name, value, source=source)
        except BadInput as exc:
            raise LocalProblem(exc.sentence) from None
    return _with_caller_id_normalised(replace(settings, **clean), clean)


def load_settings(path: Path | None = None) -> Settings:
    """Built-in defaults, then the admin defaults file, then the rep's file."""
    path = path or paths.settings_file()
    defaults_path = admin_defaults_file()
    settings = _apply(Settings(), _read_toml(defaults_path), defaults_path)
    return _apply(settings, _read_toml(path), path)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the rep's settings atomically (a crash mid-write leaves the old file intact)."""
    path = path or paths.settings_file()
    text = "# A1 Dialer settings. The API key is kept in the OS keyring, not here.\n"
    import tomli_w  # writing happens on Save, reading at every start

    text += tomli_w.dumps(settings.as_dict())
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path
