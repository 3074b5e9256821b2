"""How the simulator's replies go out: counted, dripped a byte at a time, or never sent.

The handler writes every reply through one of these writers, so a fault changes how a reply
travels without a second copy of how it is made, and the simulator can tell a test how much of a
reply it sent before the client hung up. Oversized bodies are made here too, piece by piece.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import BinaryIO

from a1dialer.pbx.sim_audio import recording_bytes

_HEADERS_END = b"\r\n\r\n"
_FILLER_LINE = b"DEBUG originate: channel state CS_ROUTING, waiting for the leg to answer\n"
_PIECE = 64 * 1024


class ReplyWriter:
    """Passes a reply to the connection's writer and counts the bytes that went out."""

    def __init__(self, wfile: BinaryIO) -> None:
        self._wfile = wfile
        self.sent = 0

    @property
    def closed(self) -> bool:
        return self._wfile.closed

    def write(self, data: bytes) -> int:
        written = self._wfile.write(data)
        self.sent += len(data)
        return written

    def flush(self) -> None:
        self._wfile.flush()

    def close(self) -> None:
        self._wfile.close()


class DripWriter(ReplyWriter):
    """Sends one byte every ``interval`` seconds: the whole reply, or only its body.

    ``wait`` sleeps and says whether the simulator is stopping, which ends the drip.
    """

    def __init__(
        self,
        wfile: BinaryIO,
        interval: float,
        wait: Callable[[float], bool],
        *,
        headers_too: bool,
    ) -> None:
        super().__init__(wfile)
        self._interval = interval
        self._wait = wait
        self._dripping = headers_too
        self._tail = b""  # the last bytes before the body, to find where the headers end

    def write(self, data: bytes) -> int:
        data = bytes(data)
        start = 0
        if not self._dripping:
            seen = self._tail + data
            end = seen.find(_HEADERS_END)
            if end < 0:
                self._tail = seen[-(len(_HEADERS_END) - 1) :]
                super().write(data)
                return len(data)
            start = end + len(_HEADERS_END) - len(self._tail)
            super().write(data[:start])
            self._dripping = True
        for index in range(start, len(data)):
            if self._wait(self._interval):
                raise ConnectionAbortedError("the simulator is stopping")
            super().write(data[index : index + 1])
        return len(data)


class DiscardWriter(ReplyWriter):
    """Swallows the reply: the request is carried out, but nothing is sent back."""

    def write(self, data: bytes) -> int:
        return len(data)


def oversized_text(first_line: str, size: int) -> Iterator[bytes]:
    """``first_line`` and then log lines, ``size`` bytes in all, made a piece at a time."""
    head = (first_line + "\n").encode()[:size]
    yield head
    left = size - len(head)
    piece = _FILLER_LINE * (_PIECE // len(_FILLER_LINE))
    while left > 0:
        yield piece[:left]
        left -= min(left, len(piece))


def base64_recording(fmt: str, total: int) -> Iterator[bytes]:
    """The base64 text of a ``total``-byte recording, made a piece at a time."""
    pending = b""
    for chunk in recording_bytes(fmt, total):
        data = pending + chunk
        usable = len(data) - len(data) % 3
        pending = data[usable:]
        yield base64.b64encode(data[:usable])
    if pending:
        yield base64.b64encode(pending)


def base64_length(total: int) -> int:
    """How long the base64 text of ``total`` bytes is (with padding)."""
    return 4 * ((total + 2) // 3)
