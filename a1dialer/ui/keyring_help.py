"""The way forward when no password store can keep the API key: what to do, and Check again."""

from __future__ import annotations

import os

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from a1dialer.core.secrets import KEY_ENV, check_keyring_again, keyring_advice, keyring_available
from a1dialer.core.translation import _
from a1dialer.ui.form_layout import Mnemonics
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tasks import TaskRunner


class KeyringHelp(QFrame):
    """Shown while no usable OS keyring is found (and no key comes from the environment).

    Says what to install or unlock for this OS, offers Check again, and tells administrators
    about ``A1DIALER_API_KEY``. Hidden as soon as a keyring is usable.

    Signals:
        checked(bool): a check ended; whether a keyring is usable now.
        shown_changed(bool): the help appeared or went away (the window may need to fit it).
    """

    checked = Signal(bool)
    shown_changed = Signal(bool)

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyringHelp")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._tasks = tasks
        self._checking = False
        self.available: bool | None = None
        # Status labels: word-wrapped, and the window grows to show all of their text.
        self.title = StatusLabel("keyringHelpTitle", self)
        self.advice = StatusLabel("keyringHelpAdvice", self)
        self.admin = StatusLabel("keyringHelpAdmin", self)
        self.button = QPushButton(self)
        self.button.setObjectName("keyringCheckAgainButton")
        self.button.clicked.connect(self.check)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addWidget(self.advice)
        column.addWidget(self.admin)
        column.addLayout(row)
        self._label = _("Check again")
        self.button.setText(self._label)
        self.hide()

    def mark(self, mnemonics: Mnemonics) -> None:
        self._label = mnemonics.mark(_("Check again"))
        self.button.setText(self._label)

    def check(self, *, afresh: bool = True) -> None:
        """Ask (off the GUI thread) whether a keyring is usable; ``afresh`` looks for a new one."""
        if self._checking:
            return
        self._checking = True
        self.button.setEnabled(False)
        self._tasks.run(
            check_keyring_again if afresh else keyring_available, self._answer, owner=self
        )

    def _answer(self, available: bool | None, error: BaseException | None) -> None:
        self._checking = False
        self.button.setEnabled(True)
        usable = bool(available) and error is None
        self.available = usable
        from_environment = bool(os.environ.get(KEY_ENV, "").strip())
        if not usable and not from_environment and self.title.text() == "":
            self.title.show_message(
                _("No password store was found, so the API key cannot be kept on this computer."),
                "warning",
            )
            self.advice.show_message(keyring_advice())
            self.admin.show_message(
                _(
                    "Administrators can instead set the {variable} environment variable for "
                    "this user to the API key; A1 Dialer then takes the key from there."
                ).format(variable=KEY_ENV)
            )
        shown = not usable and not from_environment
        if shown == self.isHidden():
            self.setVisible(shown)
            self.shown_changed.emit(shown)
        self.checked.emit(usable)
