"""Calling identity: which caller ID each call presents, and which phone may ring first."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest

from a1dialer.core.caller_ids import (
    CallerId,
    MyNumber,
    caller_id_choices,
    default_ring_choice,
    local_caller_id,
    pick_caller_id,
    ring_choice,
    ring_choices,
    ring_me_at_unavailable,
)
from a1dialer.core.errors import BadInput, LocalProblem
from a1dialer.core.numbers import parse_dial_input
from a1dialer.core.settings import Settings, load_settings, save_settings

COMPANY = [
    {"number": "+44 20 7946 0000", "name": "Acme UK"},
    {"number": "(212) 555-0100", "name": "Acme New York"},
    {"number": "208.555.0111", "name": "Acme Boise"},
    {"number": "+1 416 555 0100", "name": "Acme Toronto"},
]


def admin_allows(settings: Settings) -> Settings:
    """``settings`` as an admin's file allowing outside numbers makes them: the setting is
    admin-only (always locked), so a rep's own change is refused."""
    return replace(settings, allow_ring_me_at_external=True)


def rep(**changes: object) -> Settings:
    base = Settings(extension="1007", caller_id_number="12085550100", caller_id_name="Acme")
    return base.validated(**{"caller_ids": COMPANY, "local_presence": True, **changes})


def shown_for(settings: Settings, number: str) -> tuple[str, str]:
    chosen = local_caller_id(settings, parse_dial_input(number, settings.default_country))
    return chosen.number, chosen.name


# --- local presence ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dialled", "shown"),
    [
        # NANP: the same area code first, though New York is listed before Boise.
        ("(208) 555-1234", ("12085550111", "Acme Boise")),
        ("+1 212 555 7788", ("12125550100", "Acme New York")),
        # Another US area code: the first US number of the list.
        ("(312) 555-1234", ("12125550100", "Acme New York")),
        # Canada shares +1 but is its own country: Toronto's number, not a US one.
        ("+1 604 555 0123", ("14165550100", "Acme Toronto")),
        ("+44 161 496 0000", ("442079460000", "Acme UK")),
        # A country with no caller ID of its own: the default.
        ("+33 1 23 45 67 89", ("12085550100", "Acme")),
        # An internal extension: the default.
        ("1008", ("12085550100", "Acme")),
    ],
)
def test_local_presence_picks_the_destinations_area_then_country(
    dialled: str, shown: tuple[str, str]
) -> None:
    assert shown_for(rep(), dialled) == shown


def test_without_local_presence_every_call_shows_the_default() -> None:
    settings = rep(local_presence=False)
    assert shown_for(settings, "+44 161 496 0000") == ("12085550100", "Acme")


def test_caller_ids_are_sent_as_international_digits_or_with_plus() -> None:
    assert shown_for(rep(number_format="national"), "+44 161 496 0000")[0] == "442079460000"
    assert shown_for(rep(number_format="plus-e164"), "+44 161 496 0000")[0] == "+442079460000"


def test_national_caller_ids_are_read_in_the_default_country() -> None:
    settings = Settings(extension="1007", caller_id_number="442079460001").validated(
        default_country="GB", caller_ids=[{"number": "020 7946 0000", "name": "London"}]
    )
    assert [c.describe() for c in caller_id_choices(settings)] == [
        "+44 20 7946 0001",
        "+44 20 7946 0000, London",
    ]


# --- validation ----------------------------------------------------------------------------------


def test_each_bad_entry_gets_its_own_sentence() -> None:
    with pytest.raises(BadInput) as refused:
        Settings().validated(
            caller_ids=[
                {"number": "+44 20 7946 0000"},
                {"number": "+44 20 79", "name": "Short"},
                {"number": "1007", "name": "Desk"},
            ]
        )
    assert refused.value.sentence == (
        "Caller IDs entry 2: +44 20 79 is too short for a United Kingdom number; check for "
        "missing digits. Caller IDs entry 3: 1007 is an extension, not a phone number customers "
        "can call back."
    )


@pytest.mark.parametrize(
    ("entries", "sentence"),
    [
        ([{"nubmer": "+44 20 7946 0000"}], "Caller IDs entry 1 has the unknown key 'nubmer'"),
        ([{"name": "Acme"}], "Caller IDs entry 1 needs a number."),
        ([{"number": 442079460000}], "Caller IDs entry 1: number and name must be text."),
        (["+44 20 7946 0000"], "Caller IDs entry 1 must be a table with number and name."),
        ("+44 20 7946 0000", "Caller IDs must be a list of entries such as [[caller_ids]]."),
    ],
)
def test_the_shape_of_an_entry_is_checked(entries: object, sentence: str) -> None:
    with pytest.raises(BadInput, match=sentence.replace("[", r"\[").replace("]", r"\]")):
        Settings().validated(caller_ids=entries)


def test_admin_defaults_hold_caller_ids_and_a_bad_one_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    defaults = tmp_path / "defaults.toml"
    monkeypatch.setenv("A1DIALER_DEFAULTS", str(defaults))
    defaults.write_text(
        'caller_id_number = "12085550100"\nlocal_presence = true\n\n'
        '[[caller_ids]]\nnumber = "+44 20 7946 0000"\nname = "Acme UK"\n\n'
        '[[caller_ids]]\nnumber = "+1 (212) 555-0100"\n',
        encoding="utf-8",
    )
    loaded = load_settings(tmp_path / "settings.toml")
    assert loaded.caller_ids == (
        CallerId("+44 20 7946 0000", "Acme UK"),
        CallerId("+1 (212) 555-0100"),
    )
    assert loaded.local_presence
    defaults.write_text('[[caller_ids]]\nnumber = "+44 20 79"\n', encoding="utf-8")
    with pytest.raises(LocalProblem, match=f"^{defaults}: Caller IDs entry 1: "):
        load_settings(tmp_path / "settings.toml")


