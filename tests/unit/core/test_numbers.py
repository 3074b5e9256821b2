"""Phone numbers: what reps paste or click becomes what the PBX dials, or one sentence why not."""

from __future__ import annotations

import contextlib
import re

import phonenumbers
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat

from a1dialer.core import settings as dialer_settings
from a1dialer.core.errors import BadInput
from a1dialer.core.numbers import (
    MAX_INPUT_LENGTH,
    NUMBER_FORMATS,
    DialTarget,
    digits_only,
    looks_like_phone_number,
    parse_dial_input,
    parse_phone_uri,
)

# What reps paste, the default country, the E.164 digits sent to the PBX, the extension hint.
PASTED = [
    ("(208) 555-1234", "US", "12085551234", None),
    ("208.555.1234", "US", "12085551234", None),
    ("208-555-1234", "US", "12085551234", None),
    ("2085551234", "US", "12085551234", None),
    ("12085551234", "US", "12085551234", None),
    ("1 (208) 555-1234", "US", "12085551234", None),
    ("+1 208 555 1234", "US", "12085551234", None),
    ("+1.208.555.1234", "US", "12085551234", None),
    ("+1 (208) 555-1234", "GB", "12085551234", None),
    ("  +1 208 555 1234\n", "US", "12085551234", None),
    ("1-800-FLOWERS", "US", "18003569377", None),
    ("1 800 FLOWERS", "US", "18003569377", None),
    ("1-800-GOT-JUNK", "US", "18004685865", None),
    ("+44 20 7946 0123", "US", "442079460123", None),
    ("+44 (0)20 7946 0123", "US", "442079460123", None),
    ("020 7946 0123", "GB", "442079460123", None),
    ("07700 900123", "GB", "447700900123", None),
    ("0049 30 1234567", "DE", "49301234567", None),
    ("030/1234567", "DE", "49301234567", None),
    ("011 44 20 7946 0123", "US", "442079460123", None),
    ("00 44 20 7946 0123", "US", "442079460123", None),  # 00 is international everywhere
    ("0041 22 123 45 67", "BR", "41221234567", None),  # though Brazil's 00 wants a carrier
    ("(416) 555-1234", "US", "14165551234", None),  # Canada: the same calling code
    ("01534 123456", "GB", "441534123456", None),  # Jersey: the same calling code
    ("447700900123", "GB", "447700900123", None),
    ("4915123456789", "DE", "4915123456789", None),
    ("01 23 45 67 89", "FR", "33123456789", None),
    ("+800 1234 5678", "US", "80012345678", None),
    ("tel:+1-208-555-1234", "US", "12085551234", None),
    ("TEL:+1.208.555.1234", "US", "12085551234", None),
    ("tel:+1-208-555-1234;ext=55", "US", "12085551234", "55"),
    ("tel:7946-0123;phone-context=+44-20", "US", "442079460123", None),
    ("tel:+1-208-555-1234;isub=1411;foo=bar", "US", "12085551234", None),
    ("tel:%2B12085551234", "US", "12085551234", None),
    ("tel:%2B1%20208%20555%201234", "US", "12085551234", None),
    ("callto:+12085551234", "US", "12085551234", None),
    ("callto://+12085551234", "US", "12085551234", None),
    ("callto://+12085551234/", "US", "12085551234", None),
    ("sip:+12085551234@pbx.example.com;user=phone", "US", "12085551234", None),
    ("sips:+12085551234@pbx.example.com", "US", "12085551234", None),
    ("Tel: +1 (208) 555-1234 (mobile)", "US", "12085551234", None),
    ("Mobile: 208-555-1234", "US", "12085551234", None),
    ("208-555-1234 (cell)", "US", "12085551234", None),
    ("208 555 1234 mobile", "US", "12085551234", None),
    ("Call me at 208-555-1234 tomorrow", "US", "12085551234", None),
    ("+1 208 555 1234 x 12", "US", "12085551234", "12"),
    ("+1 208 555 1234 ext. 12 (office)", "US", "12085551234", "12"),
    ("2085551234x12", "US", "12085551234", "12"),
    ("+1\u00a0208\u2013555\u20111234", "US", "12085551234", None),
    ("\u202a+1 208 555 1234\u202c", "US", "12085551234", None),
    ("\uff0b\uff11 208 555 1234", "US", "12085551234", None),
]


