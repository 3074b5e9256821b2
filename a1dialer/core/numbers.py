"""Turn what a rep pastes or clicks into what the PBX dials.

Input is anything a rep can paste or click: formatted numbers ("(208) 555-1234", "208.555.1234"),
text around a number ("Tel: +1 (208) 555-1234 (mobile)"), vanity numbers ("1-800-FLOWERS"),
``tel:``/``callto:``/``sip:``/``sips:`` links, internal extensions ("1007"), feature codes ("*97").
Output is a ``DialTarget`` whose ``dial`` is digits in the ``number_format`` setting. Anything that
cannot be a phone number raises ``BadInput`` with one sentence saying why; nothing else is raised.

Decisions, each a rule a rep can predict:

- **Possible, not valid.** A number is accepted when its length is possible for its country
  (``phonenumbers.is_possible_number_with_reason``) and its digits fit the country's general
  number pattern (no US area code starts with 0 or 1). Validity (``is_valid_number``: assigned
  ranges) is not required: that metadata changes with every phonenumbers release, and test and demo
  numbers such as +1 208 555 1234 must keep working. Numbers possible only locally (a US number
  without its area code) are refused: the PBX cannot dial them without knowing the area.
- **Extensions.** A lone group of digits, without separators, whose length is in the
  ``extension_digits`` setting ("2-5" by default) is an internal extension, passed through as
  typed; ``*`` or ``**`` followed by 1 to 6 digits is a feature code ("*97", "**1007"). Both are
  dialled as is, whatever the default country. Any other digit string must be a number of the
  country: "555123" is refused (too short for a United States number), never an extension. Nor is
  a number sent in a form with an extension's length (Australia's +61 10000 nationally "10000"):
  it goes as "+" and its E.164 digits.
- **Text around the number.** The text must hold exactly one group of digits (spaces, dots, dashes,
  slashes, brackets and Unicode dashes or spaces may separate its digits). Words around it ("Tel:",
  "(mobile)") are ignored; two groups ("208-555-1234 or 208-555-9999") are refused. An extension
  suffix ("x 12", "ext. 12", ``;ext=12``) becomes ``extension_hint``: the PBX dials the main number
  and the rep is told to ask for the extension.
- **Vanity numbers.** Letters count as keypad digits when at least 3 digits come first and then at
  least 3 letters, joined to the digits ("1-800-FLOWERS") or in capitals ("1 800 FLOWERS"); a
  lower-case word after a space ("208 555 1234 mobile") is a label, not part of the number.
- **International only when written so.** A number is international when it starts with "+",
  with "00" and a country code (everywhere, also in the US, whose own exit code is 011), or with
  the country's own exit code ("011 44 20 7946 0123" in the US). Anything else is a number of the
  default country (or of the country passed for this call) and is never read as another
  country's: "(208) 555-12345" with default US has one digit too many, it is not Egypt's
  +20 855512345, and "442079460123" is refused rather than dialled in London. "Same country" means
  the same calling code: with default US a Canadian (416) number is fine, with GB a Jersey one.
  "00" stays national only where the country's own numbers may start with it and the digits
  read as one (Japan's 0077 numbers).
- **The own country code.** Digits may start with the country's own code instead of its trunk
  prefix: "12085551234" is the US number with default US. Digits that read both ways are taken
  with the country code where national numbers are written with a trunk prefix (0 in GB, DE, FR:
  "4915123456789" with default DE is +49 1512 3456789), or where only that reading is an
  assigned number. Validity only breaks that tie; it never refuses a number.
- **Idempotence.** ``dial`` parses back to itself with the same settings: always for "plus-e164"
  and "national"; for "e164" when the number is in the default country, unless its E.164 digits are
  also an assigned national number (an Italian landline +39 0473 889 is "390473889", also an Italian
  mobile number). E.164 digits without "+" of a number abroad are read by the rules above: refused
  ("442079460123" with default US), or a number at home where they read as one ("6785912345" is
  Vanuatu's +678 591 2345 and an Atlanta number). So whatever feeds a stored number back (the
  history, the tray, ``history --json``) gives ``display``, international with its "+", instead.
- **National format** is the number as dialled from the default country (also when another
  country was picked for the call, as the PBX is at home): the national form with its
  trunk prefix at home (UK "02079460123", US "2085551234"), the international prefix and the country
  code for numbers abroad (from the US, "011442079460123"). Where that form would read back as
  another number (Brazil and Colombia choose an international carrier per call; Hong Kong's "00"
  runs into its carrier prefixes), the number is sent as "+" and its E.164 digits.
"""

from __future__ import annotations

import re
import unicodedata
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import unquote

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, ValidationResult
from phonenumbers.phonenumberutil import _choose_formatting_pattern_for_number as _choose_format

from a1dialer.core import settings
from a1dialer.core.country_names import country_name
from a1dialer.core.errors import BadInput
from a1dialer.core.translation import _, ngettext

NUMBER_FORMATS = tuple(settings.NUMBER_FORMATS)  # ("e164", "plus-e164", "national")
MAX_INPUT_LENGTH = 200

_SEPARATORS = r"\s().\-/\[\]"
_SEPARATOR = re.compile(rf"[{_SEPARATORS}]")
# Digits and separators, optionally led by "+" (international) or "*"/"**" (a feature code).
_DIGIT_GROUP = re.compile(rf"(?:\+\s*|\*{{1,2}})?[\d(\[][\d{_SEPARATORS}]*")
_FEATURE_CODE = re.compile(r"\*{1,2}\d{1,6}")
# "x 12", "ext. 12", "extension: 12" after the number; not the x of a word such as "Fax" or "Box".
_EXTENSION_SUFFIX = re.compile(
    r"[\s,;]*(?<![^\W\d_])(?:extension|ext|x)(?![A-Za-z])\s*[.:=#]?\s*(\d{1,7})(?!\d)",
    re.IGNORECASE,
)
_VANITY = re.compile(rf"\+?([\d{_SEPARATORS}]*)([A-Za-z][A-Za-z\d\s.\-]*)")
_TRAILING_LABEL = re.compile(r"\s*[(\[][^\d()\[\]]*[)\]]?\s*$")
_LINK = re.compile(r"\s*(?:tel|callto|sips?):(?!\s)", re.IGNORECASE)
_LINK_SCHEME = re.compile(r"\s*(tel|callto|sips?)\s*:\s*(?://)?", re.IGNORECASE)
_SIP_NUMBER_WITHOUT_HOST = re.compile(r"\+?[\d\-()]+")
# Digits and separators only, as one group: no link, extension suffix, vanity letters or second
# number to look for (most numbers of a list import; the checks skipped are a third of a parse).
_PLAIN_GROUP = re.compile(r"(?:\+ *)?[\d(\[][\d ().\-/\[\]]*")


@dataclass(frozen=True)
class DialTarget:
    """One number (or extension) ready to send to the PBX, with what to show the rep about it.

    ``dial`` is digits; it starts with "+" in the plus-e164 format, and otherwise only where the
    chosen format would read back as another number or as an extension (see the module
    docstring); an extension's feature code starts with "*".
    """

    dial: str
    display: str
    region: str | None
    region_name: str | None
    is_extension: bool
    extension_hint: str | None = None

    @property
    def digits(self) -> str:
        """``dial`` without "+", for searching and storing."""
        return self.dial.removeprefix("+")

    def describe(self) -> str:
        """'Will dial +1 208-555-1234, United States' / 'Will dial extension 1007'."""
        shown, hint = self.display, self.extension_hint
        if self.is_extension and self.dial.startswith("*"):
            if hint:
                # Translators: {shown} is a feature code such as *97; {extension} digits.
                text = _("Will dial feature code {shown}, then ask for extension {extension}")
            else:
                text = _("Will dial feature code {shown}")
        elif self.is_extension:
            if hint:
                text = _("Will dial extension {shown}, then ask for extension {extension}")
            else:
                text = _("Will dial extension {shown}")
        elif self.region_name:
            if hint:
                # Translators: {shown} is the number, {country} its country's name.
                text = _("Will dial {shown}, {country}, then ask for extension {extension}")
            else:
                text = _("Will dial {shown}, {country}")
        elif hint:
            text = _("Will dial {shown}, then ask for extension {extension}")
        else:
            text = _("Will dial {shown}")
        return text.format(shown=shown, country=self.region_name, extension=hint)


@lru_cache(maxsize=32)
def _checked_rules(
    default_country: str, number_format: str, extension_digits: str, country: str
) -> tuple[str, str, int, int]:
    """The settings module's own checks, so a bad value gets the same sentence everywhere.

    Cached: a call-list import parses tens of thousands of numbers with the same settings.
    """
    checked = settings.Settings().validated(
        default_country=default_country,
        number_format=number_format,
        extension_digits=extension_digits,
    )
    home = str(checked.default_country)
    if country:
        country = str(settings.Settings().validated(default_country=country).default_country)
    shortest, longest = settings.extension_lengths(checked.extension_digits)
    return home, country or home, shortest, longest


