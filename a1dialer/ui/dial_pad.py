"""The dial pad: twelve phone keys in a grid, plus Clear and backspace, for dialling by mouse.

The keys never take keyboard focus: typing goes straight to the number field, and the window
lights up the matching key (``flash``) so the pad still gives feedback.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QEnterEvent,
    QFont,
    QFontInfo,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QAbstractButton, QGridLayout, QSizePolicy, QToolButton, QWidget

from a1dialer.core.translation import N_, _
from a1dialer.ui.icons import palette_icon

# Digit, letters under it, object-name suffix: the layout of every phone keypad.
KEYS: tuple[tuple[str, str, str], ...] = (
    ("1", "", "1"),
    ("2", "ABC", "2"),
    ("3", "DEF", "3"),
    ("4", "GHI", "4"),
    ("5", "JKL", "5"),
    ("6", "MNO", "6"),
    ("7", "PQRS", "7"),
    ("8", "TUV", "8"),
    ("9", "WXYZ", "9"),
    ("*", "", "Star"),
    ("0", "+", "0"),
    ("#", "", "Hash"),
)
PAD_CHARACTERS = frozenset("0123456789*#+")
# Translators: the names of the * and # keys a screen reader says.
SPOKEN = {"*": N_("star"), "#": N_("hash"), "+": N_("plus")}
# Holding 0 this long types "+", as on a mobile phone, for international numbers by mouse.
LONG_PRESS_MS = 600
FLASH_MS = 120


def scaled_font(font: QFont, factor: float) -> QFont:
    """``font`` ``factor`` times as large; works for pixel-sized fonts too."""
    scaled = QFont(font)
    scaled.setPointSizeF(QFontInfo(font).pointSizeF() * factor)
    return scaled


class DialKey(QAbstractButton):
    """One round-cornered key showing its digit large and its letters small, in palette colours.

    Signals:
        typed(str): the character this press entered ("+" after holding 0).
    """

    typed = Signal(str)

    def __init__(self, digit: str, letters: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.digit = digit
        self.letters = letters
        self.setText(digit)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        spoken = _(SPOKEN[digit]) if digit in SPOKEN else digit
        self.setAccessibleName(spoken)
        if digit == "0":
            self.setAccessibleDescription(_("Types 0 into the number. Hold to type plus."))
            self.setToolTip(_("Hold for +"))
        else:
            # Translators: {key} is the digit or the key's name ("star", "hash").
            self.setAccessibleDescription(_("Types {key} into the number.").format(key=spoken))
        self._hover = False
        self._long_press = QTimer(self)
        self._long_press.setSingleShot(True)
        self._long_press.setInterval(LONG_PRESS_MS)
        self._long_press.timeout.connect(self._held)
        self._held_done = False
        self.pressed.connect(self._start_press)
        self.clicked.connect(self._clicked)

    def sizeHint(self) -> QSize:
        height = max(42, self.fontMetrics().height() * 5 // 2)
        return QSize(64, height)

    def minimumSizeHint(self) -> QSize:
        return QSize(44, self.sizeHint().height())

    def _start_press(self) -> None:
        self._held_done = False
        if self.digit == "0":
            self._long_press.start()

    def _held(self) -> None:
        if self.isDown():
            self._held_done = True
            self.typed.emit("+")

    def _clicked(self) -> None:
        self._long_press.stop()
        if not self._held_done:
            self.typed.emit(self.digit)
        self._held_done = False

    def flash(self) -> None:
        """Show the key pressed for a moment (the rep typed its digit on the keyboard)."""
        self.setDown(True)
        QTimer.singleShot(FLASH_MS, self, lambda: self.setDown(False))

    def enterEvent(self, event: QEnterEvent) -> None:
        self._hover = True
        self.update()

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = False
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._long_press.stop()
        super().mouseReleaseEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = palette.color(QPalette.ColorRole.Button)
        dark_window = palette.color(QPalette.ColorRole.Window).lightness() < 128
        if self.isDown():
            fill = base.lighter(135) if dark_window else base.darker(118)
        elif self._hover and self.isEnabled():
            fill = base.lighter(118) if dark_window else base.darker(106)
        else:
            fill = base
        border = QColor(palette.color(QPalette.ColorRole.Mid))
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(border)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 8, 8)

        text_colour = palette.color(
            QPalette.ColorGroup.Normal if self.isEnabled() else QPalette.ColorGroup.Disabled,
            QPalette.ColorRole.ButtonText,
        )
        digit_font = scaled_font(self.font(), 1.45)
        letters_font = scaled_font(self.font(), 0.7)
        letters_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 115)
        digit_height = self.fontMetrics().height() * 1.45
        letters_height = self.fontMetrics().height() * 0.75 if self.letters else 0.0
        top = (rect.height() - digit_height - letters_height) / 2 + rect.top()
        painter.setPen(text_colour)
        painter.setFont(digit_font)
        painter.drawText(
            QRectF(rect.left(), top, rect.width(), digit_height),
            Qt.AlignmentFlag.AlignCenter,
            self.digit,
        )
        if self.letters:
            muted = QColor(text_colour)
            muted.setAlphaF(0.62)
            painter.setPen(muted)
            painter.setFont(letters_font)
            painter.drawText(
                QRectF(rect.left(), top + digit_height - 2, rect.width(), letters_height + 2),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                self.letters,
            )
        painter.end()


class DialPad(QWidget):
    """The twelve keys, Clear and backspace. It edits nothing itself; the window does.

    Signals:
        typed(str): a key entered a character (a digit, ``*``, ``#``, or ``+`` from holding 0).
        backspace_pressed: the backspace key was clicked.
        clear_pressed: the Clear key was clicked.
    """

    typed = Signal(str)
    backspace_pressed = Signal()
    clear_pressed = Signal()

    @classmethod
    def key_help(cls) -> list[tuple[str, str]]:
        """What the pad does besides its keys, for the list of shortcuts."""
        return [(_("Hold 0 on the dial pad"), _("type +"))]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialPad")
        self.setAccessibleName(_("Dial pad"))
        self.setAccessibleDescription(_("Click the keys to type the number; hold 0 for plus"))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(8)
        self.keys: dict[str, DialKey] = {}
        for index, (digit, letters, suffix) in enumerate(KEYS):
            key = DialKey(digit, letters, self)
            key.setObjectName(f"dialKey{suffix}")
            key.typed.connect(self.typed)
            self.keys[digit] = key
            grid.addWidget(key, index // 3, index % 3)

        self.clear_button = QToolButton(self)
        self.clear_button.setObjectName("clearButton")
        self.clear_button.setText(_("Clear"))
        self.clear_button.setAutoRaise(True)
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.setAccessibleName(_("Clear the number"))
        self.clear_button.setAccessibleDescription(_("Empties the number field (Esc)"))
        self.clear_button.setToolTip(_("Clear the number (Esc)"))
        self.clear_button.clicked.connect(self.clear_pressed)

        self.backspace_button = QToolButton(self)
        self.backspace_button.setObjectName("backspaceButton")
        self.backspace_button.setAutoRaise(True)
        self.backspace_button.setAutoRepeat(True)
        self.backspace_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.backspace_button.setIconSize(QSize(22, 22))
        self.backspace_button.setAccessibleName(_("Backspace"))
        self.backspace_button.setAccessibleDescription(
            _("Deletes the last character of the number")
        )
        self.backspace_button.setToolTip(_("Delete the last character (Backspace)"))
        self.backspace_button.clicked.connect(self.backspace_pressed)
        for button in (self.clear_button, self.backspace_button):
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setMinimumHeight(30)
        grid.addWidget(self.clear_button, 4, 0, Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(self.backspace_button, 4, 2, Qt.AlignmentFlag.AlignCenter)
        self._update_icons()

    def flash(self, character: str) -> None:
        """Light up the key for ``character`` (typed on the keyboard), if the pad has one."""
        key = self.keys.get("0" if character == "+" else character)
        if key is not None:
            key.flash()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._update_icons()

    def _update_icons(self) -> None:
        colour = self.palette().color(QPalette.ColorRole.ButtonText)
        self.backspace_button.setIcon(palette_icon("backspace", colour))
