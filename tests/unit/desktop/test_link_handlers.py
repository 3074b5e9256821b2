"""Registering A1 Dialer for tel:/callto:/sip: links: desktop entry, mimeapps.list, registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from a1dialer.core.errors import LocalProblem
from a1dialer.desktop.link_handlers import (
    MIME_TYPES,
    RecordingRegistryWriter,
    exec_line,
    register_handlers,
    register_linux_handlers,
    register_windows_handlers,
    unregister_linux_handlers,
    unregister_windows_handlers,
)

EXECUTABLE = ["/opt/A1 Dialer/a1dialer"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throw-away HOME with its own XDG folders, and no xdg-mime on PATH (the direct write)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    return home


def entry_values(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


def test_desktop_entry_opens_links_with_the_clicked_url(home: Path) -> None:
    register_linux_handlers(EXECUTABLE)

    entry = entry_values(home / "data" / "applications" / "a1dialer.desktop")
    assert entry["MimeType"] == "x-scheme-handler/tel;x-scheme-handler/callto;x-scheme-handler/sip;"
    assert entry["Exec"] == '"/opt/A1 Dialer/a1dialer" %u'
    assert entry["Type"] == "Application"
    assert entry["Icon"] == "a1dialer"
    assert (home / "data" / "icons" / "hicolor" / "scalable" / "apps" / "a1dialer.svg").is_file()


def test_without_xdg_mime_the_defaults_are_written_to_mimeapps_list(home: Path) -> None:
    done = register_linux_handlers(EXECUTABLE)

    text = (home / "config" / "mimeapps.list").read_text(encoding="utf-8")
    assert text == (
        "[Default Applications]\n"
        "x-scheme-handler/tel=a1dialer.desktop;\n"
        "x-scheme-handler/callto=a1dialer.desktop;\n"
        "x-scheme-handler/sip=a1dialer.desktop;\n"
        "\n"
        "[Added Associations]\n"
        "x-scheme-handler/tel=a1dialer.desktop;\n"
        "x-scheme-handler/callto=a1dialer.desktop;\n"
        "x-scheme-handler/sip=a1dialer.desktop;\n"
    )
    assert any("mimeapps.list" in step for step in done)


def test_other_handlers_and_types_in_mimeapps_list_are_kept(home: Path) -> None:
    mimeapps = home / "config" / "mimeapps.list"
    mimeapps.parent.mkdir(parents=True)
    mimeapps.write_text(
        "# chosen by the rep\n"
        "[Default Applications]\n"
        "text/html=firefox.desktop;\n"
        "x-scheme-handler/tel=zoom.desktop;\n"
        "\n"
        "[Added Associations]\n"
        "x-scheme-handler/tel=zoom.desktop;\n",
        encoding="utf-8",
    )

    register_linux_handlers(EXECUTABLE)
    registered = mimeapps.read_text(encoding="utf-8")

    assert registered.startswith("# chosen by the rep\n[Default Applications]\n")
    assert "text/html=firefox.desktop;\n" in registered
    assert "x-scheme-handler/tel=a1dialer.desktop;\n" in registered.split("[Added")[0]
    assert "zoom.desktop" not in registered.split("[Added")[0]
    assert "x-scheme-handler/tel=a1dialer.desktop;zoom.desktop;\n" in registered

    unregister_linux_handlers()
    unregistered = mimeapps.read_text(encoding="utf-8")

    assert "a1dialer" not in unregistered
    assert "text/html=firefox.desktop;\n" in unregistered
    assert "x-scheme-handler/tel=zoom.desktop;\n" in unregistered


def test_registering_twice_writes_the_same_files(home: Path) -> None:
    register_linux_handlers(EXECUTABLE)
    first = (home / "config" / "mimeapps.list").read_text(encoding="utf-8")
    register_linux_handlers(EXECUTABLE)
    assert (home / "config" / "mimeapps.list").read_text(encoding="utf-8") == first


def test_unregister_removes_what_register_added(home: Path) -> None:
    register_linux_handlers(EXECUTABLE)
    unregister_linux_handlers()

    assert not (home / "data" / "applications" / "a1dialer.desktop").exists()
    assert "a1dialer" not in (home / "config" / "mimeapps.list").read_text(encoding="utf-8")
    assert unregister_linux_handlers() == [
        "A1 Dialer was not registered for tel:, callto:, sip: links."
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["/usr/bin/python3", "-m", "a1dialer"],
        ["/home/rep/My Apps/a1dialer"],
        ['/tmp/we"ird/$HOME/a1dialer'],
        ["/tmp/100%/a1dialer"],
    ],
)
def test_exec_line_survives_desktop_entry_unquoting(command: list[str]) -> None:
    assert split_exec(exec_line(command)) == command


def split_exec(value: str) -> list[str]:
    """The arguments a desktop reads from an Exec value (freedesktop Desktop Entry rules)."""
    value = value.replace("\\\\", "\\")  # first unescaped as a desktop-entry string
    args: list[str] = []
    current, quoted, index = "", False, 0
    while index < len(value):
        char = value[index]
        if quoted and char == "\\" and value[index + 1] in '"`$\\':
            current, index = current + value[index + 1], index + 2
            continue
        if char == '"':
            quoted = not quoted
        elif char == " " and not quoted:
            args.append(current)
            current = ""
        else:
            current += char
        index += 1
    args.append(current)
    return [arg.replace("%%", "%") for arg in args]


def test_windows_registration_points_each_scheme_and_default_apps_at_the_dialer() -> None:
    registry = RecordingRegistryWriter()
    register_windows_handlers([r"C:\Program Files\A1 Dialer\a1dialer.exe"], registry)

    command = r'"C:\Program Files\A1 Dialer\a1dialer.exe" "%1"'
    for scheme in ("tel", "callto", "sip"):
        key = rf"Software\Classes\{scheme}"
        assert registry.get_value(key, "URL Protocol") == ""
        assert registry.get_value(key, "") == f"URL:{scheme} Protocol"
        assert registry.get_value(key + r"\shell\open\command", "") == command
        assert (
            registry.get_value(r"Software\A1Dialer\Capabilities\URLAssociations", scheme)
            == "A1Dialer.Link"
        )
    assert registry.get_value(r"Software\Classes\A1Dialer.Link\shell\open\command", "") == command
    assert registry.get_value(r"Software\Classes\A1Dialer.Link", "URL Protocol") == ""
    assert registry.get_value(r"Software\A1Dialer\Capabilities", "ApplicationName") == "A1 Dialer"
    assert (
        registry.get_value(r"Software\RegisteredApplications", "A1 Dialer")
        == r"Software\A1Dialer\Capabilities"
    )


def test_windows_unregistration_leaves_schemes_another_app_took_over() -> None:
    registry = RecordingRegistryWriter()
    register_windows_handlers([r"C:\A1\a1dialer.exe"], registry)
    registry.set_value(r"Software\Classes\sip\shell\open\command", "", r'"C:\Softphone.exe" "%1"')

    unregister_windows_handlers(registry)

    assert registry.get_value(r"Software\Classes\tel\shell\open\command", "") is None
    assert registry.get_value(r"Software\Classes\sip\shell\open\command", "") == (
        r'"C:\Softphone.exe" "%1"'
    )
    assert registry.get_value(r"Software\RegisteredApplications", "A1 Dialer") is None
    assert registry.get_value(r"Software\A1Dialer\Capabilities", "ApplicationName") is None
    assert all("a1dialer" not in key for key in registry.values if registry.values[key])


def test_mime_types_are_the_three_link_schemes() -> None:
    assert MIME_TYPES == ("x-scheme-handler/tel", "x-scheme-handler/callto", "x-scheme-handler/sip")


def test_an_unwritable_data_folder_is_one_sentence(home: Path) -> None:
    (home / "data").write_text("a file where the folder should be", encoding="utf-8")

    with pytest.raises(
        LocalProblem, match=r"could not be registered for tel:, callto:, sip: links"
    ):
        register_handlers(EXECUTABLE)
