"""Every user option, declared once with its type, default and check; stored as TOML.

Layers, later wins: built-in defaults, the admin layer (the admin defaults file, then the OS policy:
see ``admin_layer``), the rep's own ``settings.toml`` in the profile directory. The admin may lock
settings: a locked one always has the admin's value. The rep's file holds only what the rep changed
from the defaults in effect, so an admin's later change reaches every rep who did not override it.
A file with a bad value is never overwritten or silently "fixed": loading fails with one sentence
naming the file, option and reason. The API key is not an option: it lives in the OS keyring.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from a1dialer import APP_ID
from a1dialer.core import paths
from a1dialer.core.caller_ids import CallerId, MyNumber, entries_as_toml, read_entries
from a1dialer.core.errors import BadInput, LocalProblem
from a1dialer.core.key_combinations import DEFAULT_SHORTCUT, pynput_hotkey
from a1dialer.core.translation import N_, _

if TYPE_CHECKING:
    from a1dialer.core.admin_policy import PolicyReader

log = logging.getLogger(__name__)

DEFAULTS_ENV = "A1DIALER_DEFAULTS"

RINGBACK_TONES: dict[str, str] = {
    "us-ring": N_("United States"),
    "uk-ring": N_("United Kingdom"),
    "fr-ring": N_("France"),
    "de-ring": N_("Germany"),
    "it-ring": N_("Italy"),
    "pt-ring": N_("Portugal"),
    "ru-ring": N_("Russia"),
    "rs-ring": N_("Serbia"),
}
NUMBER_FORMATS: dict[str, str] = {
    "e164": N_("International digits (12085551234)"),
    "plus-e164": N_("International with + (+12085551234)"),
    "national": N_("National (2085551234)"),
}
LINK_ACTIONS: dict[str, str] = {
    "ask": N_("Fill in the number; Enter calls it"),
    "dial": N_("Call at once"),
}
MAX_EXTENSION_DIGITS = 10
# How phone numbers are written: digits grouped by spaces, dashes, dots, slashes or brackets.
_PHONE_WRITING = re.compile(r"\+?[\d\s().\-/]+")
# Call lists: a retry waits at most a week; a number gets at most this many calls.
MAX_RETRY_MINUTES = 7 * 24 * 60
MAX_ATTEMPTS = 20
_EXTENSION_DIGITS = re.compile(r"(\d{1,2})(?:\s*-\s*(\d{1,2}))?")
# Settings that are lists of TOML tables, and the entry each table becomes.
ENTRY_LISTS: dict[str, type[CallerId] | type[MyNumber]] = {
    "caller_ids": CallerId,
    "my_numbers": MyNumber,
}
PARAMETER_SPELLINGS: dict[str, str] = {
    "both": N_("Both spellings (works with every A1PBX version)"),
    "table": N_("Documented names only"),
}


# A check returns None for a good value, else one sentence naming the setting by ``label`` (the
# setting's label in the language in use, or "--country" where the command line checks a value).
Check = Callable[[Any, str], str | None]


def _check_choice(choices: dict[str, str]) -> Check:
    def check(value: Any, label: str) -> str | None:
        if value in choices:
            return None
        # Translators: {label} names a setting; {choices} are keywords to keep as they are.
        return _("{label} must be one of {choices}.").format(
            label=label, choices=", ".join(choices)
        )

    return check


def _check_extension(value: Any, label: str) -> str | None:
    if value == "":
        return None
    if not (isinstance(value, str) and value.isdigit() and 1 <= len(value) <= 10):
        return _("{label} must be your extension's digits, for example 1007.").format(label=label)
    return None


def _check_caller_id_number(value: Any, label: str) -> str | None:
    text = str(value).strip()
    digits = sum(char.isdigit() for char in text)
    if text == "" or (_PHONE_WRITING.fullmatch(text) and 2 <= digits <= 15):
        return None
    return _(
        "{label} must be a phone number, for example (208) 555-0100 or +44 20 7946 0000."
    ).format(label=label)


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


def _check_ring_me_at(value: Any, label: str) -> str | None:
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    if value == "" or (2 <= len(digits) <= 15 and not any(ch.isalpha() for ch in str(value))):
        return None
    return _(
        "{label} must be your extension or one of your numbers, or empty for your extension."
    ).format(label=label)


def _check_country(value: Any, label: str) -> str | None:
    import phonenumbers

    if isinstance(value, str) and value.upper() in phonenumbers.SUPPORTED_REGIONS:
        return None
    return _("{label} must be a two-letter country code such as US, GB or DE.").format(label=label)


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


def _check_extension_digits(value: Any, label: str) -> str | None:
    try:
        extension_lengths(str(value))
    except ValueError:
        return _(
            "{label} must be a number of digits or a range such as 2-5, shorter first, "
            "at most {longest}."
        ).format(label=label, longest=MAX_EXTENSION_DIGITS)
    return None


def _check_ca_bundle(value: Any, label: str) -> str | None:
    if value == "" or Path(str(value)).expanduser().is_file():
        return None
    # Translators: {label} names the setting ("Custom CA bundle"), {file} is a file path.
    return _("{label} file {file} does not exist.").format(label=label, file=value)


def _check_server(value: Any, label: str) -> str | None:
    from a1dialer.core.server_address import parse_server

    if value == "":
        return None
    try:
        parse_server(str(value))
    except BadInput as exc:
        # Translators: {label} names the setting ("PBX server"); {problem} is a whole sentence.
        return _("{label}: {problem}").format(label=label, problem=exc.sentence)
    return None


def _check_cache_mb(value: Any, label: str) -> str | None:
    if isinstance(value, int) and 0 <= value <= 100_000:
        return None
    return _("{label} must be 0 to {most} MB.").format(label=label, most=100_000)


def _check_retry_minutes(value: Any, label: str) -> str | None:
    if isinstance(value, int) and 0 <= value <= MAX_RETRY_MINUTES:
        return None
    return _("{label} must be 0 to {most} minutes.").format(label=label, most=MAX_RETRY_MINUTES)


def _check_max_attempts(value: Any, label: str) -> str | None:
    if isinstance(value, int) and 1 <= value <= MAX_ATTEMPTS:
        return None
    return _("{label} must be 1 to {most}.").format(label=label, most=MAX_ATTEMPTS)


def _check_hotkey(value: Any, label: str) -> str | None:
    if value == "":
        return None
    try:
        pynput_hotkey(str(value))
    except ValueError:
        # Translators: {shortcut} is a key combination such as Ctrl+Alt+D.
        return _(
            "{label} must be a modifier and one key, such as {shortcut} or Ctrl+Shift+F9 "
            "(leave it empty for none)."
        ).format(label=label, shortcut=DEFAULT_SHORTCUT)
    return None


def _check_custom_outcomes(value: Any, label: str) -> str | None:
    from a1dialer.core.outcomes import check_custom_outcomes

    return check_custom_outcomes(value, label)


def _check_hook_url(value: Any, label: str) -> str | None:
    from a1dialer.core.crm_hooks import check_url_template

    return check_url_template(value, label)


def _check_hook_command(value: Any, label: str) -> str | None:
    from a1dialer.core.crm_hooks import check_command_template

    return check_command_template(value, label)


def _check_language(value: Any, label: str) -> str | None:
    from a1dialer.core.translation import AUTO, LANGUAGES

    if value == AUTO or value in LANGUAGES:
        return None
    # Translators: "auto" and {choices} are keywords to keep as they are.
    return _("{label} must be auto or one of {choices}.").format(
        label=label, choices=", ".join(LANGUAGES)
    )


def _no_check(value: Any, label: str) -> str | None:
    return None


@dataclass(frozen=True)
class Option:
    """One setting: its default, label, help text and validity check.

    ``label`` and ``help`` are English, marked for translation: show them with ``_()``.

    An ``admin_only`` setting is always locked: only the admin layer sets it, never the rep.
    """

    name: str
    default: Any
    label: str
    help: str
    check: Check = _no_check
    admin_only: bool = False


OPTIONS: tuple[Option, ...] = (
    Option(
        "server",
        "",
        N_("PBX server"),
        N_("Domain or address of your A1PBX, e.g. pbx.example.com"),
        _check_server,
    ),
    Option(
        "extension",
        "",
        N_("Your extension"),
        N_("The extension of the phone on your desk; it rings first"),
        _check_extension,
    ),
    Option(
        "caller_id_number",
        "",
        N_("Caller-ID number"),
        N_("The company number your customers see"),
        _check_caller_id_number,
    ),
    Option("caller_id_name", "", N_("Caller-ID name"), N_("The company name your customers see")),
    Option(
        "caller_ids",
        (),
        N_("Caller IDs"),
        N_(
            "Other company numbers you may show customers, one per line: the number, a comma, the "
            "name; e.g. +44 20 7946 0000, Acme UK"
        ),
    ),
    Option(
        "local_presence",
        False,
        N_("Local presence"),
        N_(
            "Each call shows the caller ID of the customer's area code or country, "
            "when one is listed"
        ),
    ),
    Option(
        "my_numbers",
        (),
        N_("My numbers"),
        N_(
            "Your other phones that may ring first, one per line: the number, a comma, a label; "
            "e.g. +1 208 555 0199, Mobile"
        ),
    ),
    Option(
        "ring_me_at",
        "",
        N_("Ring me at"),
        N_("Which phone rings first: empty for your extension, or one of My numbers"),
        _check_ring_me_at,
    ),
    Option(
        "allow_ring_me_at_external",
        False,
        N_("Allow ringing outside numbers first"),
        N_(
            "Set by the administrator in the defaults file: reps may have their mobile or another "
            "outside number ring first"
        ),
        admin_only=True,
    ),
    Option(
        "default_country",
        "US",
        N_("Default country"),
        N_("Country assumed for numbers typed without an international prefix"),
        _check_country,
    ),
    Option(
        "number_format",
        "e164",
        N_("Number format sent to the PBX"),
        N_("How dialled numbers are sent"),
        _check_choice(NUMBER_FORMATS),
    ),
    Option(
        "extension_digits",
        "2-5",
        N_("Extension lengths"),
        N_(
            "How many digits an internal extension has, such as 2-5; a digit string of another "
            "length is dialled as a phone number of the default country"
        ),
        _check_extension_digits,
    ),
    Option(
        "ringback",
        "us-ring",
        N_("Ringback tone"),
        N_("What you hear while the customer's phone rings"),
        _check_choice(RINGBACK_TONES),
    ),
    Option(
        "auto_answer",
        False,
        N_("Auto-answer my phone"),
        N_("Your desk phone answers by itself, so the customer is dialled at once"),
    ),
    Option("record", False, N_("Record calls"), N_("Record calls by default")),
    Option(
        "link_action",
        "ask",
        N_("Links and hotkey"),
        N_("What a clicked tel:, callto: or sip: link, or the global hotkey, does with its number"),
        _check_choice(LINK_ACTIONS),
    ),
    Option(
        "hotkey",
        DEFAULT_SHORTCUT,
        N_("Global hotkey"),
        N_("Calls the number selected or copied in any app; empty turns it off"),
        _check_hotkey,
    ),
    Option(
        "parameter_spelling",
        "both",
        N_("Parameter spelling"),
        N_("Which originate parameter names to send"),
        _check_choice(PARAMETER_SPELLINGS),
    ),
    Option(
        "ca_bundle",
        "",
        N_("Custom CA bundle"),
        N_("PEM file with the certificate authority of a PBX using a private certificate"),
        _check_ca_bundle,
    ),
    Option(
        "allow_insecure_http",
        False,
        N_("Allow plain HTTP"),
        N_("Send the API key unencrypted to a non-local http:// server (trusted networks only)"),
    ),
    Option(
        "recording_cache_mb",
        500,
        N_("Recording cache (MB)"),
        N_("Disk space for downloaded recordings; the oldest are removed first"),
        _check_cache_mb,
    ),
    Option(
        "custom_outcomes",
        (),
        N_("Custom call outcomes"),
        N_(
            "Outcomes offered after a call besides Connected, Voicemail, No answer, Busy, "
            "Wrong number and Call back; one per line"
        ),
        _check_custom_outcomes,
    ),
    Option(
        "retry_busy_minutes",
        15,
        N_("Retry a busy number after (minutes)"),
        N_("In a call list, Dial next calls a busy number again after this many minutes"),
        _check_retry_minutes,
    ),
    Option(
        "retry_no_answer_minutes",
        240,
        N_("Retry an unanswered number after (minutes)"),
        N_(
            "In a call list, Dial next calls a number nobody answered again after this many minutes"
        ),
        _check_retry_minutes,
    ),
    Option(
        "max_attempts",
        3,
        N_("Calls per number at most"),
        N_("A busy or unanswered number in a call list is not retried after this many calls"),
        _check_max_attempts,
    ),
    Option(
        "hook_call_placed_url",
        "",
        N_("Open this URL when a call is placed"),
        N_(
            "A CRM link with placeholders {number}, {name}, {uuid}, {outcome}, {note}, {display}, "
            "{extension}, URL-encoded when opened; e.g. https://crm.example.com/calls/new?phone={number}"
        ),
        _check_hook_url,
    ),
    Option(
        "hook_call_placed_command",
        "",
        N_("Run this command when a call is placed"),
        N_(
            "A program and its arguments; each placeholder is filled in as one argument, never "
            "through a shell; e.g. crm-log --phone {number} --call {uuid}"
        ),
        _check_hook_command,
    ),
    Option(
        "hook_outcome_url",
        "",
        N_("Open this URL when an outcome is saved"),
        N_(
            "A CRM link with placeholders {number}, {name}, {uuid}, {outcome}, {note}, {display}, "
            "{extension}, URL-encoded when opened"
        ),
        _check_hook_url,
    ),
    Option(
        "hook_outcome_command",
        "",
        N_("Run this command when an outcome is saved"),
        N_(
            "A program and its arguments, e.g. "
            "crm-log --call {uuid} --outcome {outcome} --note {note}"
        ),
        _check_hook_command,
    ),
    Option(
        "language",
        "auto",
        N_("Language"),
        N_("The language of the window and the command line; takes effect at the next start"),
        _check_language,
    ),
)
OPTIONS_BY_NAME = {option.name: option for option in OPTIONS}


@dataclass(frozen=True)
class AdminLayer:
    """What the admin set for every rep: values over the built-in defaults, and the locked names.

    ``values`` are checked values by option name; ``locked`` holds the names the admin locked
    (a locked name without a value locks the built-in default); ``sources`` name where they came
    from, for messages.
    """

    values: Mapping[str, Any] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()

    def defaults(self) -> Settings:
        """The defaults in effect: the built-in ones with the admin's values on top."""
        return Settings(**self.values, admin=self)


