"""Pinned numbers: pin, rename, unpin, kept in the profile folder across restarts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from a1dialer.core.errors import BadInput, LocalProblem
from a1dialer.desktop.favorites import Favorite, Favorites


def test_nothing_is_pinned_in_a_new_profile(private_profile: Path) -> None:
    assert Favorites().pinned() == []
    assert not (private_profile / "favorites.json").exists()


def test_pinned_numbers_are_kept_in_the_profile_in_pin_order(private_profile: Path) -> None:
    favorites = Favorites()
    favorites.pin("+1 208 555 1234", "Acme front desk")
    favorites.pin("+44 20 7946 0123")

    reopened = Favorites()
    assert reopened.pinned() == [
        Favorite("+1 208 555 1234", "Acme front desk"),
        Favorite("+44 20 7946 0123", ""),
    ]
    data = json.loads((private_profile / "favorites.json").read_text(encoding="utf-8"))
    assert data["pinned"][0] == {"number": "+1 208 555 1234", "name": "Acme front desk"}
    assert [p.name for p in private_profile.iterdir() if p.name.startswith(".favorites-")] == []


def test_pinning_the_same_number_again_renames_it() -> None:
    favorites = Favorites()
    favorites.pin("+1 (208) 555-1234", "Acme")
    favorites.pin("+12085551234", "Acme purchasing")

    assert favorites.pinned() == [Favorite("+12085551234", "Acme purchasing")]
    assert favorites.is_pinned("+1 208-555-1234")


def test_unpin_forgets_the_number() -> None:
    favorites = Favorites()
    favorites.pin("+1 208 555 1234", "Acme")
    favorites.pin("1007", "Front desk")

    assert favorites.unpin("+1-208-555-1234")
    assert not favorites.unpin("+1-208-555-1234")
    assert favorites.pinned() == [Favorite("1007", "Front desk")]


def test_a_blank_number_cannot_be_pinned() -> None:
    with pytest.raises(BadInput, match="no phone number"):
        Favorites().pin("  ", "Nobody")


def test_a_damaged_file_is_reported_in_one_sentence(private_profile: Path) -> None:
    private_profile.mkdir(parents=True, exist_ok=True)
    (private_profile / "favorites.json").write_text("{not json", encoding="utf-8")

    with pytest.raises(LocalProblem, match=r"is damaged; .* delete the file"):
        Favorites().pinned()


def test_menu_label_shows_name_and_number() -> None:
    assert Favorite("+12085551234", "Acme").label() == "Acme \N{EM DASH} +12085551234"
    assert Favorite("1007").label() == "1007"
