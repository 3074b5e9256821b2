"""Settings: typed options, TOML round trip, admin defaults, refusals that lose nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from a1dialer.core.errors import BadInput, LocalProblem
from a1dialer.core.settings import (
    DEFAULTS_ENV,
    OPTIONS,
    RINGBACK_TONES,
    Settings,
    extension_lengths,
    load_settings,
    save_settings,
)


def test_every_option_is_a_settings_field_with_the_same_default() -> None:
    defaults = Settings()
    for option in OPTIONS:
        assert getattr(defaults, option.name) == option.default
    assert {o.name for o in OPTIONS} == set(defaults.as_dict())


def test_all_eight_ringback_tones_are_offered() -> None:
    assert sorted(RINGBACK_TONES) == sorted(
        ["us-ring", "fr-ring", "pt-ring", "uk-ring", "rs-ring", "ru-ring", "it-ring", "de-ring"]
    )


def test_round_trip_through_a_human_readable_file(tmp_path: Path) -> None:
    settings = Settings().validated(
        server="pbx.example.com",
        extension="1007",
        caller_id_number="12085550100",
        caller_id_name="Acme & Sons",
        default_country="gb",
        record=True,
    )
    path = save_settings(settings, tmp_path / "settings.toml")
    text = path.read_text(encoding="utf-8")
    assert 'server = "pbx.example.com"' in text
    settings_lines = [line for line in text.splitlines() if not line.startswith("#")]
    names = [line.split("=")[0].strip() for line in settings_lines if "=" in line]
    # No API key under any name ("hotkey" is the global key combination, not a secret).
    assert not [name for name in names if "key" in name and name != "hotkey"]
    loaded = load_settings(path)
    assert loaded == settings
    assert loaded.default_country == "GB"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"extension": "10a7"}, "Your extension must be"),
        ({"caller_id_number": "call me"}, "Caller-ID number must be"),
        ({"default_country": "XX"}, "two-letter country code"),
        ({"ringback": "jp-ring"}, "must be one of"),
        ({"number_format": "weird"}, "must be one of"),
        ({"auto_answer": "yes"}, "must be bool"),
        ({"recording_cache_mb": True}, "must be int"),
        ({"server": "ftp://pbx.example.com"}, "https://"),
        ({"ca_bundle": "/nonexistent/ca.pem"}, "does not exist"),
        ({"colour": "blue"}, "unknown setting"),
        ({"extension_digits": "7-3"}, "Extension lengths must be a number of digits or a range"),
        ({"extension_digits": "abc"}, "such as 2-5, shorter first, at most 10"),
        ({"extension_digits": 4}, "Extension lengths must be str"),
    ],
)
def test_bad_values_are_refused_with_a_reason(change: dict[str, object], fragment: str) -> None:
    with pytest.raises(BadInput, match=fragment):
        Settings().validated(**change)


def test_a_bad_file_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    original = 'extension = "10a7"\nserver = "pbx.example.com"\n'
    path.write_text(original, encoding="utf-8")
    with pytest.raises(LocalProblem, match=r"settings\.toml: Your extension must be"):
        load_settings(path)
    assert path.read_text(encoding="utf-8") == original


def test_a_corrupt_file_is_reported_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("server = [unclosed\n", encoding="utf-8")
    with pytest.raises(LocalProblem, match=r"not valid TOML.*fix or delete"):
        load_settings(path)


def test_admin_defaults_prefill_and_the_rep_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    defaults = tmp_path / "defaults.toml"
    defaults.write_text(
        'server = "pbx.team.example"\ncaller_id_number = "442079460000"\ndefault_country = "GB"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(DEFAULTS_ENV, str(defaults))
    user = tmp_path / "settings.toml"
    assert load_settings(user).server == "pbx.team.example"
    user.write_text('default_country = "IE"\n', encoding="utf-8")
    loaded = load_settings(user)
    assert (loaded.server, loaded.default_country) == ("pbx.team.example", "IE")
    assert defaults.read_text(encoding="utf-8").startswith('server = "pbx.team.example"')


def test_extension_digits_come_from_the_admin_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Settings().extension_digits == "2-5"
    assert extension_lengths("2-5") == (2, 5)
    assert extension_lengths("4") == (4, 4)
    defaults = tmp_path / "defaults.toml"
    defaults.write_text('extension_digits = " 3 - 6 "\n', encoding="utf-8")
    monkeypatch.setenv(DEFAULTS_ENV, str(defaults))
    assert load_settings(tmp_path / "settings.toml").extension_digits == "3 - 6"
    defaults.write_text('extension_digits = "7-3"\n', encoding="utf-8")
    with pytest.raises(LocalProblem) as refused:
        load_settings(tmp_path / "settings.toml")
    assert refused.value.sentence == (
        f"{defaults}: Extension lengths must be a number of digits or a range such as 2-5, "
        "shorter first, at most 10."
    )


def test_missing_for_calls_names_what_to_fill_in() -> None:
    assert Settings().missing_for_calls() == ["PBX server", "Your extension", "Caller-ID number"]
    ready = Settings(server="pbx.example.com", extension="1007", caller_id_number="12085550100")
    assert ready.missing_for_calls() == []


def test_save_is_atomic_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    save_settings(Settings(extension="1007"), path)
    save_settings(Settings(extension="1008"), path)
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]
    assert load_settings(path).extension == "1008"


@pytest.mark.parametrize(
    ("encoding", "warned"),
    [("utf-8", False), ("utf-8-sig", False), ("cp1252", True), ("utf-16", True)],
)
def test_files_windows_editors_save_are_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, encoding: str, warned: bool
) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes('caller_id_name = "Zoë’s Café"\nextension = "1007"\n'.encode(encoding))
    assert load_settings(path).caller_id_name == "Zoë’s Café"
    assert any("is not UTF-8" in record.getMessage() for record in caplog.records) is warned


def test_bytes_of_no_known_encoding_are_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(b'extension = "1007"\n\ncaller_id_name = "\x8d"\n')
    with pytest.raises(LocalProblem, match=r"\(line 3 is neither UTF-8 nor Windows-1252\)"):
        load_settings(path)


@pytest.mark.parametrize(
    ("typed", "country", "number_format", "stored"),
    [
        ("(208) 555-0100", "US", "e164", "12085550100"),
        ("+44 20 7946 0000", "US", "e164", "442079460000"),
        ("020 7946 0000", "GB", "e164", "442079460000"),
        ("208.555.0100", "US", "plus-e164", "+12085550100"),
        ("+1 (208) 555-0100", "US", "national", "2085550100"),
        ("12085550100", "US", "e164", "12085550100"),
        ("442079460000", "DE", "e164", "442079460000"),  # digits are kept as they are
        ("12", "US", "e164", "12"),
    ],
)
def test_a_caller_id_number_in_any_format_is_stored_as_numbers_are_dialled(
    typed: str, country: str, number_format: str, stored: str
) -> None:
    settings = Settings().validated(
        caller_id_number=typed, default_country=country, number_format=number_format
    )
    assert settings.caller_id_number == stored


@pytest.mark.parametrize("typed", ["call me", "208 555 0100 ask for Jo", "1", "+1 2+3", "9" * 16])
def test_a_caller_id_that_is_no_phone_number_is_refused(typed: str) -> None:
    with pytest.raises(BadInput, match="Caller-ID number must be a phone number, for example"):
        Settings().validated(caller_id_number=typed)


def test_a_hand_written_caller_id_in_the_admin_defaults_is_read_normalised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    defaults = tmp_path / "defaults.toml"
    defaults.write_text('caller_id_number = "(208) 555-0100"\n', encoding="utf-8")
    monkeypatch.setenv(DEFAULTS_ENV, str(defaults))
    assert load_settings(tmp_path / "settings.toml").caller_id_number == "12085550100"


def test_a_stored_caller_id_is_not_read_again_with_another_country(tmp_path: Path) -> None:
    settings = Settings().validated(caller_id_number="+44 20 7946 0000", default_country="DE")
    path = save_settings(settings, tmp_path / "settings.toml")
    loaded = load_settings(path)
    assert loaded.caller_id_number == "442079460000"
    assert loaded.validated(**loaded.as_dict()).caller_id_number == "442079460000"
