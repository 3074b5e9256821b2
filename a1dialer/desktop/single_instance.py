"""One running dialer per user and profile: later launches hand their arguments to it and exit."""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

from a1dialer.desktop.forwarding import (
    ACK,
    MAX_MESSAGE_BYTES,
    NoPrivateFolder,
    message,
    server_name,
)

log = logging.getLogger(__name__)


class SingleInstance(QObject):
    """The first launch listens; a second launch forwards its arguments to it and exits.

    The message is one JSON line, answered by ``ok`` (see ``forwarding``, which later launches
    use to send it without loading Qt where they can). When this user's socket folder cannot be
    trusted (``refused`` says why), it neither listens nor forwards: every launch runs alone.

    Signals:
        argumentsReceived(list): a later launch's arguments, on the GUI thread, once per launch.
    """

    argumentsReceived = Signal(list)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.refused: str | None = None
        if name is None:
            try:
                name = server_name()
            except NoPrivateFolder as problem:
                self.refused = str(problem)
                name = ""
        self.name = name
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    def try_forward(self, args: list[str], timeout_ms: int = 1000) -> bool:
        """Send ``args`` to a running instance; True once it acknowledged them (exit then)."""
        if self.refused is not None:
            return False
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(message(args))
        if not socket.waitForBytesWritten(timeout_ms):
            socket.abort()
            return False
        reply = b""
        while not reply.endswith(b"\n") and socket.waitForReadyRead(timeout_ms):
            reply += bytes(socket.readAll().data())
        socket.abort()
        return reply == ACK

    def listen(self) -> bool:
        """Start accepting later launches; False if another live instance already owns the name.

        A socket left behind by a crashed instance is removed and the name taken over. With
        ``refused`` set it logs why and returns False.
        """
        if self.refused is not None:
            log.warning("Links from later launches will open their own window: %s.", self.refused)
            return False
        # Probe first: with UserAccessOption, Qt on Unix renames its socket over an existing one,
        # so listen() alone would silently take the name from a live instance.
        if self._someone_answers():
            return False
        server = QLocalServer(self)
        # Only this user's launches may talk to it (the default lets any local user connect).
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            if server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
                # Nobody answered the probe: a crashed instance left its socket behind.
                QLocalServer.removeServer(self.name)
                server.listen(self.name)
            if not server.isListening():
                log.warning("Cannot listen on %s: %s", self.name, server.errorString())
                return False
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def close(self) -> None:
        """Stop listening and remove the socket name so the next launch starts cleanly."""
        if self._server is not None:
            self._server.close()
            self._server = None

    def _someone_answers(self) -> bool:
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        alive = probe.waitForConnected(500)
        probe.abort()
        return alive

    @Slot()
    def _accept(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))
            socket.disconnected.connect(socket.deleteLater)
            # Data may have arrived with the connection, before readyRead was connected.
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if socket not in self._buffers:
            return
        data = self._buffers[socket] + bytes(socket.readAll().data())
        if b"\n" not in data:
            if len(data) > MAX_MESSAGE_BYTES:
                self._forget(socket)
                socket.abort()
            else:
                self._buffers[socket] = data
            return
        self._forget(socket)
        line = data.split(b"\n", 1)[0]
        try:
            args = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            args = None
        if not isinstance(args, list) or not all(isinstance(arg, str) for arg in args):
            log.warning("Ignored a malformed message from another launch")
            socket.abort()
            return
        # Acknowledge first so the other launch exits without waiting for our window.
        socket.write(ACK)
        socket.flush()
        socket.disconnectFromServer()
        self.argumentsReceived.emit(args)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