def parse_dial_input(
    text: str,
    default_country: str = "US",
    number_format: str = "e164",
    *,
    extension_digits: str = "2-5",
    country: str = "",
    shapes: NumberShapes | None = None,
) -> DialTarget:
    """What the PBX dials for pasted text or a phone link; ``BadInput`` if it cannot be a number.

    ``default_country`` is where the rep (and the PBX) are: the country of numbers typed without
    an international prefix, and the one the national format dials from. ``country``, when
    given, is the country of national digits for this one call instead.

    ``shapes`` is for a list import, thousands of numbers with the same settings: the target's
    ``region`` and ``region_name`` are left ``None`` (a list stores neither), and a number
    shaped like one read before is read from that one's shape (``NumberShapes``).
    """
    home, region, shortest, longest = _checked_rules(
        default_country, number_format, extension_digits, country
    )
    _check_length(text)
    plain = text.strip()
    if plain.isascii() and _PLAIN_GROUP.fullmatch(plain) and (group := _trim_group(plain)):
        text, hint, groups, vanity = plain, None, [group], None
    else:
        if _LINK.match(text):
            text = parse_phone_uri(text)
        text = _normalise(text).strip()
        if not text:
            raise BadInput(_("Type or paste a phone number to call."))
        text, hint = _split_extension_hint(text)
        groups = [group for group in map(_trim_group, _DIGIT_GROUP.findall(text)) if group]
        vanity = _vanity_number(text)
    if len(groups) == 1 and vanity is None:
        code = _SEPARATOR.sub("", groups[0])
        is_extension = groups[0].isdigit() and shortest <= len(code) <= longest
        if is_extension or _FEATURE_CODE.fullmatch(code):
            return DialTarget(code, code, None, None, True, hint)
    known_shapes = shapes.of_rules(region, number_format) if shapes is not None else None
    if known_shapes is not None and len(groups) == 1 and vanity is None:
        known = known_shapes.read(groups[0])
        if known is not None:
            return DialTarget(known[0], known[1], None, None, False, hint)
    number = _read_number(text, groups, vanity, region)
    hint = hint or number.extension or None
    number.extension = None
    number_region = _region_of(number) if shapes is None else None
    target = DialTarget(
        dial=_format(number, home, number_format, range(shortest, longest + 1)),
        display=phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
        region=number_region,
        region_name=country_name(number_region) if number_region else None,
        is_extension=False,
        extension_hint=hint,
    )
    if known_shapes is not None and len(groups) == 1 and vanity is None:
        known_shapes.learn(groups[0], number, target)
    return target


class _Shape(NamedTuple):
    """How the numbers of one shape read (``_Shapes``)."""

    code: str  # the country code
    stripped: int  # digits before the national number (a trunk prefix, the country code)
    template: str  # the display, "+{}{} {}{}{}-..." with "{}" for each run of digits
    runs: tuple[tuple[int, int], ...]  # where each run of digits is in the country code + nsn
    plus: bool  # "+" in front of the dialled digits
    general: re.Pattern[str]  # the country's general number pattern
    pattern: re.Pattern[str] | None  # the pattern of the display format chosen
    prefix: re.Pattern[str] | None  # the country's national prefix for parsing