@pytest.mark.parametrize(("text", "country", "dial", "hint"), PASTED)
def test_pasted_formats_dial_the_number(text: str, country: str, dial: str, hint: str) -> None:
    target = parse_dial_input(text, country)
    assert target.dial == dial
    assert target.extension_hint == hint
    assert not target.is_extension


@pytest.mark.parametrize(
    ("text", "dial"),
    [
        ("1007", "1007"),
        ("100", "100"),
        ("12", "12"),
        ("12345", "12345"),
        ("*97", "*97"),
        ("**1007", "**1007"),
        ("Ext. 1007", "1007"),
        ("sip:1007@pbx.example.com", "1007"),
        ("tel:1007;phone-context=pbx.example.com", "1007"),
    ],
)
def test_extensions_and_feature_codes_pass_through(text: str, dial: str) -> None:
    for country in ("US", "GB", "NU"):  # Niue's own numbers are 4 digits: still an extension
        target = parse_dial_input(text, country, "plus-e164")
        assert (target.dial, target.display, target.is_extension) == (dial, dial, True)
        assert target.region is None
        assert target.region_name is None


@pytest.mark.parametrize(
    ("extension_digits", "text", "extension"),
    [
        ("2-5", "12", True),
        ("2-5", "12345", True),
        ("2-5", "555123", False),
        ("3-6", "555123", True),
        ("3-6", "12", False),
        ("4", "1007", True),
        ("4", "100", False),
        (" 3 - 7 ", "5551234", True),
    ],
)
def test_extension_digits_say_which_digit_strings_are_extensions(
    extension_digits: str, text: str, extension: bool
) -> None:
    if not extension:
        with pytest.raises(BadInput, match="too short for a number in United States"):
            parse_dial_input(text, "US", extension_digits=extension_digits)
        return
    target = parse_dial_input(text, "US", extension_digits=extension_digits)
    assert target.is_extension
    assert target.dial == text.strip()


def test_a_number_with_separators_is_never_an_extension() -> None:
    with pytest.raises(BadInput, match="too short for a number in United States"):
        parse_dial_input("555-12", "US", extension_digits="2-6")


