"""One streamed PBX reply and the watch on it: reading counts progress, closing ends the watch."""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING

import requests
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import SSLError as Urllib3SSLError

from a1dialer.pbx.reply_watch import ReplyWatch

if TYPE_CHECKING:
    pass


class StreamedReply:
    """One streamed reply and the watch on it: reading counts progress, closing ends the watch."""

    def __init__(self, response: requests.Response, watch: ReplyWatch) -> None:
        self.response = response
        self.watch = watch
        self.status = response.status_code
        self.headers = dict(response.headers)

    @property
    def content_length(self) -> int | None:
        value = self.response.headers.get("Content-Length")
        if value and value.isdigit():
            return int(value)
        return None

    def chunks(self, size: int, head: bytes = b"") -> Iterator[bytes]:
        """``head`` (already read), then the rest of the body as it arrives, at most ``size``
        bytes at a time; urllib3's errors are raised as requests' (as ``iter_content`` does)."""
        if head:
            yield head
        raw = self.response.raw
        while True:
            try:
                # read1, not read: read(size) waits until ``size`` bytes have come, which a slow
                # line may take longer than a stall window for, so progress would go unseen.
                chunk = raw.read1(size)
            except ProtocolError as exc:
                raise requests.exceptions.ChunkedEncodingError(exc) from exc
            except DecodeError as exc:
                raise requests.exceptions.ContentDecodingError(exc) from exc
            except ReadTimeoutError as exc:
                raise requests.exceptions.ConnectionError(exc) from exc
            except Urllib3SSLError as exc:
                raise requests.exceptions.SSLError(exc) from exc
            except Urllib3Error as exc:
                raise requests.exceptions.ConnectionError(exc) from exc
            if not chunk:
                self.watch.stop()
                # A body read to its end leaves the connection to be used again (keep-alive).
                if not self.watch.expired:
                    self.response.raw.release_conn()
                return
            self.watch.received(len(chunk))
            yield chunk

    def read_into(self, body: bytearray, limit: int) -> bool:
        """Extend ``body`` until the reply ends (True) or ``body`` holds ``limit`` bytes."""
        while len(body) < limit:
            chunk = next(self.chunks(limit - len(body)), None)
            if chunk is None:
                return True
            body += chunk
        return False

    def read_start(self, body: bytearray, size: int) -> bytearray:
        """Extend ``body`` until it holds ``size`` bytes or the reply ends."""
        self.read_into(body, size)
        return body

    def close(self) -> None:
        self.watch.stop()
        self.response.close()

    def __enter__(self) -> StreamedReply:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
