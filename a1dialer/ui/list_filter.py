"""Search and filter a call list: a proxy over the list's model, and the bar that drives it.

The proxy keeps the model whole (Dial next and the queue still see every row); the table shows
the rows that match. A row's search text (name, company, notes; the digits of its numbers) is
built once and reused until the row changes, so a search of a 50,000-row list takes a few tens
of milliseconds; typing waits for a short pause before filtering.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from a1dialer.core.call_lists import ListEntry
from a1dialer.core.translation import _
from a1dialer.ui.call_list_model import CallListModel

ALL, TODO, DUE, DONE, DNC = "all", "todo", "due", "done", "dnc"
VIEWS = (ALL, TODO, DUE, DONE, DNC)
SEARCH_PAUSE_MS = 200
# "Due" changes as the clock runs: looked at again this often while that view is shown.
DUE_RECHECK_MS = 30_000
# A query of digits and phone punctuation only is looked for in the numbers' digits.
_DIGITS_QUERY = re.compile(r"[\d\s+().\-/]*\d[\d\s+().\-/]*")
_NOT_DIGIT = re.compile(r"\D")


def view_names() -> dict[str, str]:
    """The filter's choices as the rep reads them."""
    return {
        ALL: _("All"),
        TODO: _("To do"),
        DUE: _("Due now"),
        DONE: _("Done"),
        DNC: _("Do not call"),
    }


def in_view(entry: ListEntry, view: str, now: datetime) -> bool:
    """Whether ``entry`` belongs in ``view``: to do (not do-not-call), due (to do and its retry
    time has come), done (called or skipped) or do-not-call."""
    if view == TODO:
        return entry.state == "todo" and not entry.dnc
    if view == DUE:
        return (
            entry.state == "todo"
            and not entry.dnc
            and (entry.due_at is None or entry.due_at <= now)
        )
    if view == DONE:
        return entry.state != "todo" and not entry.dnc
    if view == DNC:
        return entry.dnc
    return True


def _search_text(entry: ListEntry) -> tuple[str, str]:
    """What a search looks in: the row's words folded, and the digits of every number."""
    words = "\n".join((entry.name, entry.company, entry.notes)).casefold()
    numbers = [entry.dial, entry.number, entry.display]
    for number in entry.numbers:
        numbers += (number.dial, number.number, number.display)
    return words, " ".join(_NOT_DIGIT.sub("", number) for number in numbers)


class CallListFilter(QSortFilterProxyModel):
    """The rows of ``model`` that match the search and the view; ``clock`` says when "now" is.

    Signals:
        filtered(): the rows shown changed because the search or the view did.
    """

    filtered = Signal()

    def __init__(
        self,
        model: CallListModel,
        parent: QObject | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._clock = clock or (lambda: datetime.now(UTC))
        self._now = self._clock()
        self._view = ALL
        self._words: list[str] = []
        self._digits = ""
        self._texts: dict[int, tuple[ListEntry, tuple[str, str]]] = {}
        self.setSourceModel(model)
        model.modelReset.connect(self._texts.clear)
        self._due_timer = QTimer(self)
        self._due_timer.setInterval(DUE_RECHECK_MS)
        self._due_timer.timeout.connect(self._refilter)

    @property
    def active(self) -> bool:
        """Whether some rows may be hidden (a search or a view other than All)."""
        return self._view != ALL or bool(self._words or self._digits)

    @property
    def view(self) -> str:
        return self._view

    def set_view(self, view: str) -> None:
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}")
        self._view = view
        if view == DUE:
            self._due_timer.start()
        else:
            self._due_timer.stop()
        self._refilter()

    def set_search(self, text: str) -> None:
        """Rows whose name, company or notes hold every word of ``text``; a number (digits
        and phone punctuation only) is looked for in the rows' numbers."""
        text = text.strip()
        if _DIGITS_QUERY.fullmatch(text):
            self._digits, self._words = _NOT_DIGIT.sub("", text), []
        else:
            self._digits, self._words = "", text.casefold().split()
        self._refilter()

    def _refilter(self) -> None:
        self._now = self._clock()
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self.filtered.emit()

    def source_row(self, row: int) -> int | None:
        """The model's row shown at the table's ``row``."""
        index = self.mapToSource(self.index(row, 0))
        return index.row() if index.isValid() else None

    def shown_row(self, source_row: int) -> int | None:
        """The table's row showing the model's ``source_row``, ``None`` if it is hidden."""
        index = self.mapFromSource(self._model.index(source_row, 0))
        return index.row() if index.isValid() else None

    def filterAcceptsRow(
        self,
        source_row: int,
        source_parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        entry = self._model.entries[source_row]
        if self._view != ALL and not in_view(entry, self._view, self._now):
            return False
        if not self._words and not self._digits:
            return True
        cached = self._texts.get(entry.id)
        if cached is None or cached[0] is not entry:
            cached = (entry, _search_text(entry))
            self._texts[entry.id] = cached
        words, digits = cached[1]
        if self._digits:
            return self._digits in digits
        return all(word in words for word in self._words)


class ListSearchBar(QWidget):
    """The search field, the view picker, how many rows are shown, and "Add…"."""

    def __init__(self, proxy: CallListFilter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callListSearchBar")
        self._proxy = proxy
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("callListSearch")
        self.search_edit.setPlaceholderText(_("Search name, company, number, notes"))
        self.search_edit.setAccessibleName(_("Search the list"))
        self.search_edit.setToolTip(_("Ctrl+F; Down goes to the numbers, Esc clears"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        self.view_combo = QComboBox(self)
        self.view_combo.setObjectName("callListViewFilter")
        self.view_combo.setAccessibleName(_("Show"))
        for view, name in view_names().items():
            self.view_combo.addItem(name, view)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("callListShownCount")
        self.add_button = QToolButton(self)
        self.add_button.setObjectName("callListAddRow")
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.view_combo)
        row.addWidget(self.count_label)
        row.addWidget(self.add_button)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._pause.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(lambda _text: self._pause.start())
        self.view_combo.currentIndexChanged.connect(
            lambda _index: proxy.set_view(str(self.view_combo.currentData()))
        )
        proxy.filtered.connect(self.show_count)
        proxy.rowsInserted.connect(self.show_count)
        proxy.rowsRemoved.connect(self.show_count)
        proxy.modelReset.connect(self.show_count)
        self.table: QWidget | None = None

    def apply_search(self) -> None:
        """Filter by the search text now (typing waits for a short pause first)."""
        self._pause.stop()
        self._proxy.set_search(self.search_edit.text())

    def set_view(self, view: str) -> None:
        self.view_combo.setCurrentIndex(self.view_combo.findData(view))

    def show_count(self) -> None:
        proxy = self._proxy
        if not proxy.active:
            self.count_label.setText("")
            return
        total = proxy.sourceModel().rowCount()
        self.count_label.setText(
            _("{shown:,} of {total:,}").format(shown=proxy.rowCount(), total=total)
        )
        self.count_label.setAccessibleName(
            _("{shown:,} of {total:,} rows shown").format(shown=proxy.rowCount(), total=total)
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            if event.key() == Qt.Key.Key_Escape and self.search_edit.text():
                self.search_edit.clear()
                self.apply_search()
                return True
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.apply_search()
                if self.table is not None:
                    self.table.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)
