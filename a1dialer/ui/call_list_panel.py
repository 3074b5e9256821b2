"""The call lists dock's widgets: the list picker, progress, Dial next and the numbers."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from a1dialer.core.translation import _
from a1dialer.ui.call_list_model import COMPANY, NAME, NOTES, NUMBER, POSITION, STATE
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tables import row_table

DIAL_NEXT_SHORTCUT = "Ctrl+N"


class CallListPanel(QWidget):
    """Lays out the dock's controls over ``model``'s table; the dock drives them."""

    def __init__(self, model: QAbstractItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callListPanel")
        self.list_combo = QComboBox(self)
        self.list_combo.setObjectName("callListCombo")
        self.list_combo.setAccessibleName(_("Call list"))
        self.list_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.list_combo.setMinimumContentsLength(16)
        self.archived_check = QCheckBox(_("Show arch&ived"), self)
        self.archived_check.setObjectName("callListShowArchived")
        self.archived_check.setAccessibleName(_("Show archived lists"))
        self.menu_button = QToolButton(self)
        self.menu_button.setObjectName("callListMenuButton")
        self.menu_button.setText(_("List"))
        self.menu_button.setAccessibleName(_("List actions"))
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        top = QHBoxLayout()
        top.addWidget(self.list_combo, 1)
        top.addWidget(self.archived_check)
        top.addWidget(self.menu_button)

        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("callListProgressText")
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("callListProgress")
        self.progress_bar.setAccessibleName(_("List progress"))
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(self.fontMetrics().height() // 2 + 4)
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)

        self.table = row_table(self, model, "callListView", _("Numbers in the list"))
        header = self.table.horizontalHeader()
        # State says "No answer — retry Tue 16:00": wide enough for that.
        widths = {POSITION: 32, NAME: 120, NUMBER: 120, COMPANY: 90, STATE: 200}
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(NOTES, QHeaderView.ResizeMode.Stretch)
        header.moveSection(STATE, NOTES)

        self.dial_next_button = self._button("callListDialNext", _("&Dial next"), _("Dial next"))
        self.dial_next_button.setToolTip(
            _("Call the next number still to call ({shortcut})").format(shortcut=DIAL_NEXT_SHORTCUT)
        )
        font = self.dial_next_button.font()
        font.setBold(True)
        self.dial_next_button.setFont(font)
        self.skip_button = self._button("callListSkip", _("&Skip"), _("Skip"))
        self.skip_button.setToolTip(_("Skip the selected number, or the next one (Ctrl+Shift+K)"))
        self.up_button = self._button("callListMoveUp", _("Move &up"), _("Move up"))
        self.up_button.setToolTip(_("Call the selected number earlier (Ctrl+Up)"))
        self.down_button = self._button("callListMoveDown", _("Move do&wn"), _("Move down"))
        self.down_button.setToolTip(_("Call the selected number later (Ctrl+Down)"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.dial_next_button, 1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)

        self.countdown_label = QLabel(self)
        self.countdown_label.setObjectName("callListCountdown")
        self.countdown_label.setAccessibleName(_("Auto-advance"))
        self.countdown_label.setWordWrap(True)
        font = self.countdown_label.font()
        font.setBold(True)
        self.countdown_label.setFont(font)

        self.message = StatusLabel("callListMessage", self)
        self.message.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )

        rows = QVBoxLayout(self)
        rows.setContentsMargins(6, 4, 6, 6)
        rows.setSpacing(6)
        rows.addLayout(top)
        rows.addWidget(self.progress_label)
        rows.addWidget(self.progress_bar)
        rows.addLayout(buttons)
        rows.addWidget(self.countdown_label)
        rows.addWidget(self.message)
        rows.addWidget(self.table, 1)
        self._rows = rows

    def add_above_table(self, widget: QWidget) -> None:
        """Put ``widget`` (the search bar) right over the numbers."""
        self._rows.insertWidget(self._rows.indexOf(self.table), widget)

    def _button(self, name: str, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        # Enter on a focused button presses it, rather than reaching the window (which would
        # dial the number field again); a held Enter presses it once.
        button.setAutoDefault(True)
        button.installEventFilter(self)
        return button

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.isAutoRepeat()
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
        ):
            return True
        return super().eventFilter(watched, event)
