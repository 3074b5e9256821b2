"""The Test connection button: asks the PBX, off the GUI thread, whether the form's values work."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from a1dialer.core.errors import BadInput, DialerError, NotHttps
from a1dialer.core.server_address import parse_server
from a1dialer.core.settings import Settings
from a1dialer.core.translation import _
from a1dialer.ui.form_layout import Mnemonics
from a1dialer.ui.option_form import OptionForm
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tasks import error_sentence

log = logging.getLogger(__name__)


def check_connection(settings: Settings, typed_key: str) -> str:
    """Ask the PBX (blocking) whether the server, TLS and key work; return its one sentence.

    A server that does not answer HTTPS is asked, without the key, whether it speaks plain HTTP.
    """
    from a1dialer.pbx.connect import client_for, speaks_plain_http

    try:
        with client_for(settings, typed_key) as client:
            sentence: str = client.check_connection()
    except NotHttps as exc:
        exc.plain_http = speaks_plain_http(settings)
        raise
    return sentence


def _sentence(error: BaseException) -> str:
    return error_sentence(error, _("The connection test failed unexpectedly"))


class ConnectionTester(QWidget):
    """The Test connection button and its one-sentence result, using the values in the form.

    The check runs on the task runner; the button is disabled and says "Testing…" meanwhile.

    ``sentence_for`` turns a failure into the sentence shown (the wizard speaks of its own
    fields).

    Signals:
        finished(bool, str): the test ended; whether it succeeded, and the sentence shown.
        failed(object): the test failed with this error (after ``finished``).
    """

    finished = Signal(bool, str)
    failed = Signal(object)

    def __init__(
        self,
        form: OptionForm,
        parent: QWidget,
        sentence_for: Callable[[BaseException], str] = _sentence,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("testConnection")
        self._form = form
        self._sentence_for = sentence_for
        self._running = False
        self._label = _("Test connection")
        self.succeeded_for: tuple[Any, ...] | None = None
        self.button = QPushButton(self._label, self)
        self.button.setObjectName("testConnectionButton")
        self.button.setToolTip(
            _("Checks the server, its certificate and the API key without a call")
        )
        self.button.clicked.connect(self.start)
        self.result = StatusLabel("testConnectionResult", self)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.result)

    def mark(self, mnemonics: Mnemonics) -> None:
        self._label = mnemonics.mark(_("Test connection"))
        self.button.setText(self._label)

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        if self._running:
            return
        try:
            settings = self._form.settings()
            host = parse_server(settings.server).host
        except BadInput as exc:
            self._form.reveal_problems()
            self._report(False, exc.sentence)
            return
        fingerprint = self._form.connection_fingerprint()
        typed_key = self._form.api_key.key() if self._form.api_key else ""
        self._running = True
        self.button.setEnabled(False)
        self.button.setText(_("Testing…"))
        self.result.show_message(_("Testing the connection to {host}…").format(host=host), "note")
        self._form.tasks.run(
            lambda: check_connection(settings, typed_key),
            lambda sentence, error: self._done(fingerprint, sentence, error),
            owner=self,
        )

    def _done(self, fingerprint: tuple[Any, ...], sentence: str | None, error: Any) -> None:
        self._running = False
        self.button.setEnabled(True)
        self.button.setText(self._label)
        if error is None:
            self.succeeded_for = fingerprint
            self._report(True, sentence or _("The connection works."))
        else:
            self.succeeded_for = None
            if isinstance(error, DialerError):
                log.info("Connection test failed: %s %s", error.sentence, error.details)
            self._report(False, self._sentence_for(error))
            self.failed.emit(error)

    def _report(self, ok: bool, sentence: str) -> None:
        self.result.show_message(sentence, "ok" if ok else "error")
        self.finished.emit(ok, sentence)
