"""The country of the number being typed, for this one call (the default country from settings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QSizePolicy, QWidget

from a1dialer.core.translation import N_, _

if TYPE_CHECKING:
    from PySide6.QtGui import QFocusEvent, QKeyEvent, QPaintEvent

    from a1dialer.core.numbers import DialTarget
    from a1dialer.core.settings import Settings

TOOLTIP = N_("Country of a number typed without + or 00")


def target_for_country(text: str, country: str, settings: Settings) -> DialTarget:
    """What ``text`` dials when it is read as a number of ``country``; ``BadInput`` if nothing.

    The number is dialled from the rep's own country all the same: in the "national" number
    format, a number of the picked country is sent as the default country's PBX dials it.
    """
    from a1dialer.core.numbers import parse_dial_input

    return parse_dial_input(
        text,
        settings.default_country,
        settings.number_format,
        extension_digits=settings.extension_digits,
        country=country,
    )


def _plain(text: str) -> str:
    """``text`` for matching what a rep types: no accents, no case ("Côte" -> "cote")."""
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


class CountryPicker(QComboBox):
    """A compact choice of country beside the number: its code shows, the list names them all.

    Only the default country is in it until the rep first opens it or tabs to it: the list of
    about 240 countries (and the number rules that give their calling codes) need not delay the
    window's first paint. Typing a country's first letters picks it, open or closed.
    """

    def __init__(self, default_country: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("countryCombo")
        self.setAccessibleName(_("Country for this call"))
        self.setToolTip(_(TOOLTIP))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(3)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setMaxVisibleItems(15)
        self._default = default_country
        self._filled = False
        self._typed = ""
        self._last_key = QElapsedTimer()
        self.addItem(default_country, default_country)
        self.currentIndexChanged.connect(lambda _index: self._describe())
        self._describe()

    @property
    def country(self) -> str:
        """The picked country's code ("US")."""
        return str(self.currentData() or self._default)

    @property
    def default_country(self) -> str:
        return self._default

    def set_country(self, country: str) -> None:
        """Pick ``country`` (a code); the list is filled first if it is not in it yet."""
        if self.findData(country) < 0:
            self.fill()
        self.setCurrentIndex(max(0, self.findData(country)))

    def reset(self) -> None:
        """Back to the default country (the number was cleared, or its call placed)."""
        if self.country != self._default:
            self.set_country(self._default)

    def set_default_country(self, country: str) -> None:
        """The default changed in Settings: a pick of the old default follows it."""
        picked = country if self.country == self._default else self.country
        filled, self._filled, self._default = self._filled, False, country
        self.blockSignals(True)
        self.clear()
        self.addItem(country, country)
        self.blockSignals(False)
        if filled or picked != country:
            self.fill()
        self.set_country(picked)
        self._describe()

    def fill(self) -> None:
        """Every country by name with its calling code, the default first."""
        if self._filled:
            return
        import phonenumbers

        from a1dialer.ui.option_fields import country_names

        picked = self.country
        self._filled = True
        self.blockSignals(True)
        self.clear()
        names = dict(country_names())
        code_of = phonenumbers.country_code_for_region
        if self._default in names:
            self.addItem(f"{names[self._default]}  +{code_of(self._default)}", self._default)
            self.insertSeparator(1)
        for code, name in names.items():
            if code != self._default:
                self.addItem(f"{name}  +{code_of(code)}", code)
        self.setCurrentIndex(max(0, self.findData(picked)))
        self.blockSignals(False)
        view = self.view()
        view.setMinimumWidth(
            view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width()
        )
        self._describe()

    def showPopup(self) -> None:
        self.fill()
        super().showPopup()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Typing picks the first country whose name starts with what was typed ("united k").

        Qt's own search would open the list at the first space and start over in it.
        """
        text = event.text()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        searching = (
            bool(self._typed)
            and self._last_key.isValid()
            and self._last_key.elapsed() < QApplication.keyboardInputInterval()
        )
        letter = text.isprintable() and bool(text.strip()) and not text.isdigit()
        if plain and (letter or (text == " " and searching)):
            self.fill()
            self._typed = (self._typed if searching else "") + text
            self._last_key.start()
            wanted = _plain(self._typed)
            for index in range(self.count()):
                if self.itemData(index) and _plain(self.itemText(index)).startswith(wanted):
                    self.setCurrentIndex(index)
                    break
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.fill()
        super().focusInEvent(event)

    def _describe(self) -> None:
        self.setAccessibleDescription(f"{self.currentText().strip()}. {_(TOOLTIP)}")

    def paintEvent(self, event: QPaintEvent) -> None:
        """Closed, the box shows the country's code alone ("US"), so it fits beside the number."""
        from PySide6.QtWidgets import QStyle, QStyleOptionComboBox, QStylePainter

        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = self.country
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