def is_admin_only(name: str) -> bool:
    option = OPTIONS_BY_NAME.get(name)
    return option is not None and option.admin_only


@dataclass(frozen=True)
class Settings:
    """The rep's settings. Field names match ``OPTIONS``; use ``validated`` to change them.

    ``admin`` is the admin layer they were loaded with (not a setting: it is neither compared nor
    saved); it says which settings are locked and what the defaults in effect are.
    """

    server: str = ""
    extension: str = ""
    caller_id_number: str = ""
    caller_id_name: str = ""
    caller_ids: tuple[CallerId, ...] = ()
    local_presence: bool = False
    my_numbers: tuple[MyNumber, ...] = ()
    ring_me_at: str = ""
    allow_ring_me_at_external: bool = False
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
    retry_busy_minutes: int = 15
    retry_no_answer_minutes: int = 240
    max_attempts: int = 3
    hook_call_placed_url: str = ""
    hook_call_placed_command: str = ""
    hook_outcome_url: str = ""
    hook_outcome_command: str = ""
    language: str = "auto"
    admin: AdminLayer = field(default_factory=AdminLayer, compare=False, repr=False)

    def validated(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied, raising ``BadInput`` naming the first bad one.

        Changing a locked setting is refused; "changing" it to the value it has is no change.
        """
        clean: dict[str, Any] = {}
        for name, value in changes.items():
            clean[name] = _coerce(name, value, source=None)
            if self.is_locked(name) and clean[name] != getattr(self, name):
                raise BadInput(_("{name} is set by your administrator.").format(name=name))
        changed = _with_caller_id_normalised(replace(self, **clean), clean)
        if _NUMBER_RULES.intersection(changes):
            _check_numbers(changed, None)
        return changed

    def is_locked(self, name: str) -> bool:
        """Whether the admin fixed this setting for every rep."""
        return name in self.admin.locked or is_admin_only(name)

    def is_admin_default(self, name: str) -> bool:
        """Whether this unlocked setting has the admin's default (the rep did not override it)."""
        return (
            not self.is_locked(name)
            and name in self.admin.values
            and self.admin.values[name] == getattr(self, name)
        )

    def own_values(self) -> dict[str, Any]:
        """What the rep changed from the defaults in effect: what their file keeps."""
        defaults = self.admin.defaults().as_dict()
        return {
            name: value
            for name, value in self.as_dict().items()
            if not self.is_locked(name) and value != defaults[name]
        }

    def missing_for_calls(self) -> list[str]:
        """Labels (in the language in use) of the options that must be set before the first call."""
        needed = ("server", "extension", "caller_id_number")
        return [_(OPTIONS_BY_NAME[name].label) for name in needed if not getattr(self, name)]

    def as_dict(self) -> dict[str, Any]:
        """Every option by name, lists of entries as TOML tables."""
        values = {option.name: getattr(self, option.name) for option in OPTIONS}
        for name in ENTRY_LISTS:
            values[name] = entries_as_toml(values[name])
        return values


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


# The options that decide whether the caller IDs and the rep's numbers read as phone numbers.
_NUMBER_RULES = frozenset(
    {"caller_ids", "my_numbers", "ring_me_at", "default_country", "number_format",
     "extension_digits", "extension"}
)  # fmt: skip


def _check_numbers(settings: Settings, source: Path | None, *, ring_me_at: bool = True) -> None:
    """``BadInput`` with one sentence per caller ID or own number that is not a phone number.

    ``ring_me_at=False`` leaves out whether ``ring_me_at`` is one of ``my_numbers``: when
    loading, the admin may have taken that number out of the defaults since, and the extension
    rings instead (``caller_ids.default_ring_choice``) rather than the app refusing to start."""
    from a1dialer.core.caller_ids import number_problems

    if not (settings.caller_ids or settings.my_numbers or settings.ring_me_at):
        return  # nothing to read: the window's path need not load the number rules
    found = number_problems(settings)
    if not ring_me_at:
        found.pop("ring_me_at")
    problems = [sentence for sentences in found.values() for sentence in sentences]
    if problems:
        raise BadInput(_in_file(source, " ".join(problems)))


def _in_file(source: Path | str | None, sentence: str) -> str:
    """``sentence`` about a value read from ``source``, naming that file first."""
    if not source:
        return sentence
    # Translators: {file} is the path of a settings file; {problem} is one or more sentences.
    return _("{file}: {problem}").format(file=source, problem=sentence)


def coerce_option(name: str, value: Any) -> Any:
    """``value`` as option ``name`` holds it; ``BadInput`` with the option's own sentence.

    Checks the value alone: whether caller IDs and the rep's numbers read as phone numbers
    depends on other options too (``caller_ids.number_problems``)."""
    return _coerce(name, value, source=None)


def checked_value(name: str, value: Any) -> Any:
    """``value`` as option ``name`` stores it; ``BadInput`` with the reason if it cannot be."""
    return _coerce(name, value, source=None)


def _coerce(name: str, value: Any, *, source: Path | str | None) -> Any:
    option = OPTIONS_BY_NAME.get(name)
    if option is None:
        raise BadInput(_in_file(source, _("unknown setting '{name}'.").format(name=name)))
    label = _(option.label)
    if name in ENTRY_LISTS:
        try:
            return read_entries(value, ENTRY_LISTS[name], label)
        except BadInput as exc:
            raise BadInput(_in_file(source, exc.sentence)) from None
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
        if expected is tuple:
            wrong = _("{label} must be a list, not {value}.")
        else:
            # Translators: {kind} is a TOML value type as Python names it: str, int or bool.
            wrong = _("{label} must be {kind}, not {value}.")
        wrong = wrong.format(label=label, kind=expected.__name__, value=repr(value))
        raise BadInput(_in_file(source, wrong))
    problem = option.check(value, label)
    if problem:
        raise BadInput(_in_file(source, problem))
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
                _(
                    "{file} is not text A1 Dialer can read (line {line} is neither UTF-8 nor "
                    "Windows-1252): open it in a text editor and save it as UTF-8."
                ).format(file=path, line=line)
            ) from None
    log.warning(
        "%s is not UTF-8 (from line %d); read it as %s. Save it as UTF-8 (in Notepad: File, "
        "Save as, Encoding UTF-8) so every program reads it alike.",
        path,
        line,
        encoding,
    )
    return text


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML file at ``path`` (``{}`` if there is none); ``LocalProblem`` if unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        # Translators: {problem} is the operating system's reason, such as "Permission denied".
        raise LocalProblem(
            _("Cannot read {file}: {problem}.").format(file=path, problem=exc.strerror)
        ) from None
    try:
        return tomllib.loads(_toml_text(path, raw))
    except tomllib.TOMLDecodeError as exc:
        raise LocalProblem(
            _("{file} is not valid TOML ({problem}); fix or delete that file.").format(
                file=path, problem=exc
            )
        ) from None


