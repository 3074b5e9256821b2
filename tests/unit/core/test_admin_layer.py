"""Admin-locked settings, defaults that reach reps who saved, and the OS policy readers."""

from __future__ import annotations

import plistlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from a1dialer.core.admin_layer import load_admin_layer
from a1dialer.core.admin_policy import (
    REG_DWORD,
    REG_EXPAND_SZ,
    REG_MULTI_SZ,
    REG_SZ,
    WINDOWS_POLICY_KEY,
    ManagedPreferencesReader,
    NoPolicy,
    WindowsPolicyReader,
    managed_preferences_files,
)
from a1dialer.core.errors import BadInput, LocalProblem
from a1dialer.core.settings import (
    DEFAULTS_ENV,
    OPTIONS,
    OPTIONS_BY_NAME,
    Settings,
    load_settings,
    save_settings,
)

SECRET_HOOK = "https://crm.example.com/calls?token=s3cr3t-t0ken&phone={number}"


class FakeRegistry:
    """``HKEY_LOCAL_MACHINE`` as a dict: key -> [(name, data, type)]."""

    def __init__(self, keys: dict[str, list[tuple[str, Any, int]]]) -> None:
        self.keys = {key.lower(): values for key, values in keys.items()}
        self.asked: list[str] = []

    def values(self, key: str) -> list[tuple[str, Any, int]] | None:
        self.asked.append(key)
        return self.keys.get(key.lower())


@pytest.fixture
def admin_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "defaults.toml"
    monkeypatch.setenv(DEFAULTS_ENV, str(path))
    return path


@pytest.fixture
def rep_file(tmp_path: Path) -> Path:
    return tmp_path / "settings.toml"


# Always locked, admin or not: only the admin's files may set them.
ADMIN_ONLY = frozenset(option.name for option in OPTIONS if option.admin_only)


