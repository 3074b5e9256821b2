"""The API key: kept only in the OS keyring (service ``a1dialer``, user = PBX host).

``A1DIALER_API_KEY`` overrides the keyring for automation. With no usable keyring backend we say so
and what to do; we never fall back to a plain-text file.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any, Literal

from a1dialer.core.errors import LocalProblem
from a1dialer.core.redaction import register_secret
from a1dialer.core.translation import N_, _

SERVICE = "a1dialer"
KEY_ENV = "A1DIALER_API_KEY"

NO_KEYRING = N_(
    "No usable password store (OS keyring) was found: unlock or install one "
    "(on Linux a Secret Service such as GNOME Keyring or KWallet), or set A1DIALER_API_KEY."
)


def keyring_available() -> bool:
    """Whether this machine has a usable keyring backend (not keyring's "fail" stand-in)."""
    import keyring
    import keyring.backends.fail

    backend = keyring.get_keyring()
    return not isinstance(backend, keyring.backends.fail.Keyring) and backend.priority > 0


def check_keyring_again() -> bool:
    """Choose the keyring backend afresh (one may have been installed or unlocked since the app
    started; keyring only looks once) and say whether it is usable. Blocking."""
    import keyring.core

    keyring.core.init_backend()
    return keyring_available()


def keyring_advice(platform: str = sys.platform) -> str:
    """What to install or unlock on this OS so the key can be stored, in one sentence."""
    from a1dialer.core.translation import _

    if platform == "darwin":
        return _(
            "Open Keychain Access (in Applications, Utilities), unlock your login keychain, "
            "then click Check again."
        )
    if platform == "win32":
        return _(
            "Make sure the Windows Credential Manager service is running (Services, Credential "
            "Manager, Start), then click Check again."
        )
    return _(
        "Install and unlock a password store offering the Secret Service, such as GNOME Keyring "
        "(package gnome-keyring) or KWallet (package kwalletmanager), then click Check again."
    )


def _keyring() -> ModuleType:
    import keyring

    if not keyring_available():
        raise LocalProblem(_(NO_KEYRING), f"backend: {type(keyring.get_keyring()).__module__}")
    return keyring


def _keyring_call(action: Literal["read", "store"], func: Callable[..., Any], *args: str) -> Any:
    import keyring.errors

    try:
        return func(*args)
    except keyring.errors.KeyringLocked:
        raise LocalProblem(_("The OS keyring is locked: unlock it and try again.")) from None
    except (keyring.errors.NoKeyringError, keyring.errors.InitError) as exc:
        raise LocalProblem(_(NO_KEYRING), str(exc)) from None
    except keyring.errors.KeyringError as exc:
        if action == "read":
            sentence = _("The OS keyring could not read the API key.")
        else:
            sentence = _("The OS keyring could not store the API key.")
        raise LocalProblem(sentence, str(exc)) from None


def get_api_key(host: str) -> str | None:
    """The key for ``host`` from the environment or the keyring; ``None`` when none is stored."""
    key = os.environ.get(KEY_ENV, "").strip()
    if not key:
        ring = _keyring()
        key = _keyring_call("read", ring.get_password, SERVICE, host) or ""
    if key:
        register_secret(key)
    return key or None


def set_api_key(host: str, key: str) -> None:
    """Store ``key`` for ``host`` in the OS keyring."""
    key = key.strip()
    register_secret(key)
    ring = _keyring()
    _keyring_call("store", ring.set_password, SERVICE, host, key)


def delete_api_key(host: str) -> None:
    import keyring.errors

    ring = _keyring()
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        ring.delete_password(SERVICE, host)


def key_stored_sentence() -> str:
    """Where the key was stored, in the rep's words: the environment variable wins over the
    keyring, so it is named when set."""
    if os.environ.get(KEY_ENV):
        return _("Stored the API key in the A1DIALER_API_KEY environment variable.")
    return _("Stored the API key in the OS keyring.")
