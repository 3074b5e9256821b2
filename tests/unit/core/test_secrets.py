"""The API key lives in the real OS keyring (or the environment), never in a file."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from a1dialer.core import paths
from a1dialer.core.errors import LocalProblem
from a1dialer.core.secrets import (
    KEY_ENV,
    delete_api_key,
    get_api_key,
    keyring_available,
    set_api_key,
)

needs_keyring = pytest.mark.skipif(
    not keyring_available(), reason="no OS keyring backend here (scripts/test starts gnome-keyring)"
)


@pytest.fixture
def host() -> Iterator[str]:
    name = f"test-{uuid.uuid4().hex[:8]}.pbx.invalid"
    yield name
    if keyring_available():
        delete_api_key(name)


@pytest.mark.keyring
@needs_keyring
def test_real_keyring_round_trip(host: str, tmp_path: Path) -> None:
    secret = f"key-{uuid.uuid4().hex}"
    assert get_api_key(host) is None
    set_api_key(host, f"  {secret}\n")
    assert get_api_key(host) == secret
    for path in paths.profile_dir().rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(encoding="utf-8", errors="replace")
    delete_api_key(host)
    assert get_api_key(host) is None


@pytest.mark.keyring
@needs_keyring
def test_keys_are_kept_per_server(host: str) -> None:
    other = "other-" + host
    try:
        set_api_key(host, "first-key")
        set_api_key(other, "second-key")
        assert (get_api_key(host), get_api_key(other)) == ("first-key", "second-key")
    finally:
        delete_api_key(other)


def test_environment_variable_overrides_the_keyring(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, "from-env")
    assert get_api_key(host) == "from-env"


def test_no_keyring_backend_is_said_plainly_without_a_file_fallback(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    import keyring.backends.fail

    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        with pytest.raises(LocalProblem, match=r"No usable password store.*A1DIALER_API_KEY"):
            set_api_key(host, "never-stored")
        with pytest.raises(LocalProblem, match="No usable password store"):
            get_api_key(host)
    finally:
        keyring.set_keyring(previous)
    assert not any(p.is_file() for p in paths.profile_dir().rglob("*"))
