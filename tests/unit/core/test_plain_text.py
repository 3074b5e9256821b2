"""Names and notes lose control and direction characters before the PBX or a terminal sees them."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from a1dialer.core.plain_text import CALLER_ID_NAME_LIMIT, caller_id_name, plain_text

DIRECTION_MARKS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def unsafe(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" or ch in DIRECTION_MARKS or ch in "\u2028\u2029"


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("\x1b[31mRed\x1b[0m", "[31mRed[0m"),
        ("Ana\nBo\tSilva\r", "Ana Bo Silva "),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),
        ("\u2067evil\u2069 Corp", "evil Corp"),
        ("NUL\x00 bell\x07 del\x7f c1\x9b", "NUL bell del c1"),
        ("José Núñez 東京 👩‍💼", "José Núñez 東京 👩‍💼"),  # letters and joined emoji stay
    ],
)
def test_controls_and_direction_overrides_are_removed(text: str, plain: str) -> None:
    assert plain_text(text) == plain


def test_a_long_name_is_cut_at_a_word() -> None:
    name = "Acme Industrial Supplies and Logistics International Holdings GmbH & Co KG"
    cut = caller_id_name(name)
    assert cut == "Acme Industrial Supplies and Logistics International Holdings"
    assert name.startswith(cut)
    assert len(cut) <= CALLER_ID_NAME_LIMIT


def test_one_endless_word_is_cut_at_the_limit() -> None:
    assert caller_id_name("A " + "x" * 100) == ("A " + "x" * 100)[:CALLER_ID_NAME_LIMIT]


def test_a_short_name_is_sent_as_typed() -> None:
    assert caller_id_name("  Zoë & Co #1 =x  ") == "  Zoë & Co #1 =x  "


@given(st.text(max_size=300))
def test_no_caller_id_name_is_unsafe_or_too_long(text: str) -> None:
    name = caller_id_name(text)
    assert len(name) <= CALLER_ID_NAME_LIMIT
    assert not any(unsafe(ch) for ch in name)
    assert not any(unsafe(ch) for ch in plain_text(text))