class _Shapes:
    """How numbers of one shape read, learnt from the first of them, for a list import.

    Two numbers whose digits (as typed, "+" kept apart) agree in all but the last four (in North
    America, all but the last seven: the same area code) read the same way under the rules
    above: the same country code, the same digits stripped in front (a trunk prefix), the same
    display pattern. Parsing the second with phonenumbers is most of a list import's time; here
    it is a dictionary lookup, then the checks whose patterns could look at the last digits (the
    country's general number pattern, the chosen format's pattern, its national prefix) are run
    on the new number. Learnt only from plain national or "+"
    numbers of at least ten national digits, never from one that starts with 00 or with the own
    country code where that is not also the trunk prefix (their reading depends on which numbers
    are assigned), and only for the e164 and plus-e164 formats (the national one reads back per
    number).
    """

    _MAX = 20_000  # a few megabytes

    def __init__(self, region: str) -> None:
        self._region = region
        self._own_code = str(phonenumbers.country_code_for_region(region))
        # Where the trunk prefix is the country code (North America's 1), "1 208 555 1234"
        # reads the same both ways, so it has a shape too.
        trunk = phonenumbers.ndd_prefix_for_region(region, strip_non_digits=True)
        self._ambiguous = () if trunk == self._own_code else (self._own_code,)
        self._known: dict[tuple[bool, int, str], _Shape] = {}
        self._rules: dict[
            int, tuple[tuple[Any, re.Pattern[str], re.Pattern[str] | None] | None, str]
        ] = {}

    def _key(self, group: str) -> tuple[bool, int, str, str] | None:
        digits = digits_only(group)
        plus = group.startswith("+")
        if len(digits) < 10 or (not plus and digits.startswith(("00", *self._ambiguous))):
            return None
        # North American numbers (+1) read alike across a whole area code: one format
        # (AAA-EEE-LLLL), one general pattern checked on each number anyway.
        north_american = digits.startswith("1") if plus else self._own_code == "1"
        return plus, len(digits), digits[: -7 if north_american else -4], digits

    def read(self, group: str) -> tuple[str, str] | None:
        """``(dial, display)`` for ``group`` from its shape, or ``None`` if none is known."""
        key = self._key(group)
        if key is None:
            return None
        shape = self._known.get(key[:3])
        if shape is None:
            return None
        nsn = key[3][shape.stripped :]
        if (
            shape.general.fullmatch(nsn) is None
            or (shape.pattern is not None and shape.pattern.fullmatch(nsn) is None)
            or (shape.prefix is not None and shape.prefix.match(nsn) is not None)
        ):
            return None
        digits = shape.code + nsn
        display = shape.template.format(*(digits[start:end] for start, end in shape.runs))
        return ("+" if shape.plus else "") + digits, display

    def learn(self, group: str, number: PhoneNumber, target: DialTarget) -> None:
        """Remember how ``group`` read, if its shape can be reused (see the class docstring)."""
        key = self._key(group)
        code = number.country_code
        if key is None or code is None or number.extension or len(self._known) >= self._MAX:
            return
        rules = self._rules_of(code, main_region=not key[0])
        nsn = phonenumbers.national_significant_number(number)
        e164 = f"{code}{nsn}"
        if (
            rules is None
            or len(nsn) < 10
            or not key[3].endswith(nsn)
            or target.dial.removeprefix("+") != e164
            or digits_only(target.display) != e164
            or (rules[2] is not None and rules[2].match(nsn))
        ):
            return
        metadata, general, prefix = rules
        chosen = _choose_format(metadata.intl_number_format or metadata.number_format, nsn)
        template, runs, at = [], [], 0
        for run in re.split(r"(\d+)", target.display):
            if run.isdigit():
                template.append("{}")
                runs.append((at, at + len(run)))
                at += len(run)
            else:
                template.append(run.replace("{", "{{").replace("}", "}}"))
        self._known[key[:3]] = _Shape(
            code=str(code),
            stripped=len(key[3]) - len(nsn),
            template="".join(template),
            runs=tuple(runs),
            plus=target.dial.startswith("+"),
            general=general,
            pattern=re.compile(chosen.pattern) if chosen is not None and chosen.pattern else None,
            prefix=prefix,
        )

    def _rules_of(
        self, code: int, *, main_region: bool
    ) -> tuple[Any, re.Pattern[str], re.Pattern[str] | None] | None:
        """A country code's metadata, general pattern and national prefix pattern, looked up
        once per import; ``None`` where shapes are not learnt (``main_region``: national digits
        whose country is not the code's main one, such as Guernsey's, read by other rules)."""
        if code not in self._rules:
            region = phonenumbers.region_code_for_country_code(code)
            metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(code, region)
            general = metadata.general_desc.national_number_pattern if metadata and (
                metadata.general_desc
            ) else None  # fmt: skip
            prefix = metadata.national_prefix_for_parsing if metadata else None
            self._rules[code] = (
                None
                if metadata is None or general is None
                else (metadata, re.compile(general), re.compile(prefix) if prefix else None),
                region,
            )
        rules, region = self._rules[code]
        if main_region and region != self._region:
            return None
        return rules


class NumberShapes:
    """The shapes of the numbers one list import has read so far (``parse_dial_input``'s
    ``shapes``): made for an import and dropped with it."""

    def __init__(self) -> None:
        self._by_rules: dict[tuple[str, str], _Shapes | None] = {}

    def of_rules(self, region: str, number_format: str) -> _Shapes | None:
        """The shapes for numbers of ``region`` in ``number_format``; none for the national
        format, whose dialled form is read back per number."""
        key = (region, number_format)
        if key not in self._by_rules:
            self._by_rules[key] = None if number_format == "national" else _Shapes(region)
        return self._by_rules[key]


