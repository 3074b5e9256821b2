"""One dialer per user and profile: later launches forward their links, crashes leave no block."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from a1dialer.desktop.forwarding import server_name
from a1dialer.desktop.single_instance import SingleInstance

SECOND_LAUNCH = textwrap.dedent(
    """
    import sys
    from a1dialer.desktop.single_instance import SingleInstance
    sys.exit(0 if SingleInstance().try_forward(sys.argv[1:], 5000) else 1)
    """
)
CRASHING_FIRST_LAUNCH = textwrap.dedent(
    """
    import os, signal, sys
    from PySide6.QtCore import QCoreApplication
    from a1dialer.desktop.single_instance import SingleInstance
    app = QCoreApplication([])
    first = SingleInstance()
    assert first.listen()
    os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, as in a crash
    """
)


@pytest.fixture
def instance(qtbot: QtBot) -> Iterator[SingleInstance]:
    first = SingleInstance()
    yield first
    first.close()


def run_python(code: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code, *args], env=dict(os.environ))


def test_a_tel_link_from_a_second_launch_arrives_once(
    qtbot: QtBot, instance: SingleInstance
) -> None:
    assert instance.listen()
    received: list[list[str]] = []
    instance.argumentsReceived.connect(received.append)

    with qtbot.waitSignal(instance.argumentsReceived, timeout=20_000) as arrival:
        second = run_python(SECOND_LAUNCH, "tel:+12085551234")
    qtbot.waitUntil(lambda: second.poll() is not None, timeout=20_000)

    assert arrival.args == [["tel:+12085551234"]]
    assert second.returncode == 0, "the second launch must learn that its link was taken"
    assert received == [["tel:+12085551234"]]


def test_without_a_running_instance_forwarding_fails_fast() -> None:
    assert not SingleInstance().try_forward(["tel:+12085551234"], 500)


def test_a_second_listener_for_the_same_profile_is_refused(instance: SingleInstance) -> None:
    assert instance.listen()
    assert not SingleInstance().listen()
    assert instance.listening


def test_each_profile_gets_its_own_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = server_name()
    monkeypatch.setenv("A1DIALER_HOME", str(tmp_path / "another-profile"))
    assert server_name() != first


def test_a_crashed_instance_does_not_block_the_next_one(qtbot: QtBot) -> None:
    crashed = run_python(CRASHING_FIRST_LAUNCH)
    qtbot.waitUntil(lambda: crashed.poll() is not None, timeout=20_000)
    assert crashed.returncode == -9
    if sys.platform != "win32":  # a named pipe vanishes with its process; a socket file stays
        assert Path(server_name()).exists()

    restarted = SingleInstance()
    try:
        assert restarted.listen()
        with qtbot.waitSignal(restarted.argumentsReceived, timeout=20_000):
            second = run_python(SECOND_LAUNCH, "callto:+12085551234")
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=20_000)
        assert second.returncode == 0
    finally:
        restarted.close()


def test_malformed_messages_are_ignored(qtbot: QtBot, instance: SingleInstance) -> None:
    assert instance.listen()
    with qtbot.assertNotEmitted(instance.argumentsReceived, wait=300):
        stranger = QLocalSocket()
        stranger.connectToServer(instance.name)
        assert stranger.waitForConnected(2000)
        stranger.write(b'{"not": "a list"}\n')
        stranger.flush()
    stranger.abort()


PLAIN_SOCKET_LAUNCH = textwrap.dedent(
    """
    import sys
    from a1dialer.desktop.forwarding import forward
    handed = forward(sys.argv[1:], timeout_s=5)
    qt = sorted(name for name in sys.modules if name.startswith(("PySide6", "shiboken6")))
    print(qt)
    sys.exit(0 if handed and not qt else 1)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="Windows forwards through QLocalSocket")
def test_a_link_is_forwarded_without_loading_qt(qtbot: QtBot, instance: SingleInstance) -> None:
    assert instance.listen()

    with qtbot.waitSignal(instance.argumentsReceived, timeout=20_000) as arrival:
        second = subprocess.Popen(
            [sys.executable, "-c", PLAIN_SOCKET_LAUNCH, "tel:+12085551234", "--dial-selection"],
            env=dict(os.environ),
            stdout=subprocess.PIPE,
        )
    qtbot.waitUntil(lambda: second.poll() is not None, timeout=20_000)

    assert arrival.args == [["tel:+12085551234", "--dial-selection"]]
    out, _ = second.communicate()
    assert second.returncode == 0, f"Qt modules loaded: {out.decode()}"


def test_with_nobody_listening_the_plain_forward_says_so_at_once() -> None:
    from a1dialer.desktop.forwarding import forward

    assert forward(["tel:+12085551234"]) is False


# ---------------------------------------------------------------- the socket's private folder

unix_only = pytest.mark.skipif(sys.platform == "win32", reason="Windows uses a per-user pipe")
as_root = pytest.mark.skipif(
    sys.platform == "win32" or os.getuid() != 0, reason="needs root to give a file to nobody"
)
NOBODY = 65534


