"""The admin's OS policy: the Windows registry's policy key and macOS managed preferences.

Either holds the same names as ``defaults.toml`` (settings and ``locked``), overrides it, and can
only be written by an administrator. Readers return raw values, checked like a TOML file's.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from a1dialer.core.errors import LocalProblem
from a1dialer.core.settings import OPTIONS_BY_NAME
from a1dialer.core.translation import _

# The names of the locked settings, beside the settings themselves.
LOCKED_KEY = "locked"
WINDOWS_POLICY_KEY = r"Software\Policies\A1Dialer"
WINDOWS_POLICY_SOURCE = "HKEY_LOCAL_MACHINE\\" + WINDOWS_POLICY_KEY
MACOS_POLICY_DOMAIN = "com.a1dialer"
MACOS_MANAGED_PREFERENCES = Path("/Library/Managed Preferences")

# Registry value types (winreg's constants, which exist only on Windows).
REG_SZ = 1
REG_EXPAND_SZ = 2
REG_DWORD = 4
REG_MULTI_SZ = 7
REG_QWORD = 11


@dataclass(frozen=True)
class Policy:
    """Raw values from one place the admin writes; ``strict``: an unknown name is an error."""

    source: str
    values: Mapping[str, Any]
    strict: bool = False


class PolicyReader(Protocol):
    def read(self) -> list[Policy]:
        """The policies found, lowest precedence first (none when nothing is set)."""


class NoPolicy:
    """Systems without an OS policy for apps (Linux: ``defaults.toml`` is the admin's place)."""

    def read(self) -> list[Policy]:
        return []


class RegistryReader(Protocol):
    def values(self, key: str) -> list[tuple[str, Any, int]] | None:
        """Every value of ``HKEY_LOCAL_MACHINE\\key`` as (name, data, type); None if no key."""


class WindowsPolicyReader:
    """``HKLM\\Software\\Policies\\A1Dialer``: one value per setting, named like the setting.

    REG_SZ holds a text setting; REG_DWORD an on/off (0 or 1) or a number; REG_MULTI_SZ a list of
    texts (``locked``, ``custom_outcomes``). Any other setting may be a REG_SZ holding its TOML
    value, such as ``["server", "caller_ids"]`` or ``[{number = "+44 20 7946 0000"}]``.
    """

    def __init__(self, registry: RegistryReader) -> None:
        self.registry = registry

    def read(self) -> list[Policy]:
        found = self.registry.values(WINDOWS_POLICY_KEY)
        if not found:
            return []
        # The key's unnamed default value means nothing here.
        values = {name: _registry_value(name, data, kind) for name, data, kind in found if name}
        return [Policy(WINDOWS_POLICY_SOURCE, values)]


def _registry_value(name: str, data: Any, kind: int) -> Any:
    option = OPTIONS_BY_NAME.get(name)
    if option is None and name != LOCKED_KEY:
        return data  # an unknown name, skipped with a warning
    expected = tuple if option is None else type(option.default)
    if kind == REG_EXPAND_SZ and isinstance(data, str):
        import ntpath  # %VARIABLES%, as Windows expands them, on any system

        data = ntpath.expandvars(data)
    if kind in (REG_DWORD, REG_QWORD) and expected is bool and data in (0, 1):
        return bool(data)
    if kind in (REG_SZ, REG_EXPAND_SZ) and expected is not str and isinstance(data, str):
        try:
            return tomllib.loads(f"value = {data}")["value"]
        except tomllib.TOMLDecodeError:
            return data  # the setting's own check says what it must be
    return data


class ManagedPreferencesReader:
    """macOS managed preferences: ``/Library/Managed Preferences/com.a1dialer.plist`` for the
    computer, then ``/Library/Managed Preferences/<user>/com.a1dialer.plist`` for the user."""

    def __init__(self, files: Sequence[Path]) -> None:
        self.files = tuple(files)

    def read(self) -> list[Policy]:
        return [Policy(str(path), values) for path in self.files if (values := _plist(path))]


def managed_preferences_files(user: str) -> list[Path]:
    name = f"{MACOS_POLICY_DOMAIN}.plist"
    return [MACOS_MANAGED_PREFERENCES / name, MACOS_MANAGED_PREFERENCES / user / name]


def _plist(path: Path) -> dict[str, Any]:
    import plistlib  # macOS only

    try:
        with path.open("rb") as handle:
            values = plistlib.load(handle)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise LocalProblem(
            _("Cannot read {path}: {reason}.").format(path=path, reason=exc.strerror)
        ) from None
    except (plistlib.InvalidFileException, ValueError, OverflowError):
        raise LocalProblem(
            _(
                "{path} is not a property list A1 Dialer can read; ask your administrator to "
                "fix it."
            ).format(path=path)
        ) from None
    if not isinstance(values, dict):
        raise LocalProblem(
            _("{path} does not hold settings by name; ask your administrator to fix it.").format(
                path=path
            )
        )
    return values


def system_policy_reader() -> PolicyReader:
    """This system's policy: the registry on Windows, managed preferences on macOS, else none."""
    if sys.platform == "win32":
        return WindowsPolicyReader(_WindowsRegistry())
    elif sys.platform == "darwin":
        import os
        import pwd

        # The account's name, not $USER: the rep could point that at another user's policy.
        try:
            user = pwd.getpwuid(os.getuid()).pw_name
        except KeyError:  # an account without a name has no user-level policy
            return ManagedPreferencesReader(managed_preferences_files("")[:1])
        return ManagedPreferencesReader(managed_preferences_files(user))
    else:
        return NoPolicy()


if sys.platform == "win32":
    import winreg

    class _WindowsRegistry:
        def values(self, key: str) -> list[tuple[str, Any, int]] | None:
            access = winreg.KEY_READ | winreg.KEY_WOW64_64KEY
            try:
                handle = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key, 0, access)
            except OSError:
                return None
            found: list[tuple[str, Any, int]] = []
            with handle:
                index = 0
                while True:
                    try:
                        name, data, kind = winreg.EnumValue(handle, index)
                    except OSError:
                        return found
                    found.append((name, data, kind))
                    index += 1
