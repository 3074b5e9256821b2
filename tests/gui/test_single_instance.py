"""One dialer per user and profile: later launches forward their links, crashes leave no block."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
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
        assert Path(QDir.tempPath(), server_name()).exists()

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