@pytest.fixture
def temp_folder(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A short, fresh temp folder (pytest's own paths are long) and no session runtime folder."""
    folder = Path(tempfile.mkdtemp(prefix="a1t-", dir="/tmp"))
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def own_folder(temp_folder: Path) -> Path:
    return temp_folder / f"a1dialer-{os.getuid()}"


@unix_only
def test_the_socket_lives_in_a_folder_only_this_user_can_use(
    qtbot: QtBot, temp_folder: Path
) -> None:
    first = SingleInstance()
    try:
        assert first.listen()
        socket_file = Path(first.name)
        assert socket_file.parent == own_folder(temp_folder)
        folder = socket_file.parent.lstat()
        assert stat.S_IMODE(folder.st_mode) == 0o700
        assert folder.st_uid == os.getuid()
        assert stat.S_ISSOCK(socket_file.lstat().st_mode)
        # Nothing of ours directly in the shared temp folder.
        assert [path.name for path in temp_folder.iterdir()] == [socket_file.parent.name]

        with qtbot.waitSignal(first.argumentsReceived, timeout=20_000) as arrival:
            second = run_python(SECOND_LAUNCH, "tel:+12085551234")
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=20_000)
        assert second.returncode == 0
        assert arrival.args == [["tel:+12085551234"]]
    finally:
        first.close()


@unix_only
def test_the_session_runtime_folder_is_used_when_there_is_one(
    qtbot: QtBot, temp_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = temp_folder / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    first = SingleInstance()
    try:
        assert first.listen()
        assert Path(first.name).parent == runtime / "a1dialer"
        assert stat.S_IMODE((runtime / "a1dialer").stat().st_mode) == 0o700
        with qtbot.waitSignal(first.argumentsReceived, timeout=20_000) as arrival:
            second = run_python(PLAIN_SOCKET_LAUNCH, "callto:+12085551234")
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=20_000)
        assert second.returncode == 0
        assert arrival.args == [["callto:+12085551234"]]
    finally:
        first.close()


@unix_only
def test_a_shared_runtime_folder_is_not_trusted(
    temp_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = temp_folder / "run"
    runtime.mkdir()
    runtime.chmod(0o777)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert Path(server_name()).parent == own_folder(temp_folder)


@unix_only
def test_a_long_profile_path_still_gets_a_socket(
    qtbot: QtBot, temp_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = tmp_path.joinpath(*["a-rather-long-folder-name-for-a-profile"] * 8)
    monkeypatch.setenv("A1DIALER_HOME", str(deep))
    first = SingleInstance()
    try:
        assert len(first.name.encode()) <= 103
        assert first.listen()
        with qtbot.waitSignal(first.argumentsReceived, timeout=20_000):
            second = run_python(SECOND_LAUNCH, "tel:+12085551234")
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=20_000)
        assert second.returncode == 0
    finally:
        first.close()


@unix_only
def test_a_long_temp_folder_falls_back_to_tmp(
    temp_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_temp = temp_folder.joinpath(*["long-temporary-folder"] * 5)
    long_temp.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(long_temp))
    name = server_name()
    assert Path(name).parent == Path("/tmp", f"a1dialer-{os.getuid()}")
    assert len(name.encode()) <= 103


def refused_with_a_log_line(caplog: pytest.LogCaptureFixture, why: str) -> None:
    instance = SingleInstance()
    with caplog.at_level(logging.WARNING):
        assert not instance.listen()
    assert not instance.listening
    assert instance.refused is not None
    assert why in instance.refused
    assert any(
        "Links from later launches will open their own window" in record.getMessage()
        and why in record.getMessage()
        for record in caplog.records
    )
    assert not instance.try_forward(["tel:+12085551234"], 500)


@unix_only
def test_a_folder_others_can_write_to_is_refused(
    temp_folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = own_folder(temp_folder)
    folder.mkdir()
    folder.chmod(0o777)
    refused_with_a_log_line(caplog, "other users can use")
    assert list(folder.iterdir()) == [], "nothing may be put in a folder others can write to"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o777, "and it is not silently changed"


@as_root
def test_a_folder_of_another_user_is_refused(
    temp_folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = own_folder(temp_folder)
    folder.mkdir(mode=0o700)
    os.chown(folder, NOBODY, NOBODY)
    refused_with_a_log_line(caplog, f"belongs to another user (uid {NOBODY})")
    assert list(folder.iterdir()) == []


@unix_only
def test_a_link_planted_in_place_of_the_folder_is_refused(
    temp_folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    elsewhere = temp_folder / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    own_folder(temp_folder).symlink_to(elsewhere)
    refused_with_a_log_line(caplog, "is not a folder")
    assert list(elsewhere.iterdir()) == []


@as_root
def test_a_squatters_socket_in_the_folder_gets_no_link(
    temp_folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from a1dialer.desktop.forwarding import forward

    folder = own_folder(temp_folder)
    folder.mkdir(mode=0o700)
    path = folder / f"{Path(server_name()).name}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as squatter:
        squatter.bind(str(path))
        squatter.listen(1)
        squatter.setblocking(False)
        os.chown(path, NOBODY, NOBODY)
        assert forward(["tel:+12085551234"], timeout_s=1) is False
        refused_with_a_log_line(caplog, "is not a socket of this user")
        with pytest.raises(BlockingIOError):  # nobody ever connected to it
            squatter.accept()