def test_a_locked_setting_takes_the_admins_value_and_the_reps_is_ignored_with_a_warning(
    admin_file: Path, rep_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    admin_file.write_text(
        'server = "pbx.team.example"\n'
        f'hook_call_placed_url = "{SECRET_HOOK}"\n'
        'locked = ["server", "hook_call_placed_url"]\n',
        encoding="utf-8",
    )
    rep_file.write_text(
        'server = "pbx.mine.example"\nextension = "1007"\n'
        'hook_call_placed_url = "https://evil.example/?n={number}&token=r3p-s3cret"\n',
        encoding="utf-8",
    )

    settings = load_settings(rep_file, policy=NoPolicy())

    assert settings.server == "pbx.team.example"
    assert settings.hook_call_placed_url == SECRET_HOOK
    assert settings.extension == "1007"
    assert settings.is_locked("server")
    assert not settings.is_locked("extension")
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert f"{rep_file}: server is set by your administrator; your value is ignored." in warnings
    assert any("hook_call_placed_url is set by your administrator" in w for w in warnings)
    everything = caplog.text
    assert "r3p-s3cret" not in everything
    assert "s3cr3t" not in everything
    assert "pbx.mine.example" not in everything


def test_unknown_names_in_locked_are_a_warning_naming_them(
    admin_file: Path, rep_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    admin_file.write_text('locked = ["record", "colour", "Server"]\n', encoding="utf-8")
    settings = load_settings(rep_file, policy=NoPolicy())
    assert settings.is_locked("record")
    assert not settings.is_locked("server")
    assert f"{admin_file}: locked names settings that do not exist; ignored: Server, colour" in [
        r.getMessage() for r in caplog.records
    ]


def test_a_locked_name_without_a_value_locks_the_built_in_default(
    admin_file: Path, rep_file: Path
) -> None:
    admin_file.write_text('locked = ["allow_insecure_http"]\n', encoding="utf-8")
    rep_file.write_text("allow_insecure_http = true\n", encoding="utf-8")
    assert load_settings(rep_file, policy=NoPolicy()).allow_insecure_http is False


@pytest.mark.parametrize("locked", ['"server"', "[1, 2]", "{ server = true }"])
def test_locked_must_be_a_list_of_names(admin_file: Path, rep_file: Path, locked: str) -> None:
    admin_file.write_text(f"locked = {locked}\n", encoding="utf-8")
    with pytest.raises(LocalProblem) as refused:
        load_settings(rep_file, policy=NoPolicy())
    assert refused.value.sentence == (
        f'{admin_file}: locked must be a list of setting names, such as ["server"].'
    )


def test_locked_belongs_to_the_admin_file_only(admin_file: Path, rep_file: Path) -> None:
    rep_file.write_text('locked = ["server"]\n', encoding="utf-8")
    with pytest.raises(LocalProblem, match="unknown setting 'locked'"):
        load_settings(rep_file, policy=NoPolicy())


def test_changing_a_locked_setting_is_refused_naming_it(admin_file: Path, rep_file: Path) -> None:
    admin_file.write_text('caller_id_number = "442079460000"\nlocked = ["caller_id_number"]\n')
    settings = load_settings(rep_file, policy=NoPolicy())
    with pytest.raises(BadInput) as refused:
        settings.validated(extension="1007", caller_id_number="12085550100")
    assert refused.value.sentence == "caller_id_number is set by your administrator."
    # The same value is no change; the lock survives every copy.
    same = settings.validated(caller_id_number=" 442079460000 ", extension="1007")
    assert same.is_locked("caller_id_number")
    assert same.extension == "1007"


def test_an_admin_only_setting_never_comes_from_the_rep(
    admin_file: Path,
    rep_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Any setting can be declared admin-only; this one stands in for such a declaration.
    option = replace(OPTIONS_BY_NAME["allow_insecure_http"], admin_only=True)
    monkeypatch.setitem(OPTIONS_BY_NAME, "allow_insecure_http", option)
    rep_file.write_text("allow_insecure_http = true\n", encoding="utf-8")
    assert load_settings(rep_file, policy=NoPolicy()).allow_insecure_http is False
    assert "allow_insecure_http is set by your administrator" in caplog.text
    with pytest.raises(BadInput, match="allow_insecure_http is set by your administrator"):
        Settings().validated(allow_insecure_http=True)
    admin_file.write_text("allow_insecure_http = true\n", encoding="utf-8")
    assert load_settings(rep_file, policy=NoPolicy()).allow_insecure_http is True


def test_save_keeps_only_what_the_rep_changed_so_admin_changes_reach_them(
    admin_file: Path, rep_file: Path
) -> None:
    admin_file.write_text('ringback = "uk-ring"\ndefault_country = "GB"\n', encoding="utf-8")
    settings = load_settings(rep_file, policy=NoPolicy())
    save_settings(settings.validated(extension="1007", default_country="IE"), rep_file)
    saved = rep_file.read_text(encoding="utf-8")
    assert 'extension = "1007"' in saved
    assert 'default_country = "IE"' in saved
    assert "ringback" not in saved
    assert "record" not in saved

    # The admin changes both defaults: the new ringback reaches the rep, their country stays.
    admin_file.write_text('ringback = "de-ring"\ndefault_country = "FR"\n', encoding="utf-8")
    loaded = load_settings(rep_file, policy=NoPolicy())
    assert (loaded.ringback, loaded.default_country, loaded.extension) == ("de-ring", "IE", "1007")
    assert loaded.is_admin_default("ringback")
    assert not loaded.is_admin_default("default_country")


def test_a_rep_who_picks_the_built_in_value_over_the_admins_keeps_it(
    admin_file: Path, rep_file: Path
) -> None:
    admin_file.write_text('ringback = "uk-ring"\n', encoding="utf-8")
    settings = load_settings(rep_file, policy=NoPolicy())
    save_settings(settings.validated(ringback="us-ring"), rep_file)
    admin_file.write_text('ringback = "fr-ring"\n', encoding="utf-8")
    assert load_settings(rep_file, policy=NoPolicy()).ringback == "us-ring"


def test_a_file_from_an_earlier_version_keeps_working_and_slims_down_on_save(
    admin_file: Path, rep_file: Path
) -> None:
    # Earlier versions wrote every option; such a file is read as it is.
    import tomli_w

    admin_file.write_text('ringback = "uk-ring"\n', encoding="utf-8")
    everything = Settings(extension="1007", ringback="uk-ring").as_dict()
    rep_file.write_text(tomli_w.dumps(everything), encoding="utf-8")
    before = load_settings(rep_file, policy=NoPolicy())
    assert before.as_dict() == everything

    save_settings(before, rep_file)
    after = load_settings(rep_file, policy=NoPolicy())
    assert after == before
    assert 'extension = "1007"' in rep_file.read_text(encoding="utf-8")
    admin_file.write_text('ringback = "it-ring"\n', encoding="utf-8")
    assert load_settings(rep_file, policy=NoPolicy()).ringback == "it-ring"


def test_a_locked_setting_is_never_written(admin_file: Path, rep_file: Path) -> None:
    admin_file.write_text('server = "pbx.team.example"\nlocked = ["server", "record"]\n')
    settings = load_settings(rep_file, policy=NoPolicy())
    save_settings(settings.validated(extension="1007"), rep_file)
    text = rep_file.read_text(encoding="utf-8")
    assert "server" not in text
    assert "record" not in text


def test_windows_policy_overrides_the_defaults_file_and_both_lock(
    admin_file: Path, rep_file: Path
) -> None:
    admin_file.write_text(
        'server = "pbx.file.example"\nringback = "uk-ring"\nlocked = ["ringback"]\n',
        encoding="utf-8",
    )
    registry = FakeRegistry(
        {
            WINDOWS_POLICY_KEY: [
                ("server", "pbx.policy.example", REG_SZ),
                ("record", 1, REG_DWORD),
                ("recording_cache_mb", 50, REG_DWORD),
                ("custom_outcomes", ["Demo booked", "Sent quote"], REG_MULTI_SZ),
                ("locked", ["server", "record"], REG_MULTI_SZ),
            ]
        }
    )
    rep_file.write_text('server = "pbx.mine.example"\nringback = "fr-ring"\n', encoding="utf-8")

    settings = load_settings(rep_file, policy=WindowsPolicyReader(registry))

    assert registry.asked == [r"Software\Policies\A1Dialer"]
    assert settings.server == "pbx.policy.example"
    assert (settings.record, settings.recording_cache_mb) == (True, 50)
    assert settings.custom_outcomes == ("Demo booked", "Sent quote")
    assert settings.ringback == "uk-ring"
    assert {"server", "record", "ringback"} <= settings.admin.locked
    assert settings.admin.sources == (
        str(admin_file),
        r"HKEY_LOCAL_MACHINE\Software\Policies\A1Dialer",
    )


def test_windows_policy_takes_toml_in_a_string_and_skips_unknown_names(
    admin_file: Path, rep_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    registry = FakeRegistry(
        {
            WINDOWS_POLICY_KEY.upper(): [
                ("locked", '["default_country", "extension_digits"]', REG_SZ),
                ("allow_insecure_http", "true", REG_SZ),
                ("custom_outcomes", '["Demo booked"]', REG_SZ),
                ("default_country", "gb", REG_SZ),
                ("FutureSetting", 7, REG_DWORD),
            ]
        }
    )
    settings = load_settings(rep_file, policy=WindowsPolicyReader(registry))
    assert settings.allow_insecure_http is True
    assert settings.custom_outcomes == ("Demo booked",)
    assert settings.default_country == "GB"
    assert settings.is_locked("default_country")
    assert settings.is_locked("extension_digits")
    assert "settings that do not exist; ignored: FutureSetting" in caplog.text


def test_windows_policy_expands_variables_and_ignores_the_unnamed_value(
    rep_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "ca" / "team-ca.pem"
    bundle.parent.mkdir()
    bundle.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    monkeypatch.setenv("TEAMDATA", str(tmp_path))
    registry = FakeRegistry(
        {
            WINDOWS_POLICY_KEY: [
                ("", "set by an installer", REG_SZ),
                ("ca_bundle", "%TEAMDATA%/ca/team-ca.pem", REG_EXPAND_SZ),
                ("hotkey", "%NOT_A_VARIABLE_HERE%", REG_SZ),
            ]
        }
    )
    policies = WindowsPolicyReader(registry).read()
    assert set(policies[0].values) == {"ca_bundle", "hotkey"}
    with pytest.raises(LocalProblem, match="Global hotkey must be a modifier"):
        load_settings(rep_file, policy=WindowsPolicyReader(registry))
    registry.keys[WINDOWS_POLICY_KEY.lower()].pop()
    assert load_settings(rep_file, policy=WindowsPolicyReader(registry)).ca_bundle == str(bundle)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (("record", 2, REG_DWORD), "Record calls must be bool, not 2."),
        (("record", "yes", REG_SZ), "Record calls must be bool, not 'yes'."),
        (("extension", "10a7", REG_SZ), "Your extension must be your extension's digits"),
        (("locked", "server", REG_SZ), "locked must be a list of setting names"),
    ],
)
def test_a_bad_windows_policy_value_names_the_registry_key(
    rep_file: Path, value: tuple[str, Any, int], fragment: str
) -> None:
    registry = FakeRegistry({WINDOWS_POLICY_KEY: [value]})
    with pytest.raises(LocalProblem) as refused:
        load_settings(rep_file, policy=WindowsPolicyReader(registry))
    assert refused.value.sentence.startswith(r"HKEY_LOCAL_MACHINE\Software\Policies\A1Dialer: ")
    assert fragment in refused.value.sentence


def test_no_policy_key_is_no_policy(rep_file: Path) -> None:
    settings = load_settings(rep_file, policy=WindowsPolicyReader(FakeRegistry({})))
    assert settings == Settings()
    assert settings.admin.locked == ADMIN_ONLY


def test_macos_managed_preferences_for_the_computer_then_the_user(
    admin_file: Path, rep_file: Path, tmp_path: Path
) -> None:
    admin_file.write_text('server = "pbx.file.example"\n', encoding="utf-8")
    computer = tmp_path / "Managed Preferences" / "com.a1dialer.plist"
    user = tmp_path / "Managed Preferences" / "jo" / "com.a1dialer.plist"
    user.parent.mkdir(parents=True)
    computer.write_bytes(
        plistlib.dumps(
            {
                "server": "pbx.policy.example",
                "ringback": "uk-ring",
                "custom_outcomes": ["Demo booked"],
                "locked": ["server"],
            }
        )
    )
    user.write_bytes(
        plistlib.dumps(
            {"ringback": "de-ring", "record": True, "locked": ["record"]}, fmt=plistlib.FMT_BINARY
        )
    )
    rep_file.write_text('server = "pbx.mine.example"\nrecord = false\n', encoding="utf-8")

    settings = load_settings(rep_file, policy=ManagedPreferencesReader([computer, user]))

    assert (settings.server, settings.ringback, settings.record) == (
        "pbx.policy.example",
        "de-ring",
        True,
    )
    assert settings.custom_outcomes == ("Demo booked",)
    assert {"server", "record"} <= settings.admin.locked
    assert managed_preferences_files("jo") == [
        Path("/Library/Managed Preferences/com.a1dialer.plist"),
        Path("/Library/Managed Preferences/jo/com.a1dialer.plist"),
    ]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"not a plist", "is not a property list A1 Dialer can read"),
        (plistlib.dumps(["server"]), "does not hold settings by name"),
    ],
)
def test_a_broken_managed_preferences_file_is_one_sentence(
    rep_file: Path, tmp_path: Path, content: bytes, fragment: str
) -> None:
    path = tmp_path / "com.a1dialer.plist"
    path.write_bytes(content)
    with pytest.raises(LocalProblem, match=fragment):
        load_settings(rep_file, policy=ManagedPreferencesReader([path]))


def test_the_admin_layer_without_any_admin_is_empty(tmp_path: Path) -> None:
    layer = load_admin_layer(ManagedPreferencesReader([tmp_path / "none.plist"]))
    assert (dict(layer.values), layer.locked, layer.sources) == ({}, ADMIN_ONLY, ())
