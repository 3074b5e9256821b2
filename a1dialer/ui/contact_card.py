"""The contact card: who the list row being called (or selected) is, and all their numbers.

It sits over the outcome panel, so the rep reads the name, company and notes while talking and
noting the outcome. Enter on another of the row's numbers (or its Call button) makes it the
row's number and calls it through the dock and the ``Dialer``, so the number rules, the
do-not-call refusal and the "called moments ago" question hold; while a call is in flight it
becomes the number of the next try.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from a1dialer.core.call_lists import EntryNumber, ListEntry
from a1dialer.core.list_entry_input import all_numbers
from a1dialer.core.translation import _
from a1dialer.ui.status_label import StatusLabel

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from a1dialer.ui.call_list_dock import CallListDock
    from a1dialer.ui.dialer import Dialer

NOTES_SHOWN = 300  # about three lines; the tooltip holds the rest
_NUMBER_ROLE = Qt.ItemDataRole.UserRole


class ContactCard(QFrame):
    """Shows the row being called, else the row selected in the list; hidden without either.

    Signals:
        numberChosen(object, object, bool): the ``ListEntry``, the ``EntryNumber`` the rep
            picked, and whether to call it now (``False``: for the next try).
        editRequested(object): the rep wants to edit this ``ListEntry``.
    """

    numberChosen = Signal(object, object, bool)
    editRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(_("Contact card"))
        self._selected: ListEntry | None = None
        self._calling: ListEntry | None = None
        self._in_flight = False
        self._shown_id = 0

        self.name_label = QLabel(self)
        self.name_label.setObjectName("contactCardName")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.name_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.name_label.setFont(font)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("contactCardState")
        self.edit_button = QPushButton(_("Ed&it…"), self)
        self.edit_button.setObjectName("contactCardEdit")
        self.edit_button.setAccessibleName(_("Edit this contact"))
        self.edit_button.clicked.connect(self._edit)
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.name_label, 1)
        top.addWidget(self.state_label)
        top.addWidget(self.edit_button)

        self.company_label = QLabel(self)
        self.company_label.setObjectName("contactCardCompany")
        self.company_label.setTextFormat(Qt.TextFormat.PlainText)
        self.company_label.setWordWrap(True)

        self.numbers = QListWidget(self)
        self.numbers.setObjectName("contactCardNumbers")
        self.numbers.setAccessibleName(_("Numbers of this contact"))
        self.numbers.setAccessibleDescription(
            _("Enter calls the chosen number and makes it the one this row dials")
        )
        self.numbers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.numbers.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.numbers.setUniformItemSizes(True)
        self.numbers.itemActivated.connect(lambda _item: self.call_chosen())
        self.numbers.currentRowChanged.connect(lambda _row: self._update_call_button())
        self.call_button = QPushButton(_("Call this &number"), self)
        self.call_button.setObjectName("contactCardCall")
        self.call_button.setAutoDefault(True)
        self.call_button.clicked.connect(self.call_chosen)

        self.notes_label = QLabel(self)
        self.notes_label.setObjectName("contactCardNotes")
        self.notes_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = StatusLabel("contactCardMessage", self)

        column = QVBoxLayout(self)
        column.setContentsMargins(10, 8, 10, 8)
        column.setSpacing(4)
        column.addLayout(top)
        column.addWidget(self.company_label)
        column.addWidget(self.numbers)
        column.addWidget(self.call_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.notes_label)
        column.addWidget(self.message)
        self.hide()

    # --- what is shown ----------------------------------------------------------------------

    @property
    def entry(self) -> ListEntry | None:
        """The row on the card: the one being called, else the one selected."""
        return self._calling or self._selected

    @property
    def calling(self) -> bool:
        """Whether the card shows the row being called (rather than the one selected)."""
        return self._calling is not None

    def set_selected(self, entry: ListEntry | None) -> None:
        """The row selected in the list (``None``: none); shown unless a row is being called."""
        self._selected = entry
        self._show()

    def set_calling(self, entry: ListEntry | None, *, in_flight: bool = False) -> None:
        """The row being called (``None`` when the call and its outcome are over)."""
        self._calling = entry
        self._in_flight = in_flight and entry is not None
        self.message.clear_message()
        self._show()

    def set_in_flight(self, in_flight: bool) -> None:
        """Whether the PBX is still placing the row's call (a switch is then for the next try)."""
        self._in_flight = in_flight and self._calling is not None
        self._show()

    def entry_changed(self, entry: ListEntry) -> None:
        """The store or the rep changed a row: show the new one if it is on the card."""
        if self._calling is not None and self._calling.id == entry.id:
            self._calling = entry
        if self._selected is not None and self._selected.id == entry.id:
            self._selected = entry
        self._show()

    def say(self, text: str, kind: str = "note") -> None:
        self.message.show_message(text, kind)

    def _show(self) -> None:
        entry = self.entry
        if entry is None:
            self.hide()
            return
        self.name_label.setText(entry.name or entry.display or entry.number)
        self.company_label.setText(entry.company)
        self.company_label.setVisible(bool(entry.company))
        if entry.dnc:
            self.state_label.setText(_("Do not call"))
        elif self.calling:
            self.state_label.setText(_("Calling") if self._in_flight else _("Called"))
        else:
            self.state_label.setText("")
        notes = " ".join(entry.notes.split())
        if len(notes) > NOTES_SHOWN:
            self.notes_label.setToolTip(entry.notes[:5000])
            notes = notes[:NOTES_SHOWN] + "…"
        else:
            self.notes_label.setToolTip("")
        self.notes_label.setText(notes)
        self.notes_label.setVisible(bool(notes))
        self._fill_numbers(entry)
        self.setAccessibleDescription(
            ", ".join(part for part in (entry.name, entry.company, entry.display) if part)
        )
        self.show()

    def _fill_numbers(self, entry: ListEntry) -> None:
        numbers = all_numbers(entry)
        chosen = self.numbers.currentRow()
        self.numbers.blockSignals(True)
        self.numbers.clear()
        for number in numbers:
            is_dialled = number.dial == entry.dial
            if is_dialled:
                if not self.calling:
                    mark = _("to call")
                else:
                    mark = _("calling") if self._in_flight else _("called")
                text = _("{label}: {number}  ◀ {mark}").format(
                    label=number.label, number=number.display or number.number, mark=mark
                )
            else:
                text = _("{label}: {number}").format(
                    label=number.label, number=number.display or number.number
                )
            item = QListWidgetItem(text, self.numbers)
            item.setToolTip(text)
            item.setData(_NUMBER_ROLE, number)
            if is_dialled:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
        if entry.id != self._shown_id or not 0 <= chosen < len(numbers):
            dialled = [i for i, number in enumerate(numbers) if number.dial == entry.dial]
            chosen = dialled[0] if dialled else 0
        self._shown_id = entry.id
        self.numbers.setCurrentRow(chosen)
        self.numbers.blockSignals(False)
        rows = max(1, min(len(numbers), 4))  # more than four scroll
        row_height = max(self.numbers.sizeHintForRow(0), self.fontMetrics().height() + 4)
        self.numbers.setFixedHeight(row_height * rows + 2 * self.numbers.frameWidth() + 2)
        self._update_call_button()

    def _update_call_button(self) -> None:
        entry, number = self.entry, self.chosen_number()
        if entry is None or number is None:
            self.call_button.setEnabled(False)
            return
        self.call_button.setEnabled(True)
        # With one number there is nothing to switch to: Dial next and Enter in the list call it.
        self.call_button.setVisible(self.numbers.count() > 1)
        if self._in_flight:
            self.call_button.setText(_("Use for the &next try"))
        else:
            self.call_button.setText(_("Call this &number"))

    # --- the rep's choices ------------------------------------------------------------------

    def chosen_number(self) -> EntryNumber | None:
        row = self.numbers.currentRow()
        if row < 0:
            return None
        number = self.numbers.item(row).data(_NUMBER_ROLE)
        return number if isinstance(number, EntryNumber) else None

    def choose(self, dial: str) -> bool:
        """Make the number dialled as ``dial`` the card's current one; ``False`` if none is."""
        for row in range(self.numbers.count()):
            item = self.numbers.item(row)
            number = item.data(_NUMBER_ROLE)
            if isinstance(number, EntryNumber) and number.dial == dial:
                self.numbers.setCurrentRow(row)
                return True
        return False

    def call_chosen(self) -> None:
        """Call the chosen number (or keep it for the next try while a call is in flight)."""
        entry, number = self.entry, self.chosen_number()
        if entry is None or number is None:
            return
        self.numberChosen.emit(entry, number, not self._in_flight)

    def _edit(self) -> None:
        if self.entry is not None:
            self.editRequested.emit(self.entry)


