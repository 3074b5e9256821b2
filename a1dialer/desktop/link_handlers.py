"""Make A1 Dialer the handler for tel:, callto: and sip: links, and the browser extension's host."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from a1dialer import APP_ID, APP_NAME
from a1dialer.core import paths
from a1dialer.core.errors import LocalProblem
from a1dialer.core.translation import N_, _

SCHEMES = ("tel", "callto", "sip")
DESKTOP_FILE = f"{APP_ID}.desktop"
MIME_TYPES = tuple(f"x-scheme-handler/{scheme}" for scheme in SCHEMES)

# Windows: one ProgID our schemes point at, and the Capabilities key Default Apps lists.
WINDOWS_PROG_ID = "A1Dialer.Link"
WINDOWS_APP_KEY = r"Software\A1Dialer"
WINDOWS_CAPABILITIES = WINDOWS_APP_KEY + r"\Capabilities"
WINDOWS_REGISTERED_APPS = r"Software\RegisteredApplications"

MACOS_NOTE = N_(
    "On macOS the app bundle's Info.plist declares tel:, callto: and sip: links "
    "(CFBundleURLTypes); there is nothing to register."
)


def app_command() -> list[str]:
    """How to start this copy: the packaged executable, or Python running the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", APP_ID]


class RegistryWriter(Protocol):
    """The few HKEY_CURRENT_USER operations the Windows integration needs (keys are relative)."""

    def set_value(self, key: str, name: str, value: str) -> None:
        """Create ``key`` if needed and set string value ``name`` ("" is the default value)."""

    def get_value(self, key: str, name: str) -> str | None:
        """The string value, or None when the key or value does not exist."""

    def delete_value(self, key: str, name: str) -> None:
        """Remove one value; nothing happens when it is missing."""

    def delete_tree(self, key: str) -> None:
        """Remove ``key`` with every subkey; nothing happens when it is missing."""


class RecordingRegistryWriter:
    """An in-memory registry: what would be written, for previews and tests on any system."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str, str]] = {}

    def set_value(self, key: str, name: str, value: str) -> None:
        self.values.setdefault(key.lower(), {})[name] = value

    def get_value(self, key: str, name: str) -> str | None:
        return self.values.get(key.lower(), {}).get(name)

    def delete_value(self, key: str, name: str) -> None:
        self.values.get(key.lower(), {}).pop(name, None)

    def delete_tree(self, key: str) -> None:
        prefix = key.lower() + "\\"
        for existing in [k for k in self.values if k == key.lower() or k.startswith(prefix)]:
            del self.values[existing]


def windows_registry() -> RegistryWriter:
    """The current user's real registry (Windows only)."""
    if sys.platform == "win32":
        return _WindowsRegistry()
    raise LocalProblem(_("The Windows registry exists only on Windows."))


if sys.platform == "win32":
    import winreg

    class _WindowsRegistry:
        def set_value(self, key: str, name: str, value: str) -> None:
            with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_WRITE) as handle:
                winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, value)

        def get_value(self, key: str, name: str) -> str | None:
            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
                    value, _kind = winreg.QueryValueEx(handle, name)
            except OSError:
                return None
            return str(value)

        def delete_value(self, key: str, name: str) -> None:
            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_WRITE) as h:
                    winreg.DeleteValue(h, name)
            except OSError:
                pass

        def delete_tree(self, key: str) -> None:
            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_ALL_ACCESS) as h:
                    while True:
                        try:
                            child = winreg.EnumKey(h, 0)
                        except OSError:
                            break
                        self.delete_tree(key + "\\" + child)
                winreg.DeleteKey(winreg.HKEY_CURRENT_USER, key)
            except OSError:
                pass


def register_handlers(executable: Sequence[str]) -> list[str]:
    """Make ``executable`` the handler for tel:/callto:/sip: links; one sentence per step done."""
    from a1dialer.desktop.browser_hosts import host_executable, install_host_manifests

    try:
        if sys.platform == "win32":
            done = register_windows_handlers(executable, windows_registry())
        elif sys.platform == "darwin":
            done = [_(MACOS_NOTE)]
        else:
            done = register_linux_handlers(executable)
        # The browser extension reaches the app through the same registration.
        return done + install_host_manifests(host_executable())
    except (OSError, subprocess.SubprocessError) as exc:
        raise LocalProblem(
            # Translators: {links} is "tel:, callto:, sip:".
            _(
                "{app} could not be registered for {links} links; check that you may write "
                "to your home folder and try again."
            ).format(app=APP_NAME, links=_links()),
            str(exc),
        ) from exc


