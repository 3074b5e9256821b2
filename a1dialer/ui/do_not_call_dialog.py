"""The do-not-call list: numbers A1 Dialer refuses to dial, with why; add, remove and import.

The refusal itself happens where every call is placed (``place_call``); this dialog only edits
the list. Reading and writing run off the GUI thread.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from a1dialer import APP_NAME
from a1dialer.core.csv_import import RejectedRow
from a1dialer.core.do_not_call import DoNotCallEntry, DoNotCallList
from a1dialer.core.errors import BadInput
from a1dialer.core.settings import Settings
from a1dialer.core.translation import N_, _, ngettext
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tables import RowMenu
from a1dialer.ui.tasks import TaskRunner, error_sentence

log = logging.getLogger(__name__)

FAILED = N_("The do-not-call list could not be changed")


def _added_on(moment: datetime) -> str:
    """The day a number was added, as the rep's locale writes a short date."""
    local = moment.astimezone()
    day = QDate(local.year, local.month, local.day)
    return QLocale().toString(day, QLocale.FormatType.ShortFormat)


def ask_reason(parent: QWidget, number: str) -> str | None:
    """Why ``number`` must not be called ("" is allowed); ``None`` if the rep cancelled."""
    return DoNotCallDialog.ask_reason(parent, number)


