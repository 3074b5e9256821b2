"""Time limits on a whole reply: a watchdog that cuts the connection of a reply too slow in coming.

requests' read timeout restarts with every byte received, so a server that sends one byte a second
(in the headers or the body) is never given up. A read blocked in ``recv`` cannot be interrupted
from its own thread, and checking a clock between reads does not help while one read waits for the
rest of a header line. Shutting the socket down from another thread does: the blocked read returns
at once (end of file or an error) on every platform, for plain and TLS sockets alike, and the
client, seeing ``expired``, reports the time limit instead of whatever the cut read raised.

The socket is found through the connection class of a requests adapter: the connection hands its
socket to the watch of the request in flight on its thread just before it waits for the reply
(a thread-local, because requests gives no other way to reach the connection a request uses).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_in_flight = threading.local()


class ReplyWatch:
    """Gives up on one request's reply when ``window`` seconds pass without enough progress.

    With ``min_progress`` None the window is a deadline for the whole reply (headers and body);
    otherwise the reply must bring at least ``min_progress`` body bytes (``received``) in every
    window from the request on, so a long download that keeps coming is never cut while a drip
    is. Giving up shuts the request's socket down and sets ``expired``.
    """

    def __init__(self, window: float, min_progress: int | None = None) -> None:
        self.window = window
        self.min_progress = min_progress
        self.expired = False
        self.headers_arrived = False
        self.total = 0
        self._progress = 0
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._done = threading.Event()
        threading.Thread(target=self._run, name="a1dialer-reply-watch", daemon=True).start()

    def _run(self) -> None:
        while not self._done.wait(self.window):
            with self._lock:
                if self._done.is_set():
                    return
                enough = self.min_progress is not None and self._progress >= self.min_progress
                if enough and self.headers_arrived:
                    self._progress = 0
                    continue
                self.expired = True
                self._cut()
                return

    def _cut(self) -> None:
        # The plain socket call: a TLS socket's own shutdown() would change its state under the
        # reading thread, while this only makes that thread's blocked read return.
        if self._socket is not None:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(self._socket, socket.SHUT_RDWR)

    def attach(self, sock: socket.socket) -> None:
        """The socket the reply will come on (cut at once if the time is already up)."""
        with self._lock:
            self._socket = sock
            if self.expired:
                self._cut()

    def arrived(self) -> None:
        """The reply's headers are in (unless the watch cut them short)."""
        with self._lock:
            self.headers_arrived = not self.expired

    def received(self, size: int) -> None:
        """Count ``size`` body bytes of progress."""
        with self._lock:
            self._progress += size
            self.total += size

    def stop(self) -> None:
        """The reply is read (or abandoned): never cut the socket after this returns."""
        with self._lock:
            self._done.set()
            self._socket = None


@contextlib.contextmanager
def watching(watch: ReplyWatch) -> Iterator[None]:
    """Let the connection that sends a request on this thread hand its socket to ``watch``."""
    _in_flight.watch = watch
    try:
        yield
    finally:
        _in_flight.watch = None


class _Watched:
    """Hands the connection's socket to the watch in flight before waiting for the reply."""

    sock: socket.socket | None

    def getresponse(self) -> Any:
        watch: ReplyWatch | None = getattr(_in_flight, "watch", None)
        if watch is not None and self.sock is not None:
            watch.attach(self.sock)
        response = super().getresponse()  # type: ignore[misc]
        if watch is not None:
            watch.arrived()
        return response


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class WatchedAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections can be cut by the ``ReplyWatch`` of their request."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }
