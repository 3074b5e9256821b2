"""The language choice and catalog loading, with catalogs written in the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from a1dialer.core import translation
from a1dialer.core.translation import _, language_for, ngettext, use_language


@pytest.fixture(autouse=True)
def _english_afterwards() -> object:
    yield
    use_language("en")


@pytest.mark.parametrize(
    ("setting", "preferred", "expected"),
    [
        ("auto", ["de_AT.UTF-8"], "de"),
        ("auto", ["nl_NL", "fr_CA"], "fr"),
        ("auto", ["nl_NL"], "en"),
        ("auto", ["C"], "en"),
        ("auto", ["sr_RS@latin"], "sr"),
        ("auto", ["pt-BR"], "pt"),
        ("ru", ["de_DE"], "ru"),
        ("en", ["de_DE"], "en"),
        ("klingon", ["de_DE"], "de"),
    ],
)
def test_the_setting_wins_then_the_first_shipped_system_language(
    setting: str, preferred: list[str], expected: str
) -> None:
    assert language_for(setting, preferred) == expected


def test_auto_reads_the_environment_like_gettext(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "it_IT.UTF-8")
    assert language_for("auto") == "it"
    monkeypatch.setenv("LANGUAGE", "nl:es")
    assert language_for("auto") == "es"


Entries = dict[str | tuple[str, str], str | tuple[str, ...]]


def _write_catalog(root: Path, language: str, entries: Entries) -> Path:
    catalog = Catalog(locale=language, domain=translation.DOMAIN, fuzzy=False)
    for message_id, string in entries.items():
        catalog.add(message_id, string)
    path = root / language / "LC_MESSAGES" / f"{translation.DOMAIN}.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as file:
        write_po(file, catalog)
    return path


def test_a_catalog_is_compiled_on_first_use_and_plurals_follow_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("A1DIALER_HOME", str(tmp_path / "profile"))
    monkeypatch.setattr(translation, "LOCALE_DIR", tmp_path / "locale")
    _write_catalog(
        tmp_path / "locale",
        "ru",
        {
            "Call": "Позвонить",
            ("{n} call", "{n} calls"): ("{n} звонок", "{n} звонка", "{n} звонков"),
        },
    )
    assert use_language("ru") == "ru"
    assert _("Call") == "Позвонить"
    said = [ngettext("{n} call", "{n} calls", n).format(n=n) for n in (1, 3, 5, 21, 112)]
    assert said == ["1 звонок", "3 звонка", "5 звонков", "21 звонок", "112 звонков"]
    assert (tmp_path / "profile" / "cache" / "locale" / "ru" / "a1dialer.mo").is_file()
    assert _("Not in the catalog") == "Not in the catalog"


def test_a_newer_catalog_is_compiled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setenv("A1DIALER_HOME", str(tmp_path / "profile"))
    monkeypatch.setattr(translation, "LOCALE_DIR", tmp_path / "locale")
    source = _write_catalog(tmp_path / "locale", "de", {"Call": "Anrufen"})
    use_language("de")
    assert _("Call") == "Anrufen"
    source.write_text(source.read_text().replace("Anrufen", "Wählen"))
    later = source.stat().st_mtime + 5
    os.utime(source, (later, later))
    use_language("de")
    assert _("Call") == "Wählen"


def test_a_missing_or_broken_catalog_falls_back_to_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("A1DIALER_HOME", str(tmp_path / "profile"))
    monkeypatch.setattr(translation, "LOCALE_DIR", tmp_path / "locale")
    assert use_language("fr") == "en"
    broken = tmp_path / "locale" / "it" / "LC_MESSAGES" / f"{translation.DOMAIN}.po"
    broken.parent.mkdir(parents=True)
    broken.write_text("this is not a catalog\n")
    assert use_language("it") == "en"
    assert _("Call") == "Call"