@pytest.mark.parametrize("value", ["7-3", "abc", "0", "0-4", "2-11", "", "2-5-7", "-5"])
def test_a_bad_extension_digits_value_is_refused_in_one_sentence(value: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_dial_input("1007", "US", extension_digits=value)
    assert caught.value.sentence == (
        "Extension lengths must be a number of digits or a range such as 2-5, shorter first, "
        "at most 10."
    )


def test_looks_like_phone_number_follows_extension_digits() -> None:
    assert looks_like_phone_number("5551234", "NU") is False  # not a Niue number
    assert looks_like_phone_number("(208) 555-12345") is False
    assert looks_like_phone_number("2085551234") is True
    assert looks_like_phone_number("2085551234", extension_digits="2-10") is False


def test_a_number_is_never_sent_in_a_form_the_pbx_would_take_for_an_extension() -> None:
    # Australia's 5-digit +61 10000 is "10000" in national format: an extension by its length.
    assert parse_dial_input("010000", "AU", "national").dial == "+6110000"
    assert parse_dial_input("010000", "AU", "national", extension_digits="3-4").dial == "10000"
    assert parse_dial_input("+683 4002", "US", "e164").dial == "6834002"
    assert parse_dial_input("+683 4002", "US", "e164", extension_digits="2-8").dial == "+6834002"


def test_a_country_picked_for_the_call_reads_national_digits_and_dials_from_home() -> None:
    dials = [
        parse_dial_input("020 7946 0123", "US", fmt, country="GB").dial for fmt in NUMBER_FORMATS
    ]
    assert dials == ["442079460123", "+442079460123", "011442079460123"]
    target = parse_dial_input("(208) 555-1234", "GB", country="us")
    assert (target.dial, target.region) == ("12085551234", "US")
    assert parse_dial_input("+49 30 1234567", "US", country="GB").dial == "49301234567"
    with pytest.raises(BadInput, match="020 7946 0123 has one digit too many for a number in"):
        parse_dial_input("020 7946 0123", "US")
    with pytest.raises(BadInput, match="two-letter country code"):
        parse_dial_input("020 7946 0123", "US", country="XX")


@pytest.mark.parametrize(
    ("text", "country", "e164", "plus", "national"),
    [
        ("(208) 555-1234", "US", "12085551234", "+12085551234", "2085551234"),
        ("020 7946 0123", "GB", "442079460123", "+442079460123", "02079460123"),
        ("+44 20 7946 0123", "US", "442079460123", "+442079460123", "011442079460123"),
        ("+1 208 555 1234", "GB", "12085551234", "+12085551234", "0012085551234"),
        ("0049 30 1234567", "DE", "49301234567", "+49301234567", "0301234567"),
        ("+39 06 1234 5678", "IT", "390612345678", "+390612345678", "0612345678"),
        ("+1 416 555 0123", "US", "14165550123", "+14165550123", "4165550123"),
        ("1-800-FLOWERS", "US", "18003569377", "+18003569377", "8003569377"),
        # Brazil picks an international carrier per call: no prefix to use, so "+" it is.
        ("+44 20 7946 0123", "BR", "442079460123", "+442079460123", "+442079460123"),
    ],
)
def test_each_number_format(text: str, country: str, e164: str, plus: str, national: str) -> None:
    dials = [parse_dial_input(text, country, fmt).dial for fmt in NUMBER_FORMATS]
    assert dials == [e164, plus, national]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Type or paste a phone number"),
        ("  \t ", "Type or paste a phone number"),
        ("hello", "letters are only allowed in numbers such as 1-800-FLOWERS"),
        ("5", "5 is not a phone number"),
        ("555123", "555123 is too short for a number in United States"),
        ("123456", "123456 is too short for a number in United States"),
        ("12 34", "12 34 is too short for a number in United States"),
        (
            "(208) 555-12345",
            "(208) 555-12345 has one digit too many for a number in United States; for a number "
            "abroad, start with + or 011.",
        ),
        ("208 555 12345", "has one digit too many for a number in United States"),
        ("1 208 555 12345", "has one digit too many for a number in United States"),
        ("442079460123", "442079460123 has 2 digits too many for a number in United States"),
        ("20855512", "20855512 is 2 digits short of a number in United States"),
        ("0044 20 7946", "0044 20 7946 is too short for a number in United Kingdom"),
        ("+999 123", "+999 123 does not start with a known country code"),
        ("9" * 300, "too long to be a phone number"),
        ("+" + "9" * 60, "country code"),
        ("4" * 60, "too long"),
        ("+1 208 555 123", "+1 208 555 123 is one digit short of a number in United States"),
        ("+1 208 555 12345", "has one digit too many for a number in United States; check the"),
        ("+44 20 7946", "too short for a number in United Kingdom"),
        ("+1 123 456 7890", "cannot be a number in United States"),
        ("1-800-FLOWER", "cannot be a number in United States; check the digits, or for a number"),
        ("555-1234", "missing its area code"),
        ("208-555-1234 or 208-555-9999", "more than one number"),
        ("sip:alice@example.com", "has no phone number in it"),
        ("sip:pbx.example.com", "has no phone number in it"),
        ("callto:skype.user", "has no phone number in it"),
        ("tel:", "has no phone number in it"),
        ("*1234567", "is not a feature code"),
        ("()", "has no digits to dial"),
    ],
)
def test_impossible_input_is_refused_in_one_sentence(text: str, fragment: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_dial_input(text, "US")
    assert fragment in caught.value.sentence
    assert caught.value.sentence.count(". ") == 0  # one sentence
    assert len(caught.value.sentence) < 200


def test_overlong_input_is_refused_before_any_parsing() -> None:
    with pytest.raises(BadInput, match=f"{MAX_INPUT_LENGTH + 1} characters"):
        parse_dial_input("1" * (MAX_INPUT_LENGTH + 1))
    with pytest.raises(BadInput, match="too long"):
        parse_phone_uri("tel:" + "1" * MAX_INPUT_LENGTH)


def test_bad_settings_are_refused_as_bad_input() -> None:
    with pytest.raises(BadInput, match="two-letter country code"):
        parse_dial_input("2085551234", "XX")
    with pytest.raises(BadInput, match="e164, plus-e164, national"):
        parse_dial_input("2085551234", "US", "international")
    assert parse_dial_input("020 7946 0123", " gb ").region == "GB"


def test_number_formats_are_the_settings_choices() -> None:
    assert (
        NUMBER_FORMATS == ("e164", "plus-e164", "national") == tuple(dialer_settings.NUMBER_FORMATS)
    )


def test_the_rep_reads_where_the_call_goes() -> None:
    target = parse_dial_input("tel:+1-208-555-1234;ext=12", "GB")
    assert target == DialTarget(
        dial="12085551234",
        display="+1 208-555-1234",
        region="US",
        region_name="United States",
        is_extension=False,
        extension_hint="12",
    )
    assert target.digits == "12085551234"
    assert target.describe() == (
        "Will dial +1 208-555-1234, United States, then ask for extension 12"
    )
    assert parse_dial_input("+44 20 7946 0123").describe() == (
        "Will dial +44 20 7946 0123, United Kingdom"
    )
    assert parse_dial_input("1007").describe() == "Will dial extension 1007"
    assert parse_dial_input("*97").describe() == "Will dial feature code *97"
    assert parse_dial_input("+800 1234 5678").describe() == "Will dial +800 1234 5678"
    assert parse_dial_input("+1 208 555 1234", number_format="plus-e164").digits == "12085551234"


@pytest.mark.parametrize(
    ("uri", "text"),
    [
        ("tel:+1-208-555-1234", "+1-208-555-1234"),
        ("tel:+1-208-555-1234;ext=55", "+1-208-555-1234 ext. 55"),
        ("tel:7946-0123;phone-context=+44-20", "+4420 7946-0123"),
        ("tel:1007;phone-context=example.com", "1007"),
        ("tel:%2B12085551234", "+12085551234"),
        ("callto://+12085551234", "+12085551234"),
        ("sip:+12085551234@pbx.example.com;user=phone", "+12085551234"),
        ("sip:1007:secret@pbx.example.com", "1007"),
        ("sip:+12085551234", "+12085551234"),
    ],
)
def test_phone_links_give_the_plain_number(uri: str, text: str) -> None:
    assert parse_phone_uri(uri) == text


def test_a_text_that_is_no_link_is_refused() -> None:
    with pytest.raises(BadInput, match="not a tel:, callto: or sip: link"):
        parse_phone_uri("https://example.com/call/12085551234")


def test_digits_only_for_call_log_search() -> None:
    assert digits_only("+1 (208) 555-1234") == "12085551234"
    assert digits_only("\uff11\uff12 \u0663") == "123"  # full-width and Arabic-Indic digits
    assert digits_only("no digits") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+1 208 555 1234", True),
        ("Call Jo on (208) 555-1234", True),
        ("1-800-FLOWERS", True),
        ("tel:+442079460123", True),
        ("1007", False),
        ("2024", False),
        ("Meeting moved to 3pm", False),
        ("", False),
        ("x" * 10_000, False),
    ],
)
def test_clipboard_offers_a_call_only_for_a_phone_number(text: str, expected: bool) -> None:
    assert looks_like_phone_number(text) is expected


