"""The API key field: masked, with Show, saying where the key in use comes from."""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

from a1dialer.core.errors import BadInput, DialerError
from a1dialer.core.secrets import KEY_ENV, NO_KEYRING, get_api_key
from a1dialer.core.server_address import parse_server
from a1dialer.core.translation import N_, _
from a1dialer.ui.form_layout import Mnemonics
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


KEY_FROM_ENVIRONMENT = N_("Taken from the A1DIALER_API_KEY environment variable.")
KEY_CHECKING = N_("Checking the OS keyring…")
KEY_STORED = N_("Stored in the OS keyring — type to replace")
KEY_WANTED = N_("Paste the API key from your PBX administrator")
KEY_UNSTORABLE = N_("A typed key can be tested but not stored")


KEY_LOOKUP_DELAY_MS = 300


def host_of(server: str) -> str | None:
    """The keyring user for ``server`` (its host), or ``None`` while the address is unusable."""
    try:
        return parse_server(server).host
    except BadInput:
        return None


def _key_is_stored(host: str) -> bool:
    return get_api_key(host) is not None


class ApiKeyField(QObject):
    """The API key: masked, with Show; says where the key in use comes from, never shows it.

    Empty means "keep the stored key". With ``A1DIALER_API_KEY`` set, the field is disabled. The
    keyring is asked (off the GUI thread) whether it holds a key for the current server's host.

    Signals:
        changed: the typed key changed.
        status_changed(str): ``environment``, ``checking``, ``stored``, ``missing`` or
            ``unavailable`` (no usable keyring; the note says why).
    """

    changed = Signal()
    status_changed = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        tasks: TaskRunner,
        *,
        hint: bool = False,
        lookup_delay_ms: int = KEY_LOOKUP_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._host: str | None = None
        self._lookup = 0
        self._status = ""
        self.edit = QLineEdit(parent)
        self.edit.setObjectName("apiKeyEdit")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(_("API key"))
        self.edit.setAccessibleDescription(_("The API key for your PBX; kept in the OS keyring"))
        self.edit.setToolTip(_("Kept in the OS keyring, never in the settings file"))
        self.edit.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhNoAutoUppercase
        )
        self.edit.textChanged.connect(self._typed)
        self.show_button = QToolButton(parent)
        self.show_button.setObjectName("apiKeyShowButton")
        self.show_button.setCheckable(True)
        self.show_button.setText(_("Show"))
        self.show_button.setAccessibleName(_("Show the typed API key"))
        self.show_button.setEnabled(False)
        self.show_button.toggled.connect(self._reveal)
        self.note = StatusLabel("apiKeyNote", parent)
        self.label: QLabel | None = None
        self.cell = QWidget(parent)
        self.cell.setObjectName("apiKeyCell")
        column = QVBoxLayout(self.cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        line = QHBoxLayout()
        line.setSpacing(6)
        line.addWidget(self.edit, 1)
        line.addWidget(self.show_button)
        column.addLayout(line)
        column.addWidget(self.note)
        if hint:
            hint_label = QLabel(
                _(
                    "Ask your PBX administrator for it. It is kept in the OS keyring, never in "
                    "a file."
                ),
                self.cell,
            )
            hint_label.setObjectName("apiKeyHint")
            hint_label.setWordWrap(True)
            hint_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            column.addWidget(hint_label)
        self._lookup_timer = QTimer(self)
        self._lookup_timer.setSingleShot(True)
        self._lookup_timer.setInterval(lookup_delay_ms)
        self._lookup_timer.timeout.connect(self._ask_keyring)

    def make_label(self, mnemonics: Mnemonics) -> QLabel:
        label = mnemonics.mark(_("API key"))
        self.label = QLabel(_("{label}:").format(label=label), self.cell.parentWidget())
        self.label.setObjectName("apiKeyLabel")
        self.label.setBuddy(self.edit)
        return self.label

    def mark_show(self, mnemonics: Mnemonics) -> None:
        self.show_button.setText(mnemonics.mark(_("Show")))

    def key(self) -> str:
        """The key typed in this form (stripped); empty means 'keep the stored one'."""
        return "" if self._status == "environment" else self.edit.text().strip()

    @property
    def status(self) -> str:
        return self._status

    def set_server(self, server: str, *, at_once: bool = False) -> None:
        """Follow the server field: the keyring holds one key per host."""
        if os.environ.get(KEY_ENV, "").strip():
            self._set_status("environment")
            return
        host = host_of(server)
        if host == self._host and self._status not in ("", "checking"):
            return
        self._host = host
        self._lookup += 1  # any answer still on its way is for another host now
        if host is None:
            self._set_status("missing")
            return
        self._set_status("checking")
        if at_once:
            self._ask_keyring()
        else:
            self._lookup_timer.start()

    def look_again(self, server: str) -> None:
        """Ask the keyring again for ``server`` (after the rep made a password store usable)."""
        self._host = None
        self.set_server(server, at_once=True)

    def _ask_keyring(self) -> None:
        host = self._host
        if host is None:
            return
        self._lookup += 1
        lookup = self._lookup
        self._tasks.run(
            lambda: _key_is_stored(host),
            lambda stored, error: self._answer(lookup, stored, error),
            owner=self,
        )

    def _answer(self, lookup: int, stored: bool | None, error: BaseException | None) -> None:
        if lookup != self._lookup:
            return
        if isinstance(error, DialerError):
            self._set_status("unavailable", error.sentence)
        elif error is not None:
            log.error("Could not ask the OS keyring for the API key", exc_info=error)
            self._set_status("unavailable", _("The OS keyring could not be read."))
        else:
            self._set_status("stored" if stored else "missing")

    def _set_status(self, status: str, sentence: str = "") -> None:
        self._status = status
        environment = status == "environment"
        # Without a keyring a typed key can still be tested, just not stored.
        self.edit.setEnabled(not environment)
        if environment:
            self.edit.clear()
            self.edit.setPlaceholderText("")
            self.note.show_message(_(KEY_FROM_ENVIRONMENT), "note")
        elif status == "unavailable":
            self.edit.setPlaceholderText(
                _(KEY_UNSTORABLE if sentence == _(NO_KEYRING) else KEY_WANTED)
            )
            self.note.show_message(sentence, "error")
        else:
            self.note.clear_message()
            hints = {"stored": KEY_STORED, "checking": KEY_CHECKING}
            self.edit.setPlaceholderText(_(hints.get(status, KEY_WANTED)))
        self.status_changed.emit(status)

    def _typed(self, text: str) -> None:
        self.show_button.setEnabled(bool(text))
        if not text and self.show_button.isChecked():
            self.show_button.setChecked(False)
        self.changed.emit()

    def _reveal(self, on: bool) -> None:
        # A pressed "Show" toggle (like an eye icon) keeps the mnemonic letter stable.
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self.show_button.setAccessibleName(
            _("Hide the typed API key") if on else _("Show the typed API key")
        )
