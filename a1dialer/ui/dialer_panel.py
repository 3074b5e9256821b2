"""The dialer's widgets, laid out top to bottom, and the demo banner over them.

The number and its preview, the name, the dial pad, the call options, Call and the call status;
the ``Dialer`` controller drives them.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from a1dialer.core.settings import Settings
from a1dialer.ui.call_identity import CallIdentityPanel
from a1dialer.ui.call_options import CallOptionsPanel
from a1dialer.ui.call_status import CallStatus
from a1dialer.ui.country_picker import CountryPicker
from a1dialer.ui.dial_pad import DialPad, scaled_font
from a1dialer.ui.icons import icon
from a1dialer.ui.status_label import StatusLabel

# The Call button's green is the one brand colour of the window besides the icon; white on it
# reads at 5.3:1, and the window's own palette never shows through, so light and dark both work.
CALL_BUTTON_STYLE = """
QPushButton#callButton {
    background-color: #1e7e34; color: #ffffff; border: none; border-radius: 8px;
    padding: 8px 16px;
}
QPushButton#callButton:hover { background-color: #1a6f2e; }
QPushButton#callButton:pressed { background-color: #145724; }
QPushButton#callButton:focus { border: 2px solid palette(highlight); }
QPushButton#callButton:disabled { background-color: #5b8f68; color: #e6efe8; }
"""

# The demo banner brings its own background, so its dark text reads in either theme.
DEMO_BANNER_STYLE = """
QLabel#demoBanner {
    background-color: #ffcf40; color: #1f1a00; padding: 7px 14px;
    border-bottom: 1px solid #c79a00;
}
"""


class DialerPanel(QWidget):
    """The widgets of one call, in the order a rep uses them (and tabs through them)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("body")
        self._column = column = QVBoxLayout(self)
        column.setContentsMargins(16, 14, 16, 14)
        column.setSpacing(8)

        self.number_edit = self._make_number_edit(self)
        self.country_combo = CountryPicker(settings.default_country, self)
        number_row = QHBoxLayout()
        number_row.setSpacing(6)
        number_row.addWidget(self.number_edit, 1)
        number_row.addWidget(self.country_combo)
        column.addLayout(number_row)
        self.preview_label = StatusLabel("previewLabel", self)
        self.preview_label.setAccessibleName("What will be dialled")
        self.preview_label.setContentsMargins(2, 0, 2, 2)
        column.addWidget(self.preview_label)
        self.name_edit = self._make_name_edit(self)
        column.addWidget(self.name_edit)
        column.addSpacing(4)

        self.dial_pad = DialPad(self)
        column.addWidget(self.dial_pad)
        column.addSpacing(2)

        self.options = CallOptionsPanel(self)
        column.addWidget(self.options)
        self.identity = CallIdentityPanel(settings, self)
        column.addWidget(self.identity)
        column.addSpacing(4)

        self.call_button = self._make_call_button(self)
        column.addWidget(self.call_button)
        self.status = CallStatus(self)
        column.addWidget(self.status)
        column.addStretch(1)

        for first, second in itertools.pairwise(self.focus_chain):
            QWidget.setTabOrder(first, second)
        self.number_edit.setFocus()

    @property
    def focus_chain(self) -> list[QWidget]:
        """The controls in tab order, the call status's buttons last."""
        return [
            self.number_edit,
            self.country_combo,
            self.name_edit,
            self.options.ringback_combo,
            self.options.auto_answer_check,
            self.options.record_check,
            self.identity.caller_id_combo,
            self.identity.ring_me_at_combo,
            self.call_button,
            *self.status.focusable,
        ]

    def add_below_status(self, widget: QWidget) -> None:
        """Put ``widget`` (the outcome panel) right under the call status."""
        self._column.insertWidget(self._column.indexOf(self.status) + 1, widget)

    def _make_number_edit(self, parent: QWidget) -> QLineEdit:
        edit = QLineEdit(parent)
        edit.setObjectName("numberEdit")
        edit.setPlaceholderText("Number to call")
        edit.setClearButtonEnabled(True)
        edit.setMaxLength(200)
        edit.setAccessibleName("Number to call")
        edit.setToolTip(
            "Type or paste a number in any format: (208) 555-1234, +44 20 7946 0123, "
            "1-800-FLOWERS, a tel: link or an extension. Ctrl+L comes back here."
        )
        edit.setFont(scaled_font(edit.font(), 1.6))
        edit.setTextMargins(6, 5, 6, 5)
        return edit

    def _make_name_edit(self, parent: QWidget) -> QLineEdit:
        edit = QLineEdit(parent)
        edit.setObjectName("nameEdit")
        edit.setPlaceholderText("Contact name (optional)")
        edit.setClearButtonEnabled(True)
        edit.setMaxLength(80)
        edit.setAccessibleName("Contact name")
        edit.setAccessibleDescription(
            "Optional. Shown on your phone while it rings, so you know who you are calling"
        )
        edit.setToolTip("Shown on your phone while it rings")
        edit.setTextMargins(2, 2, 2, 2)
        return edit

    def _make_call_button(self, parent: QWidget) -> QPushButton:
        button = QPushButton("Call", parent)
        button.setObjectName("callButton")
        button.setIcon(icon("call"))
        button.setIconSize(QSize(22, 22))
        button.setStyleSheet(CALL_BUTTON_STYLE)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        font = scaled_font(button.font(), 1.3)
        font.setWeight(QFont.Weight.DemiBold)
        button.setFont(font)
        button.setMinimumHeight(max(48, button.fontMetrics().height() * 2 + 8))
        button.setAccessibleName("Call")
        button.setAccessibleDescription(
            "Rings your phone first, then the PBX calls the number (Enter)"
        )
        button.setToolTip("Ring your phone, then call the number (Enter)")
        return button


def demo_banner(text: str, parent: QWidget) -> QLabel:
    """The yellow line over the dialer that says this is the demo, and what to try."""
    banner = QLabel(text, parent)
    banner.setObjectName("demoBanner")
    banner.setWordWrap(True)
    banner.setTextFormat(Qt.TextFormat.PlainText)
    banner.setStyleSheet(DEMO_BANNER_STYLE)
    banner.setAccessibleName("Demo mode")
    banner.setAccessibleDescription(text)
    return banner