def unregister_handlers() -> list[str]:
    """Undo ``register_handlers``; links go back to whatever the desktop picks next."""
    from a1dialer.desktop.browser_hosts import remove_host_manifests

    try:
        if sys.platform == "win32":
            done = unregister_windows_handlers(windows_registry())
        elif sys.platform == "darwin":
            done = [_(MACOS_NOTE)]
        else:
            done = unregister_linux_handlers()
        return done + remove_host_manifests()
    except OSError as exc:
        raise LocalProblem(
            _(
                "{app} could not be removed as the handler for {links} links; check that "
                "you may write to your home folder and try again."
            ).format(app=APP_NAME, links=_links()),
            str(exc),
        ) from exc


# --- Linux and other freedesktop systems ---------------------------------------------------------


def xdg_data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def xdg_config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def desktop_file_path() -> Path:
    return xdg_data_home() / "applications" / DESKTOP_FILE


def icon_file_path() -> Path:
    return xdg_data_home() / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def mimeapps_path() -> Path:
    return xdg_config_home() / "mimeapps.list"


def exec_line(command: Sequence[str]) -> str:
    """``command`` quoted for a desktop entry's Exec key (freedesktop quoting rules)."""
    return " ".join(_exec_quote(arg) for arg in command)


def _exec_quote(arg: str) -> str:
    arg = arg.replace("%", "%%")
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`="):
        quoted = arg
    else:
        for special in ("\\", '"', "`", "$"):
            arg = arg.replace(special, "\\" + special)
        quoted = f'"{arg}"'
    # The value is a desktop-entry string too, so its backslashes are escaped once more.
    return quoted.replace("\\", "\\\\")


