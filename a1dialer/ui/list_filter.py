"""Search and filter a call list: a proxy over the list's model, and the bar that drives it.

The proxy keeps the model whole (Dial next and the queue still see every row); the table shows
the rows that match. Each row's search text (name, company, notes; the digits of its numbers)
is built in small event-loop turns after a list is read and kept until the row changes, so a
search of a 50,000-row list costs about 30 ms (``bench/bench_list_filter.py``); typing waits
for a short pause before filtering.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
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
_NOT_DIGIT_OR_SPACE = re.compile(r"[^\d ]")
# Rows whose search text is built per event-loop turn after a list is read (a few ms each).
WARM_BATCH = 1000


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
    words = f"{entry.name}\n{entry.company}\n{entry.notes}".casefold()
    numbers = f"{entry.dial} {entry.number} {entry.display}"
    if entry.numbers:
        numbers += " " + " ".join(f"{n.dial} {n.number} {n.display}" for n in entry.numbers)
    return words, _NOT_DIGIT_OR_SPACE.sub("", numbers)


class CallListFilter(QAbstractProxyModel):
    """The rows of ``model`` that match the search and the view; ``clock`` says when "now" is.

    Which rows are shown is worked out in one pass over the model's entries (plain Python, no
    call per row from Qt), so a 50,000-row list filters in a few milliseconds; the table asks
    only for the rows on screen. A change of the model that moves a row in or out of the view
    (a row called while "To do" is shown) lays the rows out again, keeping the selection.

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
        self._view = ALL
        self._words: list[str] = []
        self._digits = ""
        self._texts: dict[int, tuple[ListEntry, tuple[str, str]]] = {}
        self._rows: list[int] = []  # the model's rows shown, in order
        self._kept: list[QPersistentModelIndex] = []
        self._kept_from: list[QModelIndex] = []
        self.setSourceModel(model)
        self._rows = self._matching()
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._model_reset)
        for about in (model.rowsAboutToBeInserted, model.rowsAboutToBeRemoved,
                      model.rowsAboutToBeMoved, model.layoutAboutToBeChanged):  # fmt: skip
            about.connect(self._about_to_change)
        for done in (model.rowsInserted, model.rowsRemoved, model.rowsMoved,
                     model.layoutChanged):  # fmt: skip
            done.connect(self._changed)
        model.dataChanged.connect(self._data_changed)
        self._warm_from = 0
        self._warm_timer = QTimer(self)
        self._warm_timer.setInterval(0)
        self._warm_timer.timeout.connect(self._warm)
        self._due_timer = QTimer(self)
        self._due_timer.setInterval(DUE_RECHECK_MS)
        self._due_timer.timeout.connect(self._refilter)

    # --- the filter -------------------------------------------------------------------------

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
        self._about_to_change()
        self._changed()
        self.filtered.emit()

    def _text(self, entry: ListEntry) -> tuple[str, str]:
        cached = self._texts.get(entry.id)
        if cached is None or cached[0] is not entry:
            cached = (entry, _search_text(entry))
            self._texts[entry.id] = cached
        return cached[1]

    def _accepts(self, entry: ListEntry, now: datetime) -> bool:
        """Whether the filter shows ``entry`` (one row; ``_matching`` does all at once)."""
        if self._view != ALL and not in_view(entry, self._view, now):
            return False
        if self._digits:
            return self._digits in self._text(entry)[1]
        words = self._text(entry)[0] if self._words else ""
        return all(word in words for word in self._words)

    def _matching(self) -> list[int]:
        """The model's rows to show, in one pass per condition: the loops are inlined, as this
        runs over every row at each change of the search."""
        entries = self._model.entries
        rows: list[int] | range = range(len(entries))
        if self._view != ALL:
            view, now = self._view, self._clock()
            rows = [row for row in rows if in_view(entries[row], view, now)]
        if self._digits or self._words:
            texts, text = self._texts, self._text
            which = 1 if self._digits else 0
            needles = [self._digits] if self._digits else self._words
            kept = []
            for row in rows:
                entry = entries[row]
                cached = texts.get(entry.id)
                haystack = (
                    cached[1][which]
                    if cached is not None and cached[0] is entry
                    else text(entry)[which]
                )
                if all(needle in haystack for needle in needles):
                    kept.append(row)
            rows = kept
        return list(rows)

    @property
    def warming(self) -> bool:
        """Whether the rows' search texts are still being built."""
        return self._warm_timer.isActive()

    def _warm(self) -> None:
        """Build a few thousand rows' search texts per event-loop turn after a list is read,
        so the first search does not stall on all of them at once."""
        entries = self._model.entries
        end = min(len(entries), self._warm_from + WARM_BATCH)
        for entry in entries[self._warm_from : end]:
            self._text(entry)
        self._warm_from = end
        if end >= len(entries):
            self._warm_timer.stop()

    # --- following the model ----------------------------------------------------------------

    def _model_reset(self) -> None:
        self._texts.clear()
        self._rows = self._matching()
        self.endResetModel()
        self._warm_from = 0
        self._warm_timer.start()

    def _about_to_change(self, *_args: object) -> None:
        self.layoutAboutToBeChanged.emit()
        self._kept_from = list(self.persistentIndexList())
        self._kept = [QPersistentModelIndex(self.mapToSource(i)) for i in self._kept_from]

    def _changed(self, *_args: object) -> None:
        self._rows = self._matching()
        new = [self.mapFromSource(kept) if kept.isValid() else QModelIndex()
               for kept in self._kept]  # fmt: skip
        self.changePersistentIndexList(self._kept_from, new)
        self._kept, self._kept_from = [], []
        self.layoutChanged.emit()

    def _data_changed(self, top: QModelIndex, bottom: QModelIndex, *_args: object) -> None:
        now = self._clock()
        entries = self._model.entries
        changed_rows = range(top.row(), bottom.row() + 1)
        if any(
            self._accepts(entries[row], now) != (self.shown_row(row) is not None)
            for row in changed_rows
        ):
            self._about_to_change()
            self._changed()
            return
        last = self.columnCount() - 1
        for row in changed_rows:
            shown = self.shown_row(row)
            if shown is not None:
                self.dataChanged.emit(self.index(shown, 0), self.index(shown, last))

    # --- rows shown and rows of the model ---------------------------------------------------

    def source_row(self, row: int) -> int | None:
        """The model's row shown at the table's ``row``."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def shown_row(self, source_row: int) -> int | None:
        """The table's row showing the model's ``source_row``, ``None`` if it is hidden."""
        at = bisect_left(self._rows, source_row)
        return at if at < len(self._rows) and self._rows[at] == source_row else None

    # --- QAbstractProxyModel ----------------------------------------------------------------

    def mapToSource(self, index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        row = self.source_row(index.row()) if index.isValid() else None
        if row is None:
            return QModelIndex()
        return self._model.index(row, index.column())

    def mapFromSource(self, index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        row = self.shown_row(index.row()) if index.isValid() else None
        if row is None:
            return QModelIndex()
        return self.index(row, index.column())

    def index(
        self,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex = QModelIndex(),  # noqa: B008 - Qt's
    ) -> QModelIndex:
        if parent.isValid() or not 0 <= row < len(self._rows):
            return QModelIndex()
        if not 0 <= column < self._model.columnCount():
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, _index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._model.columnCount()

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._rows)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # The column titles, even while no row matches (the base class asks a row for them).
        return self._model.headerData(section, orientation, role)


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
        proxy.layoutChanged.connect(self.show_count)
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
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.search_edit.text()
        ):
            event.accept()  # Esc clears the search here, not the dialer (the window's Esc)
            return True
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