def parse_phone_uri(uri: str) -> str:
    """The number in a tel:/callto:/sip: link as plain text ("+12085551234 ext. 55").

    RFC 3966 ``phone-context`` with a global number prefixes it ("+44-20" makes "7946-0123" a
    London number); a domain context leaves the number local (an extension). Other parameters are
    ignored, the number is percent-decoded, and in sip: links the user part (before "@") is used.
    """
    _check_length(uri)
    scheme = _LINK_SCHEME.match(uri)
    if scheme is None:
        raise BadInput(_("{link} is not a tel:, callto: or sip: link.").format(link=_shown(uri)))
    rest = uri[scheme.end() :].strip().split("?", 1)[0]
    if scheme.group(1).lower().startswith("sip"):
        user, at, _host = rest.partition("@")
        if at:
            rest = user.split(":", 1)[0]
        elif not _SIP_NUMBER_WITHOUT_HOST.fullmatch(rest.split(";", 1)[0]):
            rest = ""  # "sip:pbx.example.com" names a host, not a number
    number, *parameters = rest.rstrip("/").split(";")
    number = unquote(number).strip()
    values: dict[str, str] = {}
    for parameter in parameters:
        name, _equals, value = parameter.partition("=")
        values[unquote(name).strip().lower()] = unquote(value).strip()
    if not digits_only(number):
        raise BadInput(_("The link {link} has no phone number in it.").format(link=_shown(uri)))
    context = values.get("phone-context", "")
    if context.startswith("+") and not number.startswith("+"):
        number = f"+{digits_only(context)} {number}"
    if values.get("ext"):
        number += f" ext. {values['ext']}"
    return number


def digits_only(text: str) -> str:
    """Every decimal digit in ``text`` as ASCII: "+1 (208) 555-1234" -> "12085551234"."""
    if text.isascii():  # the common case, several times faster than asking unicodedata
        return text.translate(_ASCII_NON_DIGITS)
    digits = (unicodedata.decimal(char, None) for char in text)
    return "".join(str(digit) for digit in digits if digit is not None)


def looks_like_phone_number(
    text: str, default_country: str = "US", *, extension_digits: str = "2-5"
) -> bool:
    """Whether ``text`` holds one full phone number (not an extension); never raises.

    Cheap enough for every clipboard change: text over the input limit, or with fewer than 7 digits
    and no vanity letters, is rejected before parsing. Extensions do not count, so a copied "2024"
    or "1007" offers no call.
    """
    if len(text) > MAX_INPUT_LENGTH or (len(digits_only(text)) < 7 and not _vanity_number(text)):
        return False
    try:
        target = parse_dial_input(text, default_country, extension_digits=extension_digits)
        return not target.is_extension
    except BadInput:
        return False


def _check_length(text: str) -> None:
    if len(text) > MAX_INPUT_LENGTH:
        raise BadInput(
            _(
                "That text is too long to be a phone number ({count} characters); "
                "paste just the number."
            ).format(count=len(text))
        )


def _shown(text: str) -> str:
    """``text`` as quoted back to the rep in a sentence: one line, at most 40 characters."""
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


_ASCII_NON_DIGITS = {code: None for code in range(128) if not chr(code).isdigit()}
_ASCII_CONTROLS_AS_SPACE = {code: " " for code in (*range(32), 127)}


def _normalise(text: str) -> str:
    """ASCII digits, "-" for any dash, " " for any space; invisible marks (bidi, soft hyphen) go."""
    if text.isascii():  # only the control characters change; far faster for a list import
        return text.translate(_ASCII_CONTROLS_AS_SPACE)
    out = []
    for char in unicodedata.normalize("NFKC", text):
        digit = unicodedata.decimal(char, None)
        category = unicodedata.category(char)
        if digit is not None:
            out.append(str(digit))
        elif category == "Pd" or char == "\u2212":
            out.append("-")
        elif char.isspace() or category in ("Zs", "Zl", "Zp", "Cc"):
            out.append(" ")
        elif category != "Cf":
            out.append(char)
    return "".join(out)


def _split_extension_hint(text: str) -> tuple[str, str | None]:
    """Remove a trailing "x 12" / "ext. 12" after the number; return the rest and the extension."""
    matches = [m for m in _EXTENSION_SUFFIX.finditer(text) if digits_only(text[: m.start()])]
    if not matches or digits_only(text[matches[-1].end() :]):
        return text, None
    last = matches[-1]
    return text[: last.start()] + " " + text[last.end() :], last.group(1)


def _trim_group(group: str) -> str:
    """A digit group without the separators it picked up at its end ("(208) 555-1234 (")."""
    group = group.rstrip(" ([.-/")
    return group if digits_only(group) else ""


def _vanity_number(text: str) -> str | None:
    """``text`` from its first digit, letters as keypad digits, if it is a vanity number."""
    start = re.search(r"[+\d]", text)
    if start is None:
        return None
    candidate = _TRAILING_LABEL.sub("", text[start.start() :]).strip()
    match = _VANITY.fullmatch(candidate)
    if match is None:
        return None
    lead, letters = match.groups()
    if len(digits_only(lead)) < 3 or sum(c.isalpha() for c in letters) < 3:
        return None
    if lead[-1:].isspace() and not letters.isupper():
        return None  # "208 555 1234 mobile": a word after the number, not keypad letters
    return str(phonenumbers.convert_alpha_characters_in_number(candidate))