def follow_call_list(
    card: ContactCard, dock: CallListDock, dialer: Dialer, outcome_closed: SignalInstance
) -> None:
    """Keep ``card`` on the row ``dock`` calls or has selected; its choices go to ``dock``."""

    def same_row(tag: object) -> bool:
        calling = card.entry if card.calling else None
        return isinstance(tag, ListEntry) and calling is not None and tag.id == calling.id

    def selected(*_args: object) -> None:
        card.set_selected(dock.selected_entry() if dock.isVisible() else None)

    def rows_changed(top: object, bottom: object, *_args: object) -> None:
        for row in range(top.row(), bottom.row() + 1):  # type: ignore[attr-defined]
            card.entry_changed(dock.model.entry_at(row))

    def call_over(tag: object, *_args: object) -> None:
        if same_row(tag):
            card.set_calling(None)

    def placed(tag: object, *_args: object) -> None:
        if same_row(tag):
            card.set_in_flight(False)

    def chosen(entry: ListEntry, number: EntryNumber, call_now: bool) -> None:
        dock.use_number(entry.id, number, call_now=call_now)
        if not call_now:
            shown = number.display or number.number
            card.say(_("The next try calls {number}.").format(number=shown), "ok")

    selection = dock.table.selectionModel()
    selection.currentRowChanged.connect(selected)
    selection.selectionChanged.connect(selected)
    dock.visibilityChanged.connect(selected)
    dock.listChanged.connect(selected)
    dock.model.dataChanged.connect(rows_changed)
    dock.entryDialled.connect(lambda entry: card.set_calling(entry, in_flight=True))
    dialer.placed.connect(placed)
    dialer.unknown.connect(placed)
    dialer.failed.connect(call_over)
    dialer.declined.connect(call_over)
    outcome_closed.connect(lambda: card.set_calling(None))
    card.numberChosen.connect(chosen)
    card.editRequested.connect(dock.open_entry_dialog)