def test_clipboard_check_never_raises_even_for_a_bad_country() -> None:
    assert looks_like_phone_number("+1 208 555 1234", "XX") is False


# --- properties -----------------------------------------------------------------------------------

REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
EXAMPLE_NUMBERS = [
    number
    for region in REGIONS
    for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE)
    if (number := phonenumbers.example_number_for_type(region, kind)) is not None
]
LAYOUTS = (
    PhoneNumberFormat.E164,
    PhoneNumberFormat.INTERNATIONAL,
    PhoneNumberFormat.NATIONAL,
    PhoneNumberFormat.RFC3966,
)

phone_like_text = st.one_of(
    st.builds(
        phonenumbers.format_number, st.sampled_from(EXAMPLE_NUMBERS), st.sampled_from(LAYOUTS)
    ),
    st.from_regex(r"(\+|00|011|0)?[0-9]{6,15}", fullmatch=True),
    st.from_regex(r"\+?[0-9 ().\-]{3,25}( ?(x|ext\.?) ?[0-9]{1,4})?", fullmatch=True),
)
any_text = st.one_of(
    st.text(max_size=MAX_INPUT_LENGTH + 20),
    st.text(alphabet="0123456789+-() .*#xX;=:/%@", max_size=40),
    st.builds(
        str.__add__,
        st.sampled_from(["tel:", "TEL:", "callto://", "sip:", "sips:", "Tel: ", "tel:+", "sip:+"]),
        st.text(max_size=40),
    ),
    phone_like_text,
)
IS_POSSIBLE = phonenumbers.ValidationResult.IS_POSSIBLE
DIAL_SHAPE = re.compile(r"\+?[0-9]{2,20}|\*{1,2}[0-9]{1,6}")  # national: IDD + E.164
FAST = settings(max_examples=300, deadline=None)


