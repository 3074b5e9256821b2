"""The native messaging host's manifests per OS: files, folders, registry keys and the ids."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from a1dialer.desktop.browser_hosts import (
    BROWSERS,
    CHROME_EXTENSION_ID,
    FIREFOX_EXTENSION_ID,
    HOST_NAME,
    host_executable,
    install_host_manifests,
    manifest_paths,
    remove_host_manifests,
)
from a1dialer.desktop.link_handlers import (
    RecordingRegistryWriter,
    register_handlers,
    unregister_handlers,
)

REPO = Path(__file__).resolve().parents[3]
EXTENSION = REPO / "browser" / "extension"
HOST = Path("/opt/A1 Dialer/a1dialer-native-host")


def read(path: Path) -> dict[str, object]:
    content: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return content


def test_the_chrome_id_is_the_one_the_manifest_key_gives() -> None:
    # Chrome's id: the first 32 hex digits of the key's SHA-256, written with the letters a-p.
    key = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))["key"]
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    assert "".join(chr(ord("a") + int(c, 16)) for c in digest) == CHROME_EXTENSION_ID


def test_linux_manifests_go_where_each_browser_reads_them(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = install_host_manifests(HOST, platform="linux", home=home, env={})

    name = f"{HOST_NAME}.json"
    expected = {
        "Google Chrome": home / ".config/google-chrome/NativeMessagingHosts" / name,
        "Chromium": home / ".config/chromium/NativeMessagingHosts" / name,
        "Microsoft Edge": home / ".config/microsoft-edge/NativeMessagingHosts" / name,
        "Firefox": home / ".mozilla/native-messaging-hosts" / name,
    }
    assert manifest_paths("linux", home, {}) == expected
    for browser, path in expected.items():
        content = read(path)
        assert content["name"] == HOST_NAME
        assert content["path"] == str(HOST)
        assert content["type"] == "stdio"
        if browser == "Firefox":
            assert content["allowed_extensions"] == [FIREFOX_EXTENSION_ID]
            assert "allowed_origins" not in content
        else:
            assert content["allowed_origins"] == [f"chrome-extension://{CHROME_EXTENSION_ID}/"]
            assert "allowed_extensions" not in content
    assert "is missing" in done[0]  # /opt/A1 Dialer does not exist here: the rep is told


def test_linux_chrome_folders_follow_xdg_config_home(tmp_path: Path) -> None:
    paths = manifest_paths("linux", tmp_path, {"XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    assert paths["Chromium"].parent == tmp_path / "cfg/chromium/NativeMessagingHosts"
    assert paths["Firefox"].parent == tmp_path / ".mozilla/native-messaging-hosts"


def test_macos_manifests_go_to_application_support(tmp_path: Path) -> None:
    install_host_manifests(HOST, platform="darwin", home=tmp_path, env={})

    support = tmp_path / "Library/Application Support"
    for folder in (
        "Google/Chrome/NativeMessagingHosts",
        "Chromium/NativeMessagingHosts",
        "Microsoft Edge/NativeMessagingHosts",
        "Mozilla/NativeMessagingHosts",
    ):
        assert read(support / folder / f"{HOST_NAME}.json")["path"] == str(HOST)
    remove_host_manifests(platform="darwin", home=tmp_path, env={})
    assert not list(support.rglob("*.json"))


def test_windows_registry_keys_point_at_the_manifest_files(tmp_path: Path) -> None:
    registry = RecordingRegistryWriter()
    local = tmp_path / "Local"
    host = tmp_path / "a1dialer-native-host.exe"
    host.write_bytes(b"MZ")
    done = install_host_manifests(
        host, platform="win32", home=tmp_path, env={"LOCALAPPDATA": str(local)}, registry=registry
    )

    keys = {
        "Google Chrome": r"Software\Google\Chrome\NativeMessagingHosts",
        "Chromium": r"Software\Chromium\NativeMessagingHosts",
        "Microsoft Edge": r"Software\Microsoft\Edge\NativeMessagingHosts",
        "Firefox": r"Software\Mozilla\NativeMessagingHosts",
    }
    for browser, key in keys.items():
        manifest = registry.get_value(rf"{key}\{HOST_NAME}", "")
        assert manifest is not None
        assert Path(manifest).is_relative_to(local / "A1Dialer")
        content = read(Path(manifest))
        assert content["path"] == str(host)
        assert ("allowed_extensions" in content) == (browser == "Firefox")
    assert len(done) == 1  # the host exists: no warning

    registry.set_value(r"Software\Google\Chrome\NativeMessagingHosts\other.host", "", "x.json")
    assert remove_host_manifests(
        platform="win32", home=tmp_path, env={"LOCALAPPDATA": str(local)}, registry=registry
    )
    for key in keys.values():
        assert registry.get_value(rf"{key}\{HOST_NAME}", "") is None
    # Another app's host in the same folder is left alone.
    assert registry.get_value(r"Software\Google\Chrome\NativeMessagingHosts\other.host", "")
    assert not list(local.rglob("*.json"))


def test_removing_what_was_never_installed_says_nothing(tmp_path: Path) -> None:
    assert remove_host_manifests(platform="linux", home=tmp_path, env={}) == []


def test_the_host_is_beside_the_app_or_python() -> None:
    assert host_executable("linux", "/opt/a1dialer/a1dialer") == Path(
        "/opt/a1dialer/a1dialer-native-host"
    )
    assert host_executable("win32", r"C:\venv\Scripts\python.exe").name == (
        "a1dialer-native-host.exe"
    )


def test_register_handlers_installs_and_unregister_removes_the_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))

    done = register_handlers(["/opt/a1dialer/a1dialer"])

    paths = manifest_paths("linux", home, {"XDG_CONFIG_HOME": str(home / ".config")})
    assert set(paths) == set(BROWSERS)
    assert all(path.is_file() for path in paths.values())
    assert any("browser helper" in step for step in done)
    undone = unregister_handlers()
    assert not any(path.exists() for path in paths.values())
    assert any("Removed the browser helper" in step for step in undone)
