"""The browsers' native messaging host: numbers from the A1 Dialer extension to the running app.

Chrome, Edge, Chromium and Firefox start this host (``a1dialer-native-host``) for each message
the extension sends and speak to it over stdin/stdout: a 4-byte length in native byte order, then
that many bytes of UTF-8 JSON, both ways. stdout carries nothing else, so stray prints go to
stderr, which the browser keeps in its own log.

Messages: ``{"type": "ping"}`` answers the version; ``{"type": "offer", "number": ..., "name":
..., "dial": false}`` hands the number to the running app through the single-instance channel
(``forwarding``), starting the app when none runs. The app then does what it does for a clicked
tel: link: its link setting decides between asking and dialling, and the do-not-call list and the
number rules apply. The host itself never dials, never reads the API key and never logs numbers.
"""

from __future__ import annotations

import json
import logging
import os
import struct
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import BinaryIO

from a1dialer import APP_ID, __version__

HOST_NAME = "com.a1dialer.native"
# Far above any number and name; Chrome would send up to 4 GB, which no offer needs.
MAX_MESSAGE_BYTES = 64 * 1024
# A phone number with an extension, or a contact's name, is never longer than this.
MAX_FIELD_CHARS = 256
HEADER = struct.Struct("=I")  # the length, in this machine's byte order

log = logging.getLogger(__name__)

Forward = Callable[[Sequence[str]], bool]
Start = Callable[[Sequence[str]], None]


class Refused(Exception):
    """A message the host answers with ``{"ok": false, "error": <this sentence>}``."""


def read_message(stream: BinaryIO) -> bytes | None:
    """The next message's bytes, or None at the end of input.

    Raises ``Refused`` for an empty or oversized message, after skipping its bytes so the next
    message is read from its own header.
    """
    header = _read_exactly(stream, HEADER.size)
    if len(header) < HEADER.size:
        return None
    (length,) = HEADER.unpack(header)
    if length == 0:
        raise Refused("The message was empty.")
    if length > MAX_MESSAGE_BYTES:
        _skip(stream, length)
        raise Refused(f"The message is larger than {MAX_MESSAGE_BYTES // 1024} KB.")
    body = _read_exactly(stream, length)
    if len(body) < length:
        return None  # the browser closed the pipe in the middle of a message
    return body


def write_message(stream: BinaryIO, reply: dict[str, object]) -> None:
    data = json.dumps(reply, ensure_ascii=False).encode("utf-8")
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exactly(stream: BinaryIO, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = stream.read(count - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _skip(stream: BinaryIO, count: int) -> None:
    while count > 0:
        chunk = stream.read(min(count, 65536))
        if not chunk:
            return
        count -= len(chunk)


def launch_args(number: str, name: str) -> list[str]:
    """What a launch of the app gets for this offer: the number, and the contact's name."""
    from a1dialer.desktop.forwarding import CONTACT_NAME, OFFER_NUMBER

    args = [OFFER_NUMBER + number]
    if name:
        args.append(CONTACT_NAME + name)
    return args


def handle(body: bytes, forward: Forward, start: Start) -> dict[str, object]:
    """The reply to one message's bytes."""
    try:
        request = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Refused("The message is not JSON text.") from None
    if not isinstance(request, dict):
        raise Refused("The message is not a JSON object.")
    kind = request.get("type")
    if kind == "ping":
        return {"ok": True, "version": __version__}
    if kind == "offer":
        return _offer(request, forward, start)
    raise Refused("Unknown message type; this host knows 'ping' and 'offer'.")


def _offer(request: dict[str, object], forward: Forward, start: Start) -> dict[str, object]:
    number = request.get("number")
    name = request.get("name", "")
    dial = request.get("dial", False)
    if not isinstance(number, str) or not number.strip():
        raise Refused("The offer has no number.")
    if not isinstance(name, str):
        raise Refused("The contact name must be text.")
    if len(number) > MAX_FIELD_CHARS or len(name) > MAX_FIELD_CHARS:
        raise Refused("The number or the name is too long to be a phone number or a name.")
    if any(ord(c) < 32 for c in number + name):
        raise Refused("The number or the name holds control characters.")
    if dial is not False:
        # The extension only offers; the rep's link setting in the app decides whether to dial.
        raise Refused("The extension can only offer a number; A1 Dialer's link setting decides.")
    args = launch_args(number.strip(), " ".join(name.split()))
    if forward(args):
        log.debug("Offered a number to the running app")
        return {"ok": True}
    log.info("No A1 Dialer answered; starting it with the offered number")
    try:
        start(args)
    except OSError as exc:
        log.warning("Could not start A1 Dialer: %s", exc.strerror)
        from a1dialer.core.translation import _

        return {
            "ok": False,
            "error": _("A1 Dialer could not be started; open it once, then try again."),
        }
    return {"ok": True}


def serve(stdin: BinaryIO, stdout: BinaryIO, forward: Forward, start: Start) -> None:
    """Answer every message until the end of input."""
    while True:
        try:
            body = read_message(stdin)
            if body is None:
                return
            reply = handle(body, forward, start)
        except Refused as problem:
            log.warning("Refused a message: %s", problem)
            reply = {"ok": False, "error": str(problem)}
        write_message(stdout, reply)


def app_command() -> list[str]:
    """How to start the windowed app from here: the executable beside this one when packaged."""
    if getattr(sys, "frozen", False):
        suffix = ".exe" if sys.platform == "win32" else ""
        return [os.path.join(os.path.dirname(sys.executable), APP_ID + suffix)]
    return [sys.executable, "-m", APP_ID]


def start_app(args: Sequence[str]) -> None:
    """Start the app with ``args`` as its launch, detached from the browser's pipes."""
    options: dict[str, object] = {}
    if sys.platform == "win32":
        options["creationflags"] = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        # Its own session: closing the browser (which ends this host) leaves the app running.
        options["start_new_session"] = True
    subprocess.Popen(
        [*app_command(), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        **options,  # type: ignore[call-overload]
    )


def forward_to_app(args: Sequence[str]) -> bool:
    from a1dialer.desktop.forwarding import forward

    return forward(args, timeout_s=2.0)


def main(argv: Sequence[str] | None = None) -> int:
    """``a1dialer-native-host``: the browser passes the caller's origin (and on Windows a window
    handle) as arguments; the host answers whichever extension the manifest allowed."""
    del argv  # the browser decides who may talk to us (allowed_origins / allowed_extensions)
    stdin = sys.stdin.buffer
    stdout = sys.stdout.buffer
    # Anything printed by accident would corrupt the protocol: it goes to stderr instead.
    sys.stdout = sys.stderr
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.DEBUG if os.environ.get("A1DIALER_HOST_DEBUG") else logging.WARNING,
        format=f"{HOST_NAME}: %(levelname)s %(message)s",
    )
    if sys.platform == "win32":
        import msvcrt

        # Binary pipes: text mode would turn a length byte 0x0A into 0x0D 0x0A.
        msvcrt.setmode(stdin.fileno(), os.O_BINARY)
        msvcrt.setmode(stdout.fileno(), os.O_BINARY)
    serve(stdin, stdout, forward_to_app, start_app)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