def _read(text: str, region: str, number_format: str) -> DialTarget | None:
    try:
        return parse_dial_input(text, region, number_format)
    except BadInput:
        return None


@FAST
@given(any_text, st.sampled_from(REGIONS), st.sampled_from(NUMBER_FORMATS))
def test_any_text_is_dialled_or_refused_with_bad_input(text: str, region: str, fmt: str) -> None:
    target = _read(text, region, fmt)  # anything but BadInput fails the test
    looks_like_phone_number(text, region)
    with contextlib.suppress(BadInput):
        parse_phone_uri(text)
    if target is None:
        return
    assert DIAL_SHAPE.fullmatch(target.dial), target
    assert target.digits == target.dial.removeprefix("+")
    assert target.describe().startswith("Will dial ")
    if target.is_extension:
        assert target.region is None
    elif fmt == "plus-e164":
        assert target.dial.startswith("+")
    elif fmt == "e164":
        assert target.dial.isdigit()


@FAST
@given(phone_like_text, st.sampled_from(REGIONS), st.sampled_from(["plus-e164", "national"]))
def test_plus_and_national_dials_read_back_as_themselves(text: str, region: str, fmt: str) -> None:
    target = _read(text, region, fmt)
    if target is not None:
        assert parse_dial_input(target.dial, region, fmt).dial == target.dial


@FAST
@given(phone_like_text, st.sampled_from(REGIONS))
def test_e164_digits_read_back_as_themselves_or_are_refused(text: str, region: str) -> None:
    target = _read(text, region, "e164")
    if target is None or target.is_extension:
        return
    again = _read(target.dial, region, "e164")
    if again is None or again.dial == target.dial:
        return  # a number abroad without its "+" is refused, never dialled elsewhere
    # The documented ambiguity: E.164 digits without "+" that are also a national number, where
    # the national reading wins. Never for a number at home that only the E.164 reading makes valid.
    national = phonenumbers.parse(target.dial, region)
    assert again.dial == phonenumbers.format_number(national, PhoneNumberFormat.E164)[1:]
    assert national.country_code == phonenumbers.country_code_for_region(region)
    number = phonenumbers.parse("+" + target.dial)
    if number.country_code == phonenumbers.country_code_for_region(region):
        assert phonenumbers.is_valid_number(national) or not phonenumbers.is_valid_number(number)


# Default countries for the properties below: North America, the UK and its islands, countries with
# a trunk prefix, without one (IT), with an exit code other than 00 (US, AU, JP, RU, BR, KR).
HOME_REGIONS = ["US", "CA", "GB", "JE", "DE", "FR", "IT", "AU", "JP", "RU", "BR", "KR", "IN", "NU"]


