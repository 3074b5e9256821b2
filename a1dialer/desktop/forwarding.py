"""A later launch hands its links to the running app, importing as little as possible.

The running app listens with Qt's QLocalServer (``single_instance``). On Linux and macOS that is
a Unix domain socket in a folder only this user can use (``$XDG_RUNTIME_DIR/a1dialer/``, else
``<temp folder>/a1dialer-<uid>/``, made 0700 and checked for owner and mode before each use), so
no other local user can take the name first and receive this user's links. A clicked link
reaches it through a plain socket and the launch exits without loading Qt, which is most of a
link click's cost. On Windows the server is a per-user named pipe and the launch uses
QLocalSocket.

The message is one JSON line (the list of links; an empty list means "bring the window
forward"), answered by ``ok``.
"""

from __future__ import annotations

import getpass
import os
import stat
import sys
import zlib
from collections.abc import Sequence

from a1dialer import APP_ID

ACK = b"ok\n"
# The browser extension's offer travels as a launch's arguments: the number as the rep selected it
# (shown as pasted, where a link would show as the link) and the contact's name beside it.
OFFER_NUMBER = "--offer-number="
CONTACT_NAME = "--contact-name="
# A launch carries a handful of links; anything bigger is not one of ours.
MAX_MESSAGE_BYTES = 64 * 1024


# The longest socket path every Unix takes (macOS: 104 bytes with the final NUL), less the 8 that
# Qt adds while it creates the socket under a temporary name ("XXXXXX/s").
MAX_SOCKET_PATH = 103 - 8


class NoPrivateFolder(Exception):
    """This user's socket folder cannot be trusted; the message says why and what to do."""


def _profile_tag() -> str:
    """A short name for this user and profile (``A1DIALER_HOME`` gets its own instance)."""
    from a1dialer.core.paths import profile_dir

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers): the uid still separates users
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    # Hashed so any profile path or user name becomes a short, valid socket/pipe name. A checksum
    # is enough to keep names apart, and zlib loads in no time where hashlib loads OpenSSL.
    digest = zlib.crc32(f"{user}\0{profile_dir().resolve()}".encode())
    return f"{APP_ID}-{digest:08x}"


def _uid() -> int:
    """This user's id. Only the Unix socket folder asks; -1 (nobody's) keeps its checks failing
    safe on a system without user ids."""
    return os.getuid() if hasattr(os, "getuid") else -1


def _unsafe(folder: str) -> str | None:
    """Why ``folder`` is not this user's private folder (created 0700 if missing), or None."""
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        return f"{folder} cannot be created ({exc.strerror})"
    try:
        info = os.lstat(folder)  # never follow a link another user may have put there
    except OSError as exc:
        return f"{folder} cannot be checked ({exc.strerror})"
    if not stat.S_ISDIR(info.st_mode):
        return f"{folder} is not a folder"
    if info.st_uid != _uid():
        return f"{folder} belongs to another user (uid {info.st_uid})"
    if info.st_mode & 0o077:
        return f"other users can use {folder} (mode {stat.S_IMODE(info.st_mode):o}, not 700)"
    return None


def socket_folder(socket_name: str) -> str:
    """This user's folder for the socket ``socket_name``: ``$XDG_RUNTIME_DIR/a1dialer`` when the
    session has a private one, else ``<temp folder>/a1dialer-<uid>`` (not yet checked)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if os.path.isabs(runtime):
        folder = os.path.join(os.path.normpath(runtime), APP_ID)
        # A runtime folder that is not this user's own (a misconfigured session) is not used.
        try:
            info = os.stat(runtime)
            private = info.st_uid == _uid() and not info.st_mode & 0o022
        except OSError:
            private = False
        if private and len(os.path.join(folder, socket_name).encode()) <= MAX_SOCKET_PATH:
            return folder
    temp = os.path.normpath(os.environ.get("TMPDIR") or "/tmp")  # noqa: S108 (checked later)
    folder = os.path.join(temp, f"{APP_ID}-{_uid()}")
    if len(os.path.join(folder, socket_name).encode()) > MAX_SOCKET_PATH:
        folder = f"/tmp/{APP_ID}-{_uid()}"  # noqa: S108 (a long TMPDIR; /tmp leaves room)
    return folder


def server_name() -> str:
    """Where the running app listens: on Unix the socket's path in this user's private folder,
    on Windows a named pipe for this user and profile. Raises ``NoPrivateFolder`` with the
    reason when the folder or a socket in it belongs to someone else or is open to others."""
    tag = _profile_tag()
    if sys.platform == "win32":
        return tag
    else:
        return _socket_path(tag)


def _socket_path(tag: str) -> str:
    """``server_name`` on Unix: the socket's path, once its folder and the socket are checked."""
    socket_name = f"{tag}.socket"
    folder = socket_folder(socket_name)
    problem = _unsafe(folder)
    if problem:
        raise NoPrivateFolder(f"{problem}; remove it so A1 Dialer can make its own")
    path = os.path.join(folder, socket_name)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return path
    if not stat.S_ISSOCK(info.st_mode) or info.st_uid != _uid():
        raise NoPrivateFolder(
            f"{path} is not a socket of this user (owner uid {info.st_uid}); remove it"
        )
    return path


def message(args: Sequence[str]) -> bytes:
    import json

    return json.dumps(list(args)).encode("utf-8") + b"\n"


def forward(args: Sequence[str], name: str | None = None, timeout_s: float = 1.0) -> bool:
    """Send ``args`` to the running app; True once it acknowledged them (exit then)."""
    if name is None:
        try:
            name = server_name()
        except NoPrivateFolder:  # the app starts on its own and logs why when it listens
            return False
    if sys.platform == "win32":
        from a1dialer.desktop.single_instance import SingleInstance

        return SingleInstance(name).try_forward(list(args), round(timeout_s * 1000))
    else:
        path = name  # on Unix, the socket's path
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
