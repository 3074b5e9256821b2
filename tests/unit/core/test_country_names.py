"""The English country names shown beside a number."""

from __future__ import annotations

import phonenumbers

from a1dialer.core.country_names import country_name


def test_every_country_phonenumbers_knows_has_an_english_name() -> None:
    assert [code for code in phonenumbers.SUPPORTED_REGIONS if not country_name(code)] == []
    assert country_name("gb") == "United Kingdom"
    assert country_name("ZZ") is None
