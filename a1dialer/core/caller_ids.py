"""Calling identity: the caller ID the customer sees and the phone that rings first, per call.

The company numbers a rep may present are the ``caller_ids`` list of the settings (and the
default ``caller_id_number``/``caller_id_name``); nothing else is ever sent, so a rep cannot
present an arbitrary number. With ``local_presence`` each call picks the entry of the
destination's country (for NANP numbers, the same area code first, then the same country; the
first such entry in the list), else the default.

The phone that rings first is the rep's extension, or one of their ``my_numbers``. An external
number costs money and can be abused (it bridges two outside lines through the company's PBX),
so it is offered only when the admin defaults file says ``allow_ring_me_at_external = true``.

Numbers are written in any format and read like dialled numbers (the settings' number rules).
A caller ID is sent as its international digits ("442079460000", with "+" when the number
format is plus-e164); a number to ring first is sent as ``src`` in the same format as a
destination. Heavy modules (phonenumbers) are imported only when a number is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from a1dialer.core.errors import BadInput
from a1dialer.core.translation import _

if TYPE_CHECKING:
    from a1dialer.core.numbers import DialTarget
    from a1dialer.core.settings import Settings

NANP_CODE = 1


@dataclass(frozen=True)
class CallerId:
    """One company number a rep may present: ``[[caller_ids]]`` with ``number`` and ``name``."""

    number: str
    name: str = ""


@dataclass(frozen=True)
class MyNumber:
    """One of the rep's own phones: ``[[my_numbers]]`` with ``number`` and ``label``."""

    number: str
    label: str = ""


ENTRY_KEYS: dict[type, tuple[str, str]] = {
    CallerId: ("number", "name"),
    MyNumber: ("number", "label"),
}


def read_entries(value: Any, kind: type[CallerId] | type[MyNumber], label: str) -> tuple[Any, ...]:
    """TOML's list of tables (or entries already read) as ``kind`` entries.

    ``BadInput`` with one sentence per bad entry, naming the setting and the entry's place.
    """
    if isinstance(value, (CallerId, MyNumber)) or not isinstance(value, (list, tuple)):
        raise BadInput(
            _("{setting} must be a list of entries such as [[{key}]].").format(
                setting=label, key=_key_of(kind)
            )
        )
    keys = ENTRY_KEYS[kind]
    entries: list[Any] = []
    problems: list[str] = []
    for place, item in enumerate(value, start=1):
        if isinstance(item, kind):
            entries.append(item)
            continue
        if not isinstance(item, dict):
            problems.append(
                _("{setting} entry {place} must be a table with {first} and {second}.").format(
                    setting=label, place=place, first=keys[0], second=keys[1]
                )
            )
            continue
        unknown = sorted(set(item) - set(keys))
        if unknown and _is_setting(unknown[0]):
            problems.append(
                _(
                    "{setting} entry {place} holds the setting {key}: in TOML a line after a "
                    "[[{table}]] table belongs to it, so move {key} above the first one."
                ).format(setting=label, place=place, key=unknown[0], table=_key_of(kind))
            )
            continue
        if unknown:
            problems.append(
                _(
                    "{setting} entry {place} has the unknown key '{key}': use {first} and {second}."
                ).format(setting=label, place=place, key=unknown[0], first=keys[0], second=keys[1])
            )
            continue
        number, text = item.get(keys[0], ""), item.get(keys[1], "")
        if not isinstance(number, str) or not isinstance(text, str):
            problems.append(
                _("{setting} entry {place}: {first} and {second} must be text.").format(
                    setting=label, place=place, first=keys[0], second=keys[1]
                )
            )
            continue
        if not number.strip():
            problems.append(
                _("{setting} entry {place} needs a {key}.").format(
                    setting=label, place=place, key=keys[0]
                )
            )
            continue
        entries.append(kind(number.strip(), " ".join(text.split())))
    if problems:
        raise BadInput(" ".join(problems))
    return tuple(entries)


def _is_setting(name: str) -> bool:
    from a1dialer.core.settings import OPTIONS_BY_NAME

    return name in OPTIONS_BY_NAME


def _key_of(kind: type) -> str:
    return "caller_ids" if kind is CallerId else "my_numbers"


def entries_as_toml(entries: tuple[Any, ...]) -> list[dict[str, str]]:
    """Entries as TOML tables, for ``settings.toml`` and ``configure --show``."""
    out: list[dict[str, str]] = []
    for entry in entries:
        first, second = ENTRY_KEYS[type(entry)]
        table = {first: getattr(entry, first)}
        if getattr(entry, second):
            table[second] = getattr(entry, second)
        out.append(table)
    return out