def _international_start(digits: str, region: str) -> bool:
    """Whether digits start like a number abroad: "00" or the region's own exit code."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    pattern = metadata.international_prefix if metadata else None
    return digits.startswith("00") or bool(pattern and re.match(pattern, digits))


national_text = st.one_of(
    # Other countries' numbers as written at home: the digits a rep copies from a foreign page.
    st.builds(
        phonenumbers.format_number,
        st.sampled_from(EXAMPLE_NUMBERS),
        st.just(PhoneNumberFormat.NATIONAL),
    ),
    # Other countries' numbers without their "+": E.164 digits with or without separators.
    st.builds(
        lambda number, sep: sep.join(
            phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)[1:].split()
        ),
        st.sampled_from(EXAMPLE_NUMBERS),
        st.sampled_from([" ", "", "-", "."]),
    ),
    st.from_regex(r"\(?[0-9]{1,4}\)?([ .\-/]?[0-9]{1,5}){1,5}", fullmatch=True),
)


@FAST
@given(
    national_text,
    st.sampled_from(HOME_REGIONS),
    st.sampled_from(["", *HOME_REGIONS]),
    st.sampled_from(NUMBER_FORMATS),
)
def test_a_number_without_international_prefix_stays_in_its_country(
    text: str, home: str, picked: str, fmt: str
) -> None:
    country = picked or home  # the country picked for the call, else the default
    assume(not _international_start(digits_only(text), country))
    try:
        target = parse_dial_input(text, home, fmt, country=picked)
    except BadInput:
        return
    if target.is_extension:
        return
    number = phonenumbers.parse(target.display)
    assert number.country_code == phonenumbers.country_code_for_region(country), (text, target)
    if fmt != "e164":  # what is sent is that number, as dialled from home (e164: see above)
        assert parse_dial_input(target.dial, home, fmt).display == target.display


@FAST
@given(
    st.from_regex(r"[0-9]{1,17}", fullmatch=True),
    st.sampled_from(HOME_REGIONS),
    st.sampled_from(NUMBER_FORMATS),
    st.sampled_from(["2-5", "3-6", "4"]),
)
def test_every_digit_string_previews_what_is_dialled_or_is_refused(
    digits: str, region: str, fmt: str, extension_digits: str
) -> None:
    try:  # anything but BadInput fails the test
        target = parse_dial_input(digits, region, fmt, extension_digits=extension_digits)
    except BadInput as refused:
        sentence = refused.sentence
    else:
        sentence = ""
    if sentence:
        assert sentence.replace("U.S. ", "").count(". ") == 0  # one sentence
        return
    preview = target.describe()
    if target.is_extension:
        assert target.dial == digits
        assert preview == f"Will dial extension {digits}"
        return
    assert preview.startswith(f"Will dial {target.display}")
    shown = phonenumbers.format_number(phonenumbers.parse(target.display), PhoneNumberFormat.E164)
    if fmt == "national":
        # The national form of the number shown: read back, it is that number again.
        again = parse_dial_input(target.dial, region, fmt, extension_digits=extension_digits)
        assert again.dial == target.dial
        assert again.display == target.display
        return
    # "+" in the e164 format only where the digits alone would be taken for an extension.
    shortest, longest = dialer_settings.extension_lengths(extension_digits)
    with_plus = fmt == "plus-e164" or shortest <= len(shown) - 1 <= longest
    assert target.dial == (shown if with_plus else shown[1:])
    if fmt == "e164" and target.region != region and not with_plus:
        # E.164 digits without "+" of a number abroad may read as a number at home or be refused
        # (the module's rules); what is fed back is the display, which reads as this number.
        again = parse_dial_input(target.display, region, fmt, extension_digits=extension_digits)
        assert again.dial == target.dial
        return
    again = parse_dial_input(target.dial, region, fmt, extension_digits=extension_digits)
    if fmt == "plus-e164" or again.dial == target.dial:
        assert again.dial == target.dial
        return
    # e164 digits of a number at home that are also another assigned number of it (see above):
    # read back, they are that other number, a valid one. Digits that are no assigned number
    # either way (Brazil's "801000000") are not promised to read back; validity breaks ties only.
    original_valid = phonenumbers.is_valid_number(phonenumbers.parse(target.display))
    assert phonenumbers.is_valid_number(phonenumbers.parse(again.display)) or not original_valid


@pytest.mark.parametrize("region", ["US", "GB", "DE", "FR", "AU", "IN", "CA", "NL", "ES", "JP"])
def test_e164_digits_of_numbers_at_home_read_back_as_themselves(region: str) -> None:
    for kind in range(11):  # every number type the region has an example for
        number = phonenumbers.example_number_for_type(region, kind)
        if number is None or phonenumbers.is_possible_number_with_reason(number) != IS_POSSIBLE:
            continue  # a number possible only locally, such as Canada's 310-XXXX service numbers
        text = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        target = parse_dial_input(text, region, "e164")
        if target.is_extension:
            continue  # short numbers such as Dutch 14020 are dialled as typed
        assert target.dial == phonenumbers.format_number(number, PhoneNumberFormat.E164)[1:]
        assert parse_dial_input(target.dial, region, "e164").dial == target.dial