def _read_number(text: str, groups: list[str], vanity: str | None, region: str) -> PhoneNumber:
    problem = None
    if len(groups) == 1:
        try:
            return _read_group(groups[0], region)
        except BadInput as exc:
            problem = exc
    if vanity is not None:
        return _read_group(vanity, region, shown=text)
    if problem is not None:
        raise problem
    if groups:
        raise BadInput(
            # Translators: {numbers} lists the numbers found, separated by commas.
            _(
                '"{text}" holds more than one number ({numbers}); paste just the one to call.'
            ).format(text=_shown(text), numbers=", ".join(groups[:3]))
        )
    if any(char.isalpha() for char in text):
        raise BadInput(
            _(
                '"{text}" is not a phone number: letters are only allowed in numbers '
                "such as 1-800-FLOWERS."
            ).format(text=_shown(text))
        )
    raise BadInput(
        _('"{text}" has no digits to dial; type or paste a phone number.').format(text=_shown(text))
    )


def _read_group(group: str, region: str, shown: str | None = None) -> PhoneNumber:
    """One group of digits as a full phone number, by the rules in the module docstring."""
    shown = _shown(shown or group)
    if group.startswith("*"):
        raise BadInput(
            _("{shown} is not a feature code: those are * or ** and 1 to 6 digits (*97).").format(
                shown=shown
            )
        )
    if group.startswith("+"):
        return _possible_number(group, None, shown)
    digits = digits_only(group)
    own_code = phonenumbers.country_code_for_region(region)
    try:
        # Read by the country's rules: national, with its own country code, or after its own
        # exit code (then, and only then, another country's number).
        national = _possible_number(group, region, shown, national=True)
    except BadInput as problem:
        if digits.startswith("00"):  # 00 and a country code: international everywhere
            if not _own_exit_code_starts(digits, region):
                return _possible_number("+" + digits[2:], None, shown)
            # The own exit code starts with 00 too (Brazil's 00 and a carrier) and did not fit:
            # try plain 00, else the own exit code's sentence stands.
            with suppress(BadInput):
                return _possible_number("+" + digits[2:], None, shown)
        elif _starts_with_own_country_code(group, region):
            with suppress(BadInput):
                international = _possible_number("+" + digits, None, shown)
                if international.country_code == own_code:
                    return international
        raise problem from None
    if national.country_code == own_code and _starts_with_own_country_code(group, region):
        with suppress(BadInput):
            international = _possible_number("+" + digits, None, shown)
            if international.country_code == own_code and _national_reading_unlikely(
                national, international, region
            ):
                return international
    return national


def _own_exit_code_starts(digits: str, region: str) -> bool:
    """Whether ``digits`` start with the region's own international prefix (011 in the US)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    pattern = metadata.international_prefix if metadata else None
    return pattern is not None and re.match(pattern, digits) is not None


def _exit_code(region: str) -> str:
    """The international prefix a rep of ``region`` dials: "011" in the US, "00" for most."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is not None:
        for prefix in (metadata.preferred_international_prefix, metadata.international_prefix):
            if prefix and prefix.isdigit():
                return prefix
    return "00"  # read as international everywhere


def _starts_with_own_country_code(group: str, region: str) -> bool:
    """Whether ``group`` starts with the region's country code rather than its trunk prefix."""
    digits = digits_only(group)
    prefix = phonenumbers.ndd_prefix_for_region(region, strip_non_digits=True)
    if prefix and digits.startswith(prefix):
        return False
    return digits.startswith(str(phonenumbers.country_code_for_region(region)))


def _national_reading_unlikely(
    national: PhoneNumber, international: PhoneNumber, region: str
) -> bool:
    """Whether digits that read both ways are more likely a country code and a number.

    Yes where national numbers are written with a trunk prefix (these digits lack it), or where only
    the international reading is an assigned number.
    """
    prefix = phonenumbers.ndd_prefix_for_region(region, strip_non_digits=True)
    national_form = digits_only(phonenumbers.format_number(national, PhoneNumberFormat.NATIONAL))
    if prefix and national_form.startswith(prefix):
        return True
    valid = phonenumbers.is_valid_number
    return valid(international) and not valid(national)