def desktop_entry(exec_value: str, *, extra_lines: Sequence[str] = ()) -> str:
    """A freedesktop desktop entry whose Exec key is ``exec_value`` (see ``exec_line``)."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        f"Name={APP_NAME}",
        "GenericName=Click-to-call dialer",
        "Comment=Call customers through your A1PBX phone",
        f"Exec={exec_value}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Office;Telephony;",
        *extra_lines,
    ]
    return "\n".join(lines) + "\n"


def register_linux_handlers(executable: Sequence[str]) -> list[str]:
    """Install the desktop entry and icon, then make it the default for the three link types."""
    done: list[str] = []
    # %u is the desktop's placeholder for the clicked link, so it stays unquoted.
    entry = desktop_entry(
        exec_line(executable) + " %u",
        extra_lines=["MimeType=" + "".join(f"{mime};" for mime in MIME_TYPES)],
    )
    _write_text(desktop_file_path(), entry)
    done.append(_("Wrote the desktop entry {path}.").format(path=desktop_file_path()))
    icon_source = paths.RESOURCES / "icons" / "app.svg"
    if icon_source.is_file():
        icon_file_path().parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(icon_source, icon_file_path())
        done.append(_("Installed the icon {path}.").format(path=icon_file_path()))
    xdg_mime = shutil.which("xdg-mime")
    if xdg_mime:
        for mime in MIME_TYPES:
            subprocess.run([xdg_mime, "default", DESKTOP_FILE, mime], check=True, timeout=30)
        done.append(
            _("Made {app} the default for {links} links (xdg-mime).").format(
                app=APP_NAME, links=_links()
            )
        )
    else:
        _edit_mimeapps(add=True)
        done.append(
            _("Made {app} the default for {links} links in {path}.").format(
                app=APP_NAME, links=_links(), path=mimeapps_path()
            )
        )
    update_database = shutil.which("update-desktop-database")
    if update_database:
        subprocess.run([update_database, str(desktop_file_path().parent)], check=False, timeout=30)
        done.append(_("Refreshed the desktop's list of link handlers."))
    return done


def unregister_linux_handlers() -> list[str]:
    """Remove the desktop entry, the icon and our lines in mimeapps.list."""
    done: list[str] = []
    for path in (desktop_file_path(), icon_file_path()):
        if path.exists():
            path.unlink()
            done.append(_("Removed {path}.").format(path=path))
    if _edit_mimeapps(add=False):
        done.append(
            _("Removed {app} as the handler for {links} links in {path}.").format(
                app=APP_NAME, links=_links(), path=mimeapps_path()
            )
        )
    if not done:
        done.append(
            _("{app} was not registered for {links} links.").format(app=APP_NAME, links=_links())
        )
    return done


def _links() -> str:
    return ", ".join(f"{scheme}:" for scheme in SCHEMES)


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _edit_mimeapps(*, add: bool) -> bool:
    """Set (or drop) our defaults in mimeapps.list, keeping every other line as it was.

    Returns whether the file changed.
    """
    path = mimeapps_path()
    original = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = original.splitlines()
    for section in ("Default Applications", "Added Associations"):
        lines = _edit_section(lines, section, add=add)
    text = "\n".join(lines) + "\n" if lines else ""
    if text == original or (not original and not add):
        return False
    _write_text(path, text)
    return True


def _edit_section(lines: list[str], section: str, *, add: bool) -> list[str]:
    header = f"[{section}]"
    start = next((i for i, line in enumerate(lines) if line.strip() == header), None)
    if start is None:
        if not add:
            return lines
        blank = [""] if lines and lines[-1].strip() else []
        return [*lines, *blank, header, *(f"{mime}={DESKTOP_FILE};" for mime in MIME_TYPES)]
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines)
    )
    body: list[str] = []
    seen: set[str] = set()
    for line in lines[start + 1 : end]:
        key, eq, value = line.partition("=")
        mime = key.strip()
        if not eq or mime not in MIME_TYPES:
            body.append(line)
            continue
        seen.add(mime)
        others = [app for app in value.strip().split(";") if app and app != DESKTOP_FILE]
        if add:
            # A default names one handler; associations list every one, ours first.
            kept = others if section == "Added Associations" else []
            body.append(f"{mime}=" + "".join(f"{app};" for app in [DESKTOP_FILE, *kept]))
        elif others:
            body.append(f"{mime}=" + "".join(f"{app};" for app in others))
    if add:
        # New lines go before the blank lines that separate this section from the next.
        keep = len(body)
        while keep and not body[keep - 1].strip():
            keep -= 1
        missing = [f"{mime}={DESKTOP_FILE};" for mime in MIME_TYPES if mime not in seen]
        body = [*body[:keep], *missing, *body[keep:]]
    return [*lines[: start + 1], *body, *lines[end:]]


# --- Windows --------------------------------------------------------------------------------------


def windows_command(executable: Sequence[str], *extra: str) -> str:
    """A Windows command line for ``executable`` and ``extra``, quoted as Windows expects."""
    return subprocess.list2cmdline([*executable, *extra])


def register_windows_handlers(executable: Sequence[str], registry: RegistryWriter) -> list[str]:
    """Per-user registration: each scheme opens us, and Default Apps lists A1 Dialer for them."""
    command = windows_command(executable) + ' "%1"'
    icon = f"{windows_command(executable[:1])},0"
    classes = r"Software\Classes"
    prog_id = rf"{classes}\{WINDOWS_PROG_ID}"
    registry.set_value(prog_id, "", f"{APP_NAME} link")
    registry.set_value(prog_id, "URL Protocol", "")
    registry.set_value(prog_id + r"\DefaultIcon", "", icon)
    registry.set_value(prog_id + r"\shell\open\command", "", command)
    for scheme in SCHEMES:
        key = rf"{classes}\{scheme}"
        registry.set_value(key, "", f"URL:{scheme} Protocol")
        registry.set_value(key, "URL Protocol", "")
        registry.set_value(key + r"\DefaultIcon", "", icon)
        registry.set_value(key + r"\shell\open\command", "", command)
    registry.set_value(WINDOWS_CAPABILITIES, "ApplicationName", APP_NAME)
    registry.set_value(
        WINDOWS_CAPABILITIES, "ApplicationDescription", "Click-to-call dialer for A1PBX phones"
    )
    for scheme in SCHEMES:
        registry.set_value(WINDOWS_CAPABILITIES + r"\URLAssociations", scheme, WINDOWS_PROG_ID)
    registry.set_value(WINDOWS_REGISTERED_APPS, APP_NAME, WINDOWS_CAPABILITIES)
    return [
        _("Registered {app} for {links} links for this Windows user.").format(
            app=APP_NAME, links=_links()
        ),
        # Translators: "Settings > Apps > Default apps" is the path in Windows' own Settings.
        _(
            "{app} is listed in Settings > Apps > Default apps; choose it there if Windows "
            "still opens another app."
        ).format(app=APP_NAME),
    ]


def unregister_windows_handlers(registry: RegistryWriter) -> list[str]:
    """Remove our keys; a scheme now owned by another app is left alone."""
    classes = r"Software\Classes"
    ours = registry.get_value(rf"{classes}\{WINDOWS_PROG_ID}\shell\open\command", "")
    for scheme in SCHEMES:
        key = rf"{classes}\{scheme}"
        if ours is not None and registry.get_value(key + r"\shell\open\command", "") == ours:
            registry.delete_tree(key)
    registry.delete_tree(rf"{classes}\{WINDOWS_PROG_ID}")
    registry.delete_tree(WINDOWS_APP_KEY)
    registry.delete_value(WINDOWS_REGISTERED_APPS, APP_NAME)
    return [
        _("Removed {app} as a handler for {links} links for this Windows user.").format(
            app=APP_NAME, links=_links()
        )
    ]
