"""The native messaging host's manifests, which let the browser extension start our host.

Chrome, Chromium and Edge read a manifest naming the host's executable and the extension ids
allowed to start it (``allowed_origins``); Firefox reads the same with ``allowed_extensions``.
On Linux and macOS each browser looks in its own per-user folder; on Windows each reads a
per-user registry key whose default value is the manifest file's path.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from a1dialer import APP_NAME
from a1dialer.core.translation import _

if TYPE_CHECKING:
    from a1dialer.desktop.link_handlers import RegistryWriter

HOST_NAME = "com.a1dialer.native"
HOST_EXECUTABLE = "a1dialer-native-host"
# The id Chrome, Chromium and Edge give the extension loaded from browser/extension or installed
# by policy from a package signed with its key: derived from the public key in its manifest
# (tests/unit/desktop/test_browser_hosts.py checks the two agree).
CHROME_EXTENSION_ID = "clbhdpbjpeammigjebfidmcfcjdohcbd"
# Every id the host answers: the Chrome Web Store and Edge Add-ons give a listing an id of their
# own at its first upload (packaging/build_extension.py leaves the key out), added here then.
CHROME_EXTENSION_IDS = (CHROME_EXTENSION_ID,)
FIREFOX_EXTENSION_ID = "click-to-call@a1dialer.app"

CHROMIUM_BROWSERS = ("Google Chrome", "Chromium", "Microsoft Edge")
FIREFOX = "Firefox"
BROWSERS = (*CHROMIUM_BROWSERS, FIREFOX)

_LINUX_FOLDERS = {
    "Google Chrome": ".config/google-chrome",
    "Chromium": ".config/chromium",
    "Microsoft Edge": ".config/microsoft-edge",
}
_MACOS_FOLDERS = {
    "Google Chrome": "Google/Chrome/NativeMessagingHosts",
    "Chromium": "Chromium/NativeMessagingHosts",
    "Microsoft Edge": "Microsoft Edge/NativeMessagingHosts",
    FIREFOX: "Mozilla/NativeMessagingHosts",
}
_WINDOWS_KEYS = {
    "Google Chrome": r"Software\Google\Chrome\NativeMessagingHosts",
    "Chromium": r"Software\Chromium\NativeMessagingHosts",
    "Microsoft Edge": r"Software\Microsoft\Edge\NativeMessagingHosts",
    FIREFOX: r"Software\Mozilla\NativeMessagingHosts",
}


def manifest(browser: str, host: Path) -> dict[str, object]:
    """The host manifest ``browser`` reads, for the host executable ``host``."""
    text: dict[str, object] = {
        "name": HOST_NAME,
        "description": f"{APP_NAME}: numbers from the browser extension to the desktop app",
        "path": str(host),
        "type": "stdio",
    }
    if browser == FIREFOX:
        text["allowed_extensions"] = [FIREFOX_EXTENSION_ID]
    else:
        text["allowed_origins"] = [f"chrome-extension://{id_}/" for id_ in CHROME_EXTENSION_IDS]
    return text


def manifest_paths(platform: str, home: Path, env: Mapping[str, str]) -> dict[str, Path]:
    """Where each browser reads this user's host manifest (Linux, macOS), or where we keep the
    files the registry points at (Windows)."""
    name = f"{HOST_NAME}.json"
    if platform == "win32":
        folder = _windows_folder(home, env) / "NativeMessagingHosts"
        return {
            browser: folder / ("firefox" if browser == FIREFOX else "chromium") / name
            for browser in BROWSERS
        }
    if platform == "darwin":
        support = home / "Library" / "Application Support"
        return {browser: support / _MACOS_FOLDERS[browser] / name for browser in BROWSERS}
    config = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home / ".config"
    paths = {
        browser: config / folder.removeprefix(".config/") / "NativeMessagingHosts" / name
        for browser, folder in _LINUX_FOLDERS.items()
    }
    paths[FIREFOX] = home / ".mozilla" / "native-messaging-hosts" / name
    return paths


def _windows_folder(home: Path, env: Mapping[str, str]) -> Path:
    local = env.get("LOCALAPPDATA")
    return (Path(local) if local else home / "AppData" / "Local") / "A1Dialer"


def host_executable(platform: str = sys.platform, executable: str = sys.executable) -> Path:
    """The host beside this copy: the packaged console executable beside the app's, or the
    console script that installing the package put beside Python."""
    suffix = ".exe" if platform == "win32" else ""
    return Path(executable).with_name(HOST_EXECUTABLE + suffix)


def install_host_manifests(
    host: Path,
    *,
    platform: str = sys.platform,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
    registry: RegistryWriter | None = None,
) -> list[str]:
    """Write every browser's host manifest (and on Windows its registry key); one sentence per
    step done."""
    home = Path.home() if home is None else home
    env = os.environ if env is None else env
    paths = manifest_paths(platform, home, env)
    done: list[str] = []
    if not host.exists():
        done.append(
            _(
                "The browser helper {host} is missing; reinstall {app} for the browser "
                "extension to reach it."
            ).format(host=host, app=APP_NAME)
        )
    for browser, path in paths.items():
        _write_json(path, manifest(browser, host))
    if platform == "win32":
        if registry is None:
            from a1dialer.desktop.link_handlers import windows_registry

            registry = windows_registry()
        for browser, key in _WINDOWS_KEYS.items():
            registry.set_value(rf"{key}\{HOST_NAME}", "", str(paths[browser]))
    done.append(
        _(
            "Installed the browser helper for {browsers}; the {app} browser extension can now "
            "reach the app."
        ).format(browsers=", ".join(BROWSERS), app=APP_NAME)
    )
    return done


def remove_host_manifests(
    *,
    platform: str = sys.platform,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
    registry: RegistryWriter | None = None,
) -> list[str]:
    """Undo ``install_host_manifests``; a sentence when something was removed."""
    home = Path.home() if home is None else home
    env = os.environ if env is None else env
    removed = False
    for path in manifest_paths(platform, home, env).values():
        if path.exists():
            path.unlink()
            removed = True
    if platform == "win32":
        if registry is None:
            from a1dialer.desktop.link_handlers import windows_registry

            registry = windows_registry()
        for key in _WINDOWS_KEYS.values():
            if registry.get_value(rf"{key}\{HOST_NAME}", "") is not None:
                registry.delete_tree(rf"{key}\{HOST_NAME}")
                removed = True
    if not removed:
        return []
    return [_("Removed the browser helper from {browsers}.").format(browsers=", ".join(BROWSERS))]


def _write_json(path: Path, content: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)