def _possible_number(
    text: str, region: str | None, shown: str, *, national: bool = False
) -> PhoneNumber:
    """Parse ``text`` as a number the PBX can dial, or raise ``BadInput`` saying why not.

    ``national``: ``text`` has no "+", so a refusal tells how to write a number abroad.
    """
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        raise BadInput(_parse_problem(exc.error_type, shown, region)) from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.IS_POSSIBLE_LOCAL_ONLY and (
        region is None or number.country_code != phonenumbers.country_code_for_region(region)
    ):
        reason = ValidationResult.TOO_SHORT  # a country code was given, so no area is implied
    abroad = region if national else None
    if reason != ValidationResult.IS_POSSIBLE:
        raise BadInput(_length_problem(reason, shown, number, abroad))
    if not _fits_numbering_plan(number):
        home = abroad and number.country_code == phonenumbers.country_code_for_region(abroad)
        raise BadInput(_plan_problem(shown, abroad if home else _region_of(number), bool(home)))
    return number


def _plan_problem(shown: str, region: str | None, abroad: bool) -> str:
    """Why digits cannot be a number of ``region``; ``abroad``: also say how to dial abroad."""
    country = _country(region)
    if country is None:
        return _("{shown} cannot be a phone number; check the digits.").format(shown=shown)
    if not (abroad and region):
        return _("{shown} cannot be a number in {country}; check the digits.").format(
            shown=shown, country=country
        )
    return _(
        "{shown} cannot be a number in {country}; check the digits, or for a number "
        "abroad, start with + or {exit_code}."
    ).format(shown=shown, country=country, exit_code=_exit_code(region))


def _fits_numbering_plan(number: PhoneNumber) -> bool:
    """Whether the digits have a shape the country uses at all (no US area code starts with 1).

    The country's general pattern, not validity: it covers unassigned and fictional ranges too.
    """
    code = number.country_code or 0
    main_region = phonenumbers.region_code_for_country_code(code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(code, main_region)
    general = metadata.general_desc if metadata else None
    pattern = general.national_number_pattern if general else None
    nsn = phonenumbers.national_significant_number(number)
    if pattern is not None and re.fullmatch(pattern, nsn) is None:
        return False
    # A few invalid numbers (Brazil "+55 90...") read back as another number: no reliable dial.
    # Reading an international number back can only change it where its digits start like the
    # country's national (or carrier) prefix, which parsing strips; elsewhere skip the re-read.
    prefix = metadata.national_prefix_for_parsing if metadata else None
    if not prefix or re.match(prefix, nsn) is None:
        return True
    e164 = _e164(number)
    try:
        return _e164(phonenumbers.parse(e164)) == e164
    except NumberParseException:
        return False


def _unknown_country_code(shown: str) -> str:
    return _(
        "{shown} does not start with a known country code; check the digits after the + or 00."
    ).format(shown=shown)


def _too_short(shown: str, region: str | None) -> str:
    country = _country(region)
    if country is None:
        return _("{shown} is too short for a phone number; check for missing digits.").format(
            shown=shown
        )
    return _("{shown} is too short for a number in {country}; check for missing digits.").format(
        shown=shown, country=country
    )


def _parse_problem(error_type: int, shown: str, region: str | None) -> str:
    if error_type == NumberParseException.INVALID_COUNTRY_CODE:
        return _unknown_country_code(shown)
    if error_type == NumberParseException.TOO_SHORT_AFTER_IDD:
        text = _("{shown} has too few digits after the international prefix; check the number.")
    elif error_type == NumberParseException.TOO_SHORT_NSN:
        return _too_short(shown, region)
    elif error_type == NumberParseException.TOO_LONG:
        text = _("{shown} is too long to be a phone number; check for extra digits.")
    else:
        text = _("{shown} is not a phone number; type the digits to call, such as (208) 555-1234.")
    return text.format(shown=shown)


# Digits off by at most this many are counted in the sentence ("2 digits too many").
_MAX_COUNTED = 3


def _length_problem(reason: int, shown: str, number: PhoneNumber, abroad: str | None) -> str:
    """Why ``number`` has the wrong length; ``abroad``: the country whose exit code to suggest.

    A national reading names the rep's country, not the one its first digits happen to fit
    ("340000" with default US is too short for a United States number, not a Virgin Islands one).
    """
    region = abroad or _region_of(number)
    if reason == ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        return _("{shown} is missing its area code; add the area code and try again.").format(
            shown=shown
        )
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        return _unknown_country_code(shown)
    country = _country(region)
    exit_code = _exit_code(abroad) if abroad and country else ""
    off = _digits_off(number)
    if 0 < off <= _MAX_COUNTED:
        text = _too_many(off, country, exit_code)
    elif 0 < -off <= _MAX_COUNTED:
        text = _too_few(-off, country, exit_code)
    elif reason == ValidationResult.TOO_SHORT:
        return _too_short(shown, region)
    elif reason == ValidationResult.TOO_LONG and exit_code:
        text = _(
            "{shown} is too long for a number in {country}; for a number abroad, start with + "
            "or {exit_code}."
        )
    elif reason == ValidationResult.TOO_LONG and country:
        text = _("{shown} is too long for a number in {country}; check for extra digits.")
    elif reason == ValidationResult.TOO_LONG:
        text = _("{shown} is too long for a phone number; check for extra digits.")
    elif country:
        text = _(
            "{shown} has the wrong number of digits for a number in {country}; check the digits."
        )
    else:
        text = _("{shown} has the wrong number of digits for a phone number; check the digits.")
    return text.format(shown=shown, n=abs(off), country=country, exit_code=exit_code)


def _too_many(n: int, country: str | None, exit_code: str) -> str:
    """The sentence (to format) for ``n`` digits too many; ``exit_code``: say how to dial abroad."""
    if exit_code:
        return ngettext(
            "{shown} has one digit too many for a number in {country}; for a number abroad, "
            "start with + or {exit_code}.",
            "{shown} has {n} digits too many for a number in {country}; for a number abroad, "
            "start with + or {exit_code}.",
            n,
        )
    if country:
        return ngettext(
            "{shown} has one digit too many for a number in {country}; check the digits.",
            "{shown} has {n} digits too many for a number in {country}; check the digits.",
            n,
        )
    return ngettext(
        "{shown} has one digit too many for a phone number; check the digits.",
        "{shown} has {n} digits too many for a phone number; check the digits.",
        n,
    )


def _too_few(n: int, country: str | None, exit_code: str) -> str:
    """The sentence (to format) for ``n`` digits too few; ``exit_code``: say how to dial abroad."""
    if exit_code:
        return ngettext(
            "{shown} is one digit short of a number in {country}; check for missing digits, or "
            "for a number abroad, start with + or {exit_code}.",
            "{shown} is {n} digits short of a number in {country}; check for missing digits, or "
            "for a number abroad, start with + or {exit_code}.",
            n,
        )
    if country:
        return ngettext(
            "{shown} is one digit short of a number in {country}; check for missing digits.",
            "{shown} is {n} digits short of a number in {country}; check for missing digits.",
            n,
        )
    return ngettext(
        "{shown} is one digit short of a phone number; check for missing digits.",
        "{shown} is {n} digits short of a phone number; check for missing digits.",
        n,
    )


def _digits_off(number: PhoneNumber) -> int:
    """How many digits too many (positive) or too few (negative) the number has, where its
    country's numbers all have one length (10 in North America, 9 in France); else 0."""
    code = number.country_code or 0
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
        code, phonenumbers.region_code_for_country_code(code)
    )
    lengths = metadata.general_desc.possible_length if metadata and metadata.general_desc else ()
    if len(lengths) != 1:
        return 0  # "two digits short" of which length? The plain sentence says enough.
    return len(phonenumbers.national_significant_number(number)) - lengths[0]