class DoNotCallDialog(QDialog):
    """Shows and edits the do-not-call list.

    Signals:
        changed(): a number was added or removed (the window checks its number again).
    """

    changed = Signal()

    def __init__(
        self,
        dnc: DoNotCallList,
        tasks: TaskRunner,
        settings: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("doNotCallDialog")
        self.setWindowTitle(_("Do-not-call list — {app}").format(app=APP_NAME))
        self._dnc = dnc
        self._tasks = tasks
        self._settings = settings

        intro = QLabel(
            _(
                "A1 Dialer refuses to dial these numbers, from the window, the tray, links, "
                "call lists and the command line."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.number_edit = QLineEdit(self)
        self.number_edit.setObjectName("doNotCallNumber")
        self.number_edit.setPlaceholderText(_("Number"))
        self.number_edit.setAccessibleName(_("Number to add"))
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("doNotCallReason")
        self.reason_edit.setPlaceholderText(_("Reason (optional)"))
        self.reason_edit.setAccessibleName(_("Reason"))
        self.add_button = QPushButton(_("&Add"), self)
        self.add_button.setObjectName("doNotCallAdd")
        self.add_button.clicked.connect(self.add_typed)
        self.number_edit.returnPressed.connect(self.add_typed)
        self.reason_edit.returnPressed.connect(self.add_typed)
        add_row = QHBoxLayout()
        add_row.addWidget(self.number_edit, 2)
        add_row.addWidget(self.reason_edit, 3)
        add_row.addWidget(self.add_button)

        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("doNotCallTable")
        self.table.setAccessibleName(_("Numbers not to call"))
        self.table.setHorizontalHeaderLabels([_("Number"), _("Reason"), _("Added")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 160)
        remove_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        remove_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove_key.activated.connect(self.remove_selected)
        self.row_menu = RowMenu(self.table, self.row_menu_for)

        self.remove_button = QPushButton(_("&Remove"), self)
        self.remove_button.setObjectName("doNotCallRemove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button = QPushButton(_("&Import…"), self)
        self.import_button.setObjectName("doNotCallImport")
        self.import_button.clicked.connect(self.import_file)
        close = QPushButton(_("Close"), self)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        self.message = StatusLabel("doNotCallMessage", self)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(add_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(560, 420)
        self.reload()

    @classmethod
    def ask_reason(cls, parent: QWidget, number: str) -> str | None:
        """The reason for adding ``number``, "" allowed; ``None`` if cancelled. Tests replace it."""
        reason, ok = QInputDialog.getText(
            parent,
            _("Add to the do-not-call list"),
            _("A1 Dialer will refuse to dial {number}.").format(number=number)
            + "\n"
            + _("Reason (optional):"),
        )
        return reason.strip() if ok else None

    @classmethod
    def ask_file(cls, parent: QWidget) -> str:
        """The file of numbers to import, "" if cancelled; tests replace this."""
        path, _filter = QFileDialog.getOpenFileName(
            parent,
            _("Import numbers not to call"),
            "",
            # Translators: file dialog filters; keep the patterns in brackets as they are.
            _("CSV and text files (*.csv *.txt);;All (*)"),
        )
        return path

    # --- reading ------------------------------------------------------------------------------

    def reload(self) -> None:
        def done(entries: list[DoNotCallEntry] | None, error: BaseException | None) -> None:
            if error is not None:
                self._failed(error)
                return
            rows = entries or []
            self.table.setRowCount(len(rows))
            for r, entry in enumerate(rows):
                number = QTableWidgetItem(entry.display or entry.dial)
                number.setData(Qt.ItemDataRole.UserRole, entry.dial)
                self.table.setItem(r, 0, number)
                self.table.setItem(r, 1, QTableWidgetItem(entry.reason))
                self.table.setItem(r, 2, QTableWidgetItem(_added_on(entry.added_at)))
            self.remove_button.setEnabled(bool(rows))

        self._tasks.run(self._dnc.entries, done, owner=self)

    def numbers(self) -> list[str]:
        """The numbers shown, as displayed."""
        return [self._cell(r, 0).text() for r in range(self.table.rowCount())]

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None
        return item

    def row_menu_for(self, row: int) -> QMenu:
        """What right-click (or the Menu key) on a number offers."""
        number = self._cell(row, 0).text()
        menu = QMenu(self)
        copy = menu.addAction(_("&Copy number"))
        copy.triggered.connect(lambda *_: self.copy_number(number))
        remove = menu.addAction(_("&Remove from the list"))
        remove.triggered.connect(lambda *_: self.remove_selected())
        return menu

    def copy_number(self, number: str) -> None:
        QGuiApplication.clipboard().setText(number)
        self.message.show_message(_("Copied {number}.").format(number=number))

    # --- changing -----------------------------------------------------------------------------

    def add_typed(self) -> None:
        from a1dialer.core.numbers import parse_dial_input

        text = self.number_edit.text().strip()
        if not text:
            self.number_edit.setFocus()
            return
        try:
            target = parse_dial_input(
                text,
                self._settings.default_country,
                self._settings.number_format,
                extension_digits=self._settings.extension_digits,
            )
        except BadInput as exc:
            self.message.show_message(exc.sentence, "error")
            self.number_edit.setFocus()
            return
        reason = self.reason_edit.text().strip()

        def done(_result: object, error: BaseException | None) -> None:
            if error is not None:
                self._failed(error)
                return
            self.number_edit.clear()
            self.reason_edit.clear()
            self.number_edit.setFocus()
            self.message.show_message(
                _("{number} will not be dialled.").format(number=target.display), "ok"
            )
            self.changed.emit()
            self.reload()

        self._tasks.run(
            lambda: self._dnc.add(target.dial, target.display, reason), done, owner=self
        )

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        dials = [str(self._cell(r, 0).data(Qt.ItemDataRole.UserRole)) for r in rows]
        shown = [self._cell(r, 0).text() for r in rows]
        if not dials:
            return

        def remove() -> None:
            for dial in dials:
                self._dnc.remove(dial)

        def done(_result: object, error: BaseException | None) -> None:
            if error is not None:
                self._failed(error)
                return
            text = ngettext(
                "Removed {numbers}; it can be dialled again.",
                "Removed {numbers}; they can be dialled again.",
                len(shown),
            )
            self.message.show_message(text.format(numbers=", ".join(shown)))
            self.changed.emit()
            self.reload()

        self._tasks.run(remove, done, owner=self)

    def import_file(self) -> None:
        chosen = self.ask_file(self)
        if not chosen:
            return
        path = Path(chosen)
        settings = self._settings
        self.import_button.setEnabled(False)
        self.message.show_message(_("Importing {file}…").format(file=path.name))

        def done(
            result: tuple[int, list[RejectedRow], int] | None, error: BaseException | None
        ) -> None:
            self.import_button.setEnabled(True)
            if error is not None or result is None:
                self._failed(error)
                return
            added, rejected, count = result
            locale = QLocale()
            text = ngettext(
                "Added {n} number from {file}.", "Added {n} numbers from {file}.", added
            ).format(n=locale.toString(added), file=path.name)
            if rejected:
                # Translators: one unusable row of an imported file: its line number, its text
                # and why it was not used.
                row_text = _("line {line}: {text} ({reason})")
                rows = [
                    row_text.format(line=row.line, text=row.text, reason=row.reason)
                    for row in rejected[:5]
                ]
                # Translators: {rows} lists up to five unusable rows, separated by semicolons.
                unused = ngettext(
                    "{n} row could not be used: {rows}",
                    "{n} rows could not be used: {rows}",
                    count,
                ).format(n=locale.toString(count), rows="; ".join(rows))
                text += " " + unused
                text += " …" if count > 5 else ""
            self.message.show_message(text, "warning" if rejected else "ok")
            self.changed.emit()
            self.reload()

        self._tasks.run(
            lambda: self._dnc.import_numbers(
                path,
                settings.default_country,
                settings.number_format,
                _("Imported from {file}").format(file=path.name),
                extension_digits=settings.extension_digits,
            ),
            done,
            owner=self,
        )

    def _failed(self, error: BaseException | None) -> None:
        if error is not None:
            sentence = error_sentence(error, _(FAILED), file=_("Could not read the file"))
            self.message.show_message(sentence, "error")