def test_entries_survive_a_save_and_load(tmp_path: Path) -> None:
    settings = rep(my_numbers=[{"number": "+1 208 555 0199", "label": "Mobile"}])
    path = save_settings(settings, tmp_path / "settings.toml")
    assert '{ number = "+44 20 7946 0000", name = "Acme UK" }' in path.read_text(encoding="utf-8")
    assert load_settings(path) == settings


# --- --caller-id ---------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["020 7946 0000", "+44 (0)20 7946 0000", "442079460000"])
def test_a_caller_id_from_the_list_is_picked_in_any_format(typed: str) -> None:
    settings = rep(default_country="GB")
    assert pick_caller_id(settings, typed).name == "Acme UK"


def test_the_default_caller_id_may_be_picked_too() -> None:
    assert pick_caller_id(rep(), "+1 208 555 0100").is_default


def test_a_number_not_in_the_list_is_refused() -> None:
    with pytest.raises(BadInput, match=r"^\+1 208 555 9999 is not one of your caller IDs \("):
        pick_caller_id(rep(), "+1 208 555 9999")


# --- ring me at ----------------------------------------------------------------------------------

MINE = [
    {"number": "+1 208 555 0199", "label": "Mobile"},
    {"number": "1099", "label": "Softphone"},
]


def test_outside_numbers_ring_first_only_when_the_admin_allows() -> None:
    settings = rep(my_numbers=MINE)
    assert [c.describe() for c in ring_choices(settings)] == ["Desk 1007", "Softphone 1099"]
    with pytest.raises(BadInput, match="Your administrator does not allow an outside number"):
        ring_choice(settings, "(208) 555-0199")
    allowed = admin_allows(settings)
    assert [c.describe() for c in ring_choices(allowed)] == [
        "Desk 1007",
        "Mobile +1 208-555-0199",
        "Softphone 1099",
    ]
    mobile = ring_choice(allowed, "(208) 555-0199")
    assert (mobile.src, mobile.logged) == ("12085550199", "12085550199")
    # Sent in the destinations' format.
    national = allowed.validated(number_format="national")
    assert ring_choice(national, "+1 208 555 0199").src == "2085550199"


def test_only_the_reps_own_numbers_may_ring_first() -> None:
    settings = admin_allows(rep(my_numbers=MINE))
    with pytest.raises(BadInput, match=r"^\+1 208-555-0177 is not one of your numbers"):
        ring_choice(settings, "+1 208 555 0177")
    desk = ring_choice(settings, "1007")
    assert (desk.src, desk.logged) == ("1007", "")


def test_a_ring_me_at_the_admin_no_longer_allows_falls_back_to_the_extension() -> None:
    settings = rep(my_numbers=MINE, ring_me_at="+1 208 555 0199")
    assert default_ring_choice(settings).src == "1007"
    assert "your extension 1007 rings first instead" in ring_me_at_unavailable(settings).lower()
    allowed = admin_allows(settings)
    assert default_ring_choice(allowed).src == "12085550199"
    assert ring_me_at_unavailable(allowed) == ""


def test_ring_me_at_must_be_one_of_my_numbers() -> None:
    with pytest.raises(BadInput, match="is not one of your numbers: add it to My numbers"):
        rep(my_numbers=MINE).validated(ring_me_at="+1 208 555 0177")


def test_a_reps_own_file_cannot_allow_outside_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    defaults = tmp_path / "defaults.toml"
    monkeypatch.setenv("A1DIALER_DEFAULTS", str(defaults))
    own = tmp_path / "settings.toml"
    own.write_text(
        'extension = "1007"\nallow_ring_me_at_external = true\n\n'
        '[[my_numbers]]\nnumber = "+1 208 555 0199"\nlabel = "Mobile"\n',
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        loaded = load_settings(own)
    assert not loaded.allow_ring_me_at_external
    assert loaded.my_numbers == (MyNumber("+1 208 555 0199", "Mobile"),)
    assert "allow_ring_me_at_external is set by your administrator; your value is ignored" in (
        caplog.text
    )
    defaults.write_text("allow_ring_me_at_external = true\n", encoding="utf-8")
    assert load_settings(own).allow_ring_me_at_external
    # Saving never copies the admin's permission into the rep's own file.
    save_settings(load_settings(own), own)
    assert "allow_ring_me_at_external" not in own.read_text(encoding="utf-8")


def test_a_ring_me_at_the_admin_took_out_of_my_numbers_still_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    defaults = tmp_path / "defaults.toml"
    monkeypatch.setenv("A1DIALER_DEFAULTS", str(defaults))
    own = tmp_path / "settings.toml"
    own.write_text('extension = "1007"\nring_me_at = "+1 208 555 0199"\n', encoding="utf-8")
    loaded = load_settings(own)
    assert default_ring_choice(loaded).src == "1007"
    assert ring_me_at_unavailable(loaded).startswith("+1 208-555-0199 is not one of your numbers")
