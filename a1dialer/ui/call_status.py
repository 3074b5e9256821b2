"""The call status under the Call button: ready, ringing, placed (with the call id), failed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from a1dialer.core.translation import _
from a1dialer.ui.dial_pad import scaled_font
from a1dialer.ui.icons import palette_icon
from a1dialer.ui.status_label import StatusLabel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QPlainTextEdit


class CallStatus(QFrame):
    """Where the window says what is happening: ready, ringing, placed (with the call id), failed.

    A failure shows its one sentence; the technical details open on demand. The text can be
    selected and copied, and the call id has its own Copy button.

    Signals:
        settings_requested: the rep clicked "Open Settings" under a problem only Settings fixes.
        details_created(object): the details box was made (the first time details were shown).
    """

    settings_requested = Signal()
    details_created = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusArea")
        self.call_id = ""
        column = QVBoxLayout(self)
        column.setContentsMargins(2, 4, 2, 0)
        column.setSpacing(4)

        self.label = StatusLabel("statusLabel", self)
        self.label.setAccessibleName(_("Call status"))
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.label.setMinimumHeight(self.label.fontMetrics().lineSpacing() * 2 + 2)
        column.addWidget(self.label)

        self.details_button = self._button(
            "detailsButton", _("Details"), _("Show the technical details")
        )
        self.details_button.setCheckable(True)
        self.details_button.setArrowType(Qt.ArrowType.RightArrow)
        self.details_button.toggled.connect(self._toggle_details)
        self.copy_button = self._button(
            "copyCallIdButton", _("Copy call id"), _("Copy the call id")
        )
        self.copy_button.setToolTip(_("Copy the call id to the clipboard"))
        self.copy_button.clicked.connect(self.copy_call_id)
        self.settings_button = self._button(
            "openSettingsButton", _("Open Settings"), _("Open Settings")
        )
        self.settings_button.clicked.connect(self.settings_requested)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for button in (self.details_button, self.copy_button, self.settings_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)

        self._details = ""
        self._details_text: QPlainTextEdit | None = None

    @property
    def details_text(self) -> QPlainTextEdit:
        """The technical details box, made the first time it is needed (not before the paint)."""
        if self._details_text is None:
            from PySide6.QtGui import QFontDatabase, QTextOption
            from PySide6.QtWidgets import QPlainTextEdit

            text = QPlainTextEdit(self)
            text.setObjectName("detailsText")
            text.setReadOnly(True)
            text.setAccessibleName(_("Technical details"))
            fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            text.setFont(scaled_font(fixed, 0.9))
            # Details hold URLs and excerpts with no spaces; they must wrap, not widen the window.
            text.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            text.setFixedHeight(text.fontMetrics().lineSpacing() * 4 + 14)
            text.setPlainText(self._details)
            text.hide()
            column = self.layout()
            assert column is not None
            column.addWidget(text)
            QWidget.setTabOrder(self.settings_button, text)
            self._details_text = text
            self.details_created.emit(text)
        return self._details_text

    def _button(self, name: str, text: str, accessible: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setAccessibleName(accessible)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.hide()
        return button

    @property
    def focusable(self) -> tuple[QWidget, ...]:
        made = (self._details_text,) if self._details_text is not None else ()
        return (self.details_button, self.copy_button, self.settings_button, *made)

    def show_message(
        self, text: str, kind: str = "note", *, details: str = "", settings: bool = False
    ) -> None:
        """Show ``text``; a Details toggle when there are ``details``; Open Settings if asked."""
        self.call_id = ""
        self.label.show_message(text, kind)
        self._set_buttons(details=details, call_id=False, settings=settings)

    def show_placed(self, text: str, call_id: str, log_problem: str = "") -> None:
        """The PBX accepted the call; ``log_problem`` says the call log could not take it."""
        if log_problem:
            # Translators: {call_id} is the PBX's id of the call, for support.
            call_line = _("Call id {call_id}").format(call_id=call_id)
            self.label.show_message(f"{text}\n{call_line}\n{log_problem}", "warning")
        else:
            call_line = _("Call id {call_id}").format(call_id=call_id)
            self.label.show_message(f"{text}\n{call_line}", "ok")
        self.call_id = call_id
        self._set_buttons(details="", call_id=True, settings=False)

    def show_unknown(self, text: str, call_id: str, details: str) -> None:
        """The PBX may be calling: neither placed nor failed; the call id is in the details."""
        self.label.show_message(text, "warning")
        self.call_id = call_id
        self._set_buttons(details=details, call_id=True, settings=False)

    def copy_call_id(self) -> None:
        if self.call_id:
            QGuiApplication.clipboard().setText(self.call_id)
            self.copy_button.setText(_("Copied"))
            QTimer.singleShot(1500, self, lambda: self.copy_button.setText(_("Copy call id")))

    @property
    def text(self) -> str:
        return self.label.text()

    @property
    def kind(self) -> str:
        return self.label.kind

    def _set_buttons(self, *, details: str, call_id: bool, settings: bool) -> None:
        self._details = details
        if self._details_text is not None:
            self._details_text.setPlainText(details)
        self.details_button.setChecked(False)
        self.details_button.setVisible(bool(details))
        self.copy_button.setVisible(call_id)
        self.settings_button.setVisible(settings)
        self._update_icons()

    def _toggle_details(self, shown: bool) -> None:
        if shown or self._details_text is not None:
            self.details_text.setVisible(shown)
        self.details_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        self.details_button.setAccessibleName(
            _("Hide the technical details") if shown else _("Show the technical details")
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._update_icons()

    def _update_icons(self) -> None:
        """Tint the icons of the buttons on show; hidden ones get theirs when they appear."""
        colour = self.palette().color(QPalette.ColorRole.ButtonText)
        for button, name in ((self.copy_button, "copy"), (self.settings_button, "settings")):
            if not button.isHidden():
                button.setIcon(palette_icon(name, colour))