def _country(region: str | None) -> str | None:
    """The name of ``region`` in the language in use; ``None`` when there is none to name."""
    return country_name(region) if region else None


def _region_of(number: PhoneNumber) -> str | None:
    """The number's country; the main country of its code when the digits fit none exactly."""
    region = phonenumbers.region_code_for_number(number)
    region = region or phonenumbers.region_code_for_country_code(number.country_code or 0)
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


def _e164(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _format(number: PhoneNumber, region: str, number_format: str, extensions: range) -> str:
    """``number`` as the PBX gets it; "+" and E.164 digits wherever the chosen format would read
    back as something else, such as an extension (Australia's +61 10000 is "10000" nationally)."""
    e164 = _e164(number)
    if number_format == "plus-e164" or len(e164) - 1 in extensions:
        return e164
    if number_format == "e164":
        return e164[1:]
    if number.country_code == phonenumbers.country_code_for_region(region):
        # Not format_out_of_country_calling_number: within North America it adds the leading 1.
        national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    else:
        national = phonenumbers.format_out_of_country_calling_number(number, region)
    dial = digits_only(national)
    with suppress(BadInput):
        if (
            not national.startswith("+")
            and len(dial) not in extensions
            and _e164(_read_group(dial, region)) == e164
        ):
            return dial
    # Nothing national reads back as this number: Brazil and Colombia choose an international
    # carrier per call, Hong Kong's "00 227..." reads as carrier prefix 002, the Isle of Man reads
    # "0800..." as its own. The PBX gets "+" and the E.164 digits.
    return e164