def checked_values(data: Mapping[str, Any], source: Path | str) -> dict[str, Any]:
    """Every value of ``data`` checked; ``LocalProblem`` naming ``source`` for the first bad one."""
    clean: dict[str, Any] = {}
    for name, value in data.items():
        if name not in OPTIONS_BY_NAME:
            raise LocalProblem(
                _("{file}: unknown setting '{name}'; remove it from that file.").format(
                    file=source, name=name
                )
            )
        try:
            clean[name] = _coerce(name, value, source=source)
        except BadInput as exc:
            raise LocalProblem(exc.sentence) from None
    return clean


def load_settings(path: Path | None = None, *, policy: PolicyReader | None = None) -> Settings:
    """Built-in defaults, then the admin layer, then the rep's file (but never a locked setting).

    ``policy`` reads the OS policy (the registry on Windows, managed preferences on macOS); by
    default this system's.
    """
    from a1dialer.core.admin_layer import load_admin_layer

    path = path or paths.settings_file()
    admin = load_admin_layer(policy)
    own = read_toml(path)
    for name in [name for name in own if name in OPTIONS_BY_NAME]:
        if name in admin.locked:
            # Never the value: a setting such as a CRM hook URL may carry a token.
            log.warning("%s: %s is set by your administrator; your value is ignored.", path, name)
            del own[name]
    settings = replace(admin.defaults(), **checked_values(own, path))
    # A caller ID written by hand in a file ("(208) 555-0100") is read as the form would.
    settings = _with_caller_id_normalised(settings, {"caller_id_number": None})
    try:
        _check_numbers(
            settings,
            path if _NUMBER_RULES.intersection(own) else admin_defaults_file(),
            ring_me_at=False,
        )
    except BadInput as exc:
        raise LocalProblem(exc.sentence) from None
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write what the rep changed from the defaults in effect, atomically.

    A setting with the default's value is left out, so it follows the admin's later changes;
    a locked setting is never written. A crash mid-write leaves the old file intact.
    """
    path = path or paths.settings_file()
    text = (
        "# A1 Dialer settings: only what you changed; the rest follows the defaults.\n"
        "# The API key is kept in the OS keyring, not here.\n"
    )
    import tomli_w  # writing happens on Save, reading at every start

    text += tomli_w.dumps(settings.own_values())
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path