def _read(number: str, settings: Settings, *, extension_ok: bool) -> DialTarget:
    """``number`` read with the settings' number rules; ``BadInput`` if it is not a phone."""
    from a1dialer.core.numbers import parse_dial_input

    target = parse_dial_input(
        number,
        settings.default_country,
        settings.number_format,
        extension_digits=settings.extension_digits,
    )
    if target.is_extension and not extension_ok:
        raise BadInput(
            _("{number} is an extension, not a phone number customers can call back.").format(
                number=number
            )
        )
    if target.extension_hint:
        raise BadInput(_("{number} has an extension: give the number alone.").format(number=number))
    return target


NUMBER_OPTIONS = ("caller_ids", "my_numbers", "ring_me_at")


def number_problems(settings: Settings) -> dict[str, list[str]]:
    """By option name, one sentence per caller ID or own number that does not read as a phone
    number, and for a ``ring_me_at`` that is not the extension or one of ``my_numbers``."""
    problems: dict[str, list[str]] = {name: [] for name in NUMBER_OPTIONS}
    for place, entry in enumerate(settings.caller_ids, start=1):
        try:
            _read(entry.number, settings, extension_ok=False)
        except BadInput as exc:
            problems["caller_ids"].append(
                _("Caller IDs entry {place}: {reason}").format(place=place, reason=exc.sentence)
            )
    for place, own in enumerate(settings.my_numbers, start=1):
        try:
            _read(own.number, settings, extension_ok=True)
        except BadInput as exc:
            problems["my_numbers"].append(
                _("My numbers entry {place}: {reason}").format(place=place, reason=exc.sentence)
            )
    if settings.ring_me_at:
        try:
            ring_choice(settings, settings.ring_me_at, allow_external=True)
        except BadInput as exc:
            problems["ring_me_at"].append(exc.sentence)
    return problems


# ------------------------------------------------------------------------------- caller ID


@dataclass(frozen=True)
class PresentedId:
    """The caller ID one call presents: ``number`` as sent, ``display`` as the rep reads it."""

    number: str
    name: str
    display: str
    is_default: bool = False

    def describe(self) -> str:
        """ "+44 20 7946 0000, Acme UK" (the display, with the name when there is one)."""
        return f"{self.display}, {self.name}" if self.name else self.display


def _international(target: DialTarget, settings: Settings) -> str:
    import phonenumbers

    e164 = phonenumbers.format_number(
        phonenumbers.parse(target.display), phonenumbers.PhoneNumberFormat.E164
    )
    return e164 if settings.number_format == "plus-e164" else e164.removeprefix("+")


def default_caller_id(settings: Settings) -> PresentedId:
    """The settings' ``caller_id_number``/``caller_id_name``, sent as stored."""
    number = settings.caller_id_number
    display = number
    if number:
        try:
            display = _read(number, settings, extension_ok=True).display
        except BadInput:
            display = number
    return PresentedId(number, settings.caller_id_name, display, is_default=True)


def presented(entry: CallerId, settings: Settings) -> PresentedId:
    """How one configured caller ID is sent and shown."""
    target = _read(entry.number, settings, extension_ok=False)
    return PresentedId(_international(target, settings), entry.name, target.display)


def caller_id_choices(settings: Settings) -> list[PresentedId]:
    """The default first, then each entry of ``caller_ids`` (once; unreadable ones left out)."""
    choices = [default_caller_id(settings)]
    seen = {_digits(choices[0].number)}
    for choice, _region, _area in _read_caller_ids(settings):
        if _digits(choice.number) not in seen:
            seen.add(_digits(choice.number))
            choices.append(choice)
    return choices


@lru_cache(maxsize=8)
def _read_caller_ids(settings: Settings) -> tuple[tuple[PresentedId, str, str], ...]:
    """Each readable caller ID with its region and NANP area code, in the list's order.

    Cached per settings: the window asks again at every keystroke of the number."""
    read = []
    for entry in settings.caller_ids:
        try:
            target = _read(entry.number, settings, extension_ok=False)
        except BadInput:
            continue
        region, area = _country_and_area(target)
        read.append((PresentedId(_international(target, settings), entry.name, target.display),
                     region, area))  # fmt: skip
    return tuple(read)


def _digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


def _country_and_area(target: DialTarget) -> tuple[str, str]:
    """The destination's region ("US") and, for NANP numbers, its area code ("208")."""
    import phonenumbers

    parsed = phonenumbers.parse(target.display)
    region = phonenumbers.region_code_for_number(parsed) or ""
    area = str(parsed.national_number)[:3] if parsed.country_code == NANP_CODE else ""
    return region, area


def local_caller_id(settings: Settings, target: DialTarget) -> PresentedId:
    """The caller ID a call to ``target`` presents when the rep picks none by hand.

    Without ``local_presence``, or for an extension, or when no entry is local: the default.
    """
    if not settings.local_presence or target.is_extension or not settings.caller_ids:
        return default_caller_id(settings)
    region, area = _country_and_area(target)
    if not region:
        return default_caller_id(settings)
    same_area: PresentedId | None = None
    same_country: PresentedId | None = None
    for choice, entry_region, entry_area in _read_caller_ids(settings):
        if entry_region != region:
            continue
        if area and entry_area == area and same_area is None:
            same_area = choice
        if same_country is None:
            same_country = choice
    return same_area or same_country or default_caller_id(settings)


