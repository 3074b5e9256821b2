"""A later launch hands its links to the running app, importing as little as possible.

The running app listens with Qt's QLocalServer (``single_instance``). On Linux and macOS that is
a Unix domain socket at ``<temp folder>/<name>``, so a clicked link reaches it through a plain
socket and the launch exits without loading Qt, which is most of a link click's cost. On Windows
the server is a named pipe and the launch uses QLocalSocket.

The message is one JSON line (the list of links; an empty list means "bring the window
forward"), answered by ``ok``.
"""

from __future__ import annotations

import getpass
import os
import sys
import zlib
from collections.abc import Sequence

from a1dialer import APP_ID

ACK = b"ok\n"
# A launch carries a handful of links; anything bigger is not one of ours.
MAX_MESSAGE_BYTES = 64 * 1024


def server_name() -> str:
    """The local socket name for this user and profile (``A1DIALER_HOME`` gets its own instance)."""
    from a1dialer.core.paths import profile_dir

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers): the uid still separates users
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    # Hashed so any profile path or user name becomes a short, valid socket/pipe name. A checksum
    # is enough to keep names apart, and zlib loads in no time where hashlib loads OpenSSL.
    digest = zlib.crc32(f"{user}\0{profile_dir().resolve()}".encode())
    return f"{APP_ID}-{digest:08x}"


def message(args: Sequence[str]) -> bytes:
    import json

    return json.dumps(list(args)).encode("utf-8") + b"\n"


def socket_path(name: str) -> str:
    """Where QLocalServer puts ``name`` on Unix: Qt's temp folder ($TMPDIR, else /tmp)."""
    folder = os.path.normpath(os.environ.get("TMPDIR") or "/tmp")  # noqa: S108 (Qt's own default)
    return os.path.join(folder, name)


def forward(args: Sequence[str], name: str | None = None, timeout_s: float = 1.0) -> bool:
    """Send ``args`` to the running app; True once it acknowledged them (exit then)."""
    name = name or server_name()
    if sys.platform == "win32":
        from a1dialer.desktop.single_instance import SingleInstance

        return SingleInstance(name).try_forward(list(args), round(timeout_s * 1000))
    path = socket_path(name)
    if not os.path.exists(path):  # nobody has listened here: start the app without more ado
        return False
    import socket

    reply = b""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(timeout_s)
            connection.connect(path)
            connection.sendall(message(args))
            while not reply.endswith(b"\n") and len(reply) <= len(ACK):
                chunk = connection.recv(len(ACK))
                if not chunk:
                    break
                reply += chunk
    except OSError:  # nobody listens (or a stale socket): this launch becomes the app
        return False
    return reply == ACK
