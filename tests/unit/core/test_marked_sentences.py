"""Sentences of core and pbx follow the language in use, whole, with their placeholders filled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from a1dialer.core import translation
from a1dialer.core.errors import BadInput
from a1dialer.core.numbers import parse_dial_input
from a1dialer.core.outcomes import STANDARD_OUTCOMES, outcome_label
from a1dialer.core.settings import Settings
from a1dialer.core.translation import use_language
from a1dialer.pbx.causes import cause_sentence

GERMAN = {
    ("outcome", "Busy"): "Besetzt",
    "{shown} is too short for a number in {country}; check for missing digits.": (
        "{shown} ist zu kurz für eine Nummer in {country}; fehlen Ziffern?"
    ),
    "Your extension": "Ihre Durchwahl",
    "{label} must be your extension's digits, for example 1007.": (
        "{label} besteht nur aus Ziffern, zum Beispiel 1007."
    ),
    "Your phone ({phone}) did not answer: pick it up when it rings, then call again.": (
        "Ihr Telefon ({phone}) hat nicht abgenommen: heben Sie ab, wenn es klingelt."
    ),
    "ext {extension}": "Durchwahl {extension}",
}


@pytest.fixture
def german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("A1DIALER_HOME", str(tmp_path / "profile"))
    monkeypatch.setattr(translation, "LOCALE_DIR", tmp_path / "locale")
    catalog = Catalog(locale="de", domain=translation.DOMAIN, fuzzy=False)
    for key, text in GERMAN.items():
        context, message = key if isinstance(key, tuple) else (None, key)
        catalog.add(message, text, context=context)
    path = tmp_path / "locale" / "de" / "LC_MESSAGES" / f"{translation.DOMAIN}.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as file:
        write_po(file, catalog)
    assert use_language("de") == "de"
    yield
    use_language("en")


@pytest.mark.usefixtures("german")
def test_standard_outcomes_are_shown_translated_and_custom_ones_as_the_team_wrote_them() -> None:
    assert "Busy" in STANDARD_OUTCOMES  # what the call log stores and the retry rules look up
    assert outcome_label("Busy") == "Besetzt"
    assert outcome_label("Busy line, try Tuesday") == "Busy line, try Tuesday"
    assert outcome_label("Voicemail") == "Voicemail"  # not in this catalog: English stands


@pytest.mark.usefixtures("german")
def test_a_refused_number_is_one_sentence_with_the_country_in_the_language_in_use() -> None:
    with pytest.raises(BadInput) as refused:
        parse_dial_input("555123", "US")
    assert refused.value.sentence == (
        "555123 ist zu kurz für eine Nummer in Vereinigte Staaten; fehlen Ziffern?"
    )


@pytest.mark.usefixtures("german")
def test_a_bad_setting_is_named_by_its_translated_label_inside_the_sentence() -> None:
    with pytest.raises(BadInput) as refused:
        Settings().validated(extension="10x7")
    assert refused.value.sentence == "Ihre Durchwahl besteht nur aus Ziffern, zum Beispiel 1007."
    assert Settings().missing_for_calls()[1] == "Ihre Durchwahl"


@pytest.mark.usefixtures("german")
def test_a_hang_up_cause_names_the_reps_phone_in_the_language_in_use() -> None:
    assert cause_sentence("NO_USER_RESPONSE", "1007") == (
        "Ihr Telefon (Durchwahl 1007) hat nicht abgenommen: heben Sie ab, wenn es klingelt."
    )


def test_english_sentences_are_unchanged_without_a_catalog() -> None:
    assert outcome_label("Busy") == "Busy"
    with pytest.raises(BadInput) as refused:
        Settings().validated(extension="10x7")
    assert (
        refused.value.sentence
        == "Your extension must be your extension's digits, for example 1007."
    )