def pick_caller_id(settings: Settings, number: str) -> PresentedId:
    """``dial --caller-id NUMBER``: the configured caller ID with that number (any format).

    ``BadInput`` for any other number: only the configured list and the default may be shown.
    """
    try:
        wanted = _digits(_international(_read(number, settings, extension_ok=False), settings))
    except BadInput as exc:
        raise BadInput(_("--caller-id: {reason}").format(reason=exc.sentence)) from None
    for choice in caller_id_choices(settings):
        try:
            known = _digits(
                _international(_read(choice.number, settings, extension_ok=True), settings)
            )
        except BadInput:
            known = _digits(choice.number)
        if known == wanted:
            return choice
    listed = ", ".join(choice.display for choice in caller_id_choices(settings) if choice.number)
    raise BadInput(
        _(
            "{number} is not one of your caller IDs ({listed}): only the numbers your settings "
            "list may be shown to customers."
        ).format(number=number, listed=listed)
    )


# ------------------------------------------------------------------------------- ring me at


@dataclass(frozen=True)
class RingChoice:
    """The phone that rings first: ``src`` as sent, with what the rep calls it."""

    src: str
    display: str
    label: str
    external: bool
    is_extension_setting: bool = False

    def describe(self) -> str:
        """ "Desk 1007" / "Mobile +1 208-555-0199"."""
        return f"{self.label} {self.display}".strip()

    @property
    def logged(self) -> str:
        """What the call log keeps: "" for the rep's own extension, else what was sent."""
        return "" if self.is_extension_setting else self.src


def extension_choice(settings: Settings) -> RingChoice:
    return RingChoice(
        settings.extension,
        settings.extension,
        _("Desk"),
        external=False,
        is_extension_setting=True,
    )


def ring_choices(settings: Settings) -> list[RingChoice]:
    """The extension first, then each of ``my_numbers`` the rep may ring (external numbers only
    when the admin allows them); unreadable ones left out."""
    choices = [extension_choice(settings)]
    for own in settings.my_numbers:
        try:
            choice = _own_choice(own, settings)
        except BadInput:
            continue
        if choice.external and not settings.allow_ring_me_at_external:
            continue
        if all(choice.src != known.src for known in choices):
            choices.append(choice)
    return choices


def _own_choice(own: MyNumber, settings: Settings) -> RingChoice:
    target = _read(own.number, settings, extension_ok=True)
    label = own.label or (_("Extension") if target.is_extension else _("Phone"))
    return RingChoice(target.dial, target.display, label, external=not target.is_extension)


def ring_choice(
    settings: Settings, number: str = "", *, allow_external: bool | None = None
) -> RingChoice:
    """The phone to ring first for ``number`` (the extension when empty or equal to it).

    ``BadInput`` with the reason for a number that is not one of ``my_numbers``, or that is
    external while the admin does not allow it.
    """
    allowed = settings.allow_ring_me_at_external if allow_external is None else allow_external
    number = number.strip()
    if not number or _digits(number) == settings.extension:
        return extension_choice(settings)
    try:
        wanted = _read(number, settings, extension_ok=True)
    except BadInput as exc:
        raise BadInput(_("Ring me at: {reason}").format(reason=exc.sentence)) from None
    for own in settings.my_numbers:
        try:
            choice = _own_choice(own, settings)
        except BadInput:
            continue
        if choice.src == wanted.dial:
            if choice.external and not allowed:
                raise BadInput(
                    _(
                        "Your administrator does not allow an outside number to ring first, so "
                        "{number} cannot: leave it out and your extension {extension} rings."
                    ).format(number=choice.display, extension=settings.extension)
                )
            return choice
    raise BadInput(
        _("{number} is not one of your numbers: add it to My numbers in Settings first.").format(
            number=wanted.display
        )
    )


def default_ring_choice(settings: Settings) -> RingChoice:
    """The phone the ``ring_me_at`` setting names, or the extension when that one may not ring
    (the admin turned outside numbers off since, or it left ``my_numbers``)."""
    try:
        return ring_choice(settings, settings.ring_me_at)
    except BadInput:
        return extension_choice(settings)


def ring_me_at_unavailable(settings: Settings) -> str:
    """Why the ``ring_me_at`` setting's phone cannot ring first now ("" when it can)."""
    try:
        ring_choice(settings, settings.ring_me_at)
    except BadInput as exc:
        return _("{reason} Your extension {extension} rings first instead.").format(
            reason=exc.sentence, extension=settings.extension
        )
    return ""
