"""Import a CSV file or workbook as a call list: preview, pick the columns, import with progress.

Reading, converting and storing run off the GUI thread, so the window stays responsive even for
50,000 rows. The preview shows which column each row would be dialled on; the phone columns are
tried in an order the rep can change. Rows whose number cannot be used are listed afterwards with
their line and reason (and can be copied or saved); nothing is dropped silently. Rows whose
numbers are all on the do-not-call list are imported flagged, never dialled, and counted.
"""

from __future__ import annotations

import csv
import io
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from a1dialer import APP_NAME
from a1dialer.core.call_lists import CallListStore
from a1dialer.core.csv_columns import ColumnMap
from a1dialer.core.csv_import import CsvTable, ImportResult, RejectedRow, column_name, convert
from a1dialer.core.errors import Cancelled, DialerError
from a1dialer.core.settings import Settings
from a1dialer.core.translation import N_, _, ngettext, pgettext
from a1dialer.ui.phone_columns import PhoneColumnOrder
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tables import RowMenu
from a1dialer.ui.tasks import TaskRunner, error_sentence

log = logging.getLogger(__name__)

PREVIEW_ROWS = 8
# Translators: the choice for "no column of the file" in a column picker.
NO_COLUMN = N_("(none)")
# (field, its label, the accessible name of its column picker)
COLUMN_FIELDS = (
    ("name", N_("&Name:"), N_("Name column")),
    ("last_name", N_("L&ast name:"), N_("Last name column")),
    ("company", N_("&Company:"), N_("Company column")),
    ("notes", N_("N&otes:"), N_("Notes column")),
)
IMPORT_FAILED = N_("The import failed")
# Progress reports from the worker are passed on only when the shown percentage changes.
PROGRESS_STEPS = 100


@dataclass(frozen=True)
class ImportDone:
    """A stored list and the rows that could not be used."""

    list_id: int
    imported: int
    rejected: list[RejectedRow]  # the first ``MAX_REJECTED_KEPT``
    rejected_count: int
    dnc_count: int = 0  # imported flagged do-not-call, never dialled


def result_sentence(imported: int, rejected: int, dnc: int = 0) -> str:
    """ "Imported 4,812 numbers. 23 rows could not be used. 12 imported numbers are on the
    do-not-call list; they will never be dialled." """
    text = ngettext("Imported {n:,} number.", "Imported {n:,} numbers.", imported).format(
        n=imported
    )
    if rejected:
        text += " " + ngettext(
            "{n:,} row could not be used.", "{n:,} rows could not be used.", rejected
        ).format(n=rejected)
    if dnc:
        text += " " + ngettext(
            "{n:,} imported number is on the do-not-call list; it will never be dialled.",
            "{n:,} imported numbers are on the do-not-call list; they will never be dialled.",
            dnc,
        ).format(n=dnc)
    return text


def rejected_as_csv(rows: list[RejectedRow]) -> str:
    """The rejected rows as CSV text (line, row, reason) for the clipboard or a file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_rejected_headers())
    for row in rows:
        writer.writerow((row.line, row.text, row.reason))
    return buffer.getvalue()


def _how_read(table: CsvTable) -> str:
    """How a CSV file was read: "Read as UTF-8, comma-separated, 4 columns." """
    n, encoding = len(table.headers), table.encoding
    if table.delimiter == ";":
        # Translators: {encoding} is a text encoding such as "UTF-8" or "Windows-1252".
        text = ngettext(
            "Read as {encoding}, semicolon-separated, {n} column.",
            "Read as {encoding}, semicolon-separated, {n} columns.",
            n,
        )
    elif table.delimiter == "\t":
        text = ngettext(
            "Read as {encoding}, tab-separated, {n} column.",
            "Read as {encoding}, tab-separated, {n} columns.",
            n,
        )
    elif table.delimiter == "|":
        text = ngettext(
            "Read as {encoding}, vertical bar-separated, {n} column.",
            "Read as {encoding}, vertical bar-separated, {n} columns.",
            n,
        )
    else:
        text = ngettext(
            "Read as {encoding}, comma-separated, {n} column.",
            "Read as {encoding}, comma-separated, {n} columns.",
            n,
        )
    return text.format(encoding=encoding, n=n)


def _rejected_headers() -> list[str]:
    """The headings of the rows that could not be used: line, row, reason."""
    return [pgettext("column", "Line"), pgettext("column", "Row"), pgettext("column", "Reason")]


class _Progress(QObject):
    """Lives on the GUI thread; the worker's emits arrive queued."""

    changed = Signal(int)


class ListImportDialog(QDialog):
    """Pick a CSV file's columns and import it as a new call list.

    Signals:
        imported(int): the list was stored; carries its id.
    """

    imported = Signal(int)

    def __init__(
        self,
        store: CallListStore,
        tasks: TaskRunner,
        settings: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("listImportDialog")
        self.setWindowTitle(_("Import a call list — {app}").format(app=APP_NAME))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._store = store
        self._tasks = tasks
        self._settings = settings
        self._table: CsvTable | None = None
        self._blocked: frozenset[str] = frozenset()  # the do-not-call list, read with the file
        self._cancel = threading.Event()
        self._running = False
        self.result_text = ""
        self.done_result: ImportDone | None = None
        self._progress = _Progress(self)
        self._progress.changed.connect(self._show_progress)

        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("importPath")
        self.path_edit.setReadOnly(True)
        self.path_edit.setAccessibleName(_("CSV file or workbook"))
        self.browse_button = QPushButton(_("&Browse…"), self)
        self.browse_button.setObjectName("importBrowse")
        self.browse_button.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        self.detected_label = QLabel(self)
        self.detected_label.setObjectName("importDetected")
        self.detected_label.setWordWrap(True)

        self.preview = QTableWidget(self)
        self.preview.setObjectName("importPreview")
        self.preview.setAccessibleName(_("First rows of the file"))
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setWordWrap(False)
        self.preview.verticalHeader().hide()
        self.preview.setMinimumHeight(self.fontMetrics().height() * 9)

        columns = QGroupBox(_("Columns"), self)
        columns.setObjectName("importColumns")
        form = QFormLayout(columns)
        self.sheet_combo = QComboBox(columns)
        self.sheet_combo.setObjectName("importSheet")
        self.sheet_combo.setAccessibleName(_("Sheet of the workbook"))
        self.sheet_combo.activated.connect(self._choose_sheet)
        self.sheet_label = QLabel(_("S&heet:"), columns)
        self.sheet_label.setBuddy(self.sheet_combo)
        form.addRow(self.sheet_label, self.sheet_combo)
        self.phone_order = PhoneColumnOrder(columns)
        self.phone_order.changed.connect(self._columns_changed)
        phone_label = QLabel(_("&Phone numbers,\nin the order tried:"), columns)
        phone_label.setBuddy(self.phone_order.list)
        form.addRow(phone_label, self.phone_order)
        self.column_combos: dict[str, QComboBox] = {}
        for field, label, accessible in COLUMN_FIELDS:
            combo = QComboBox(columns)
            combo.setObjectName(f"import{field.title().replace('_', '')}Column")
            combo.setAccessibleName(_(accessible))
            if field == "last_name":
                combo.setToolTip(_("When the file has first and last names in two columns"))
            combo.currentIndexChanged.connect(self._columns_changed)
            caption = QLabel(_(label), columns)
            caption.setBuddy(combo)
            form.addRow(caption, combo)
            self.column_combos[field] = combo
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("importListName")
        self.name_edit.setAccessibleName(_("Name of the new list"))
        self.name_edit.textChanged.connect(self._update_buttons)
        list_label = QLabel(_("&List name:"), columns)
        list_label.setBuddy(self.name_edit)
        form.addRow(list_label, self.name_edit)

        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("importProgress")
        self.progress_bar.setAccessibleName(_("Import progress"))
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_bar.hide()
        self.message = StatusLabel("importMessage", self)
        self.message.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )

        self.rejected_table = QTableWidget(0, 3, self)
        self.rejected_table.setObjectName("importRejected")
        self.rejected_table.setAccessibleName(_("Rows that could not be used"))
        self.rejected_table.setHorizontalHeaderLabels(_rejected_headers())
        self.rejected_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rejected_table.verticalHeader().hide()
        self.rejected_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch
        )
        self.rejected_table.hide()
        self.rejected_menu = RowMenu(self.rejected_table, self._rejected_row_menu)
        self.copy_button = QPushButton(_("Cop&y rows"), self)
        self.copy_button.setObjectName("importCopyRejected")
        self.copy_button.setToolTip(_("Copy the rows that could not be used, as CSV"))
        self.copy_button.clicked.connect(self.copy_rejected)
        self.save_button = QPushButton(_("&Save rows as…"), self)
        self.save_button.setObjectName("importSaveRejected")
        self.save_button.clicked.connect(self.save_rejected)
        self.import_button = QPushButton(_("&Import"), self)
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = QPushButton(_("Cancel"), self)
        self.cancel_button.setObjectName("importCancel")
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.detected_label)
        layout.addWidget(self.preview, 1)
        layout.addWidget(columns)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.message)
        layout.addWidget(self.rejected_table, 1)
        layout.addLayout(buttons)
        self.resize(640, 560)
        self._set_result_buttons(False)
        self._update_buttons()

    # --- choosing the file --------------------------------------------------------------------

    @classmethod
    def ask_file(cls, parent: QWidget) -> str:
        """The file the rep picks, "" if cancelled; tests replace this."""
        path, _filter = QFileDialog.getOpenFileName(
            parent,
            _("Import a call list"),
            "",
            _(
                "Lists (*.csv *.txt *.tsv *.xlsx *.xlsm);;CSV and text files (*.csv *.txt *.tsv)"
                ";;Excel workbooks (*.xlsx *.xlsm);;All files (*)"
            ),
        )
        return path

    def open_for_file(self) -> None:
        """Ask for a file, then show the dialog with its preview (nothing if cancelled)."""
        chosen = self.ask_file(self.parentWidget() or self)
        if not chosen:
            self.deleteLater()
            return
        self.show()
        self.load(Path(chosen))

    def browse(self) -> None:
        chosen = self.ask_file(self)
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path, sheet: str | None = None) -> None:
        """Read the start of ``path`` (of a workbook, ``sheet``, by default its first) off the
        GUI thread, then show it and the guessed columns."""
        from a1dialer.core.csv_import import read_table

        self.path_edit.setText(str(path))
        self._table = None
        self.detected_label.setText(_("Reading the file…"))
        self.message.clear_message()
        self._update_buttons()

        def read() -> tuple[CsvTable, frozenset[str]]:
            from a1dialer.core.do_not_call import DoNotCallList

            return read_table(path, sheet=sheet), DoNotCallList(self._store.call_log).keys()

        def done(read: tuple[CsvTable, frozenset[str]] | None, error: BaseException | None) -> None:
            if str(path) != self.path_edit.text():
                return
            if error is not None or read is None:
                self.detected_label.setText("")
                self._show_error(error)
                return
            self._blocked = read[1]
            self._show_table(path, read[0])

        self._tasks.run(read, done, owner=self)

    def _choose_sheet(self, index: int) -> None:
        table = self._table
        name = self.sheet_combo.itemText(index)
        if table is not None and name and name != table.sheet:
            self.load(table.path, sheet=name)

    def _show_table(self, path: Path, table: CsvTable) -> None:
        from a1dialer.core.csv_columns import guess_columns

        self._table = table
        if table.sheet:
            count = len(table.headers)
            self.detected_label.setText(
                ngettext(
                    "Read the sheet {sheet} of the workbook, {n} column.",
                    "Read the sheet {sheet} of the workbook, {n} columns.",
                    count,
                ).format(sheet=table.sheet, n=count)
            )
        else:
            detected = _how_read(table)
            self.detected_label.setText(
                f"{detected} {table.warning}" if table.warning else detected
            )
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(table.sheets))
        self.sheet_combo.setCurrentText(table.sheet)
        self.sheet_label.setVisible(len(table.sheets) > 1)
        self.sheet_combo.setVisible(len(table.sheets) > 1)
        headers = list(table.headers)
        guess = guess_columns(table.headers)
        for field, combo in self.column_combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_(NO_COLUMN), None)
            for index, header in enumerate(headers):
                combo.addItem(header or column_name(index), index)
            chosen = getattr(guess, field)
            combo.setCurrentIndex(0 if chosen is None else int(chosen) + 1)
            combo.blockSignals(False)
        self.phone_order.set_columns(headers, guess.phones)
        if not self.name_edit.text().strip():
            self.name_edit.setText(path.stem.replace("_", " "))
        self._update_buttons()
        self.phone_order.list.setFocus()

    def _show_preview(self) -> None:
        """The first rows, a first column saying which number each would be dialled on, and
        the phone columns' headers numbered in the order tried."""
        from a1dialer.core.csv_import import preview_numbers

        table = self._table
        if table is None:
            return
        order = self.phone_order.order()
        headers = [_("Will dial")]
        for index, header in enumerate(table.headers):
            place = order.index(index) + 1 if index in order else 0
            headers.append(f"{header} [{place}]" if place else header)
        self.preview.clear()
        self.preview.setColumnCount(len(headers))
        self.preview.setHorizontalHeaderLabels(headers)
        rows = list(table.rows[:PREVIEW_ROWS])
        self.preview.setRowCount(len(rows))
        settings = self._settings
        try:
            dialled = preview_numbers(
                table,
                self.column_map(),
                settings.default_country,
                settings.number_format,
                extension_digits=settings.extension_digits,
                blocked=self._blocked,
                rows=PREVIEW_ROWS,
            )
        except DialerError:  # a bad setting: the import says so in one sentence
            dialled = []
        for r, row in enumerate(rows):
            if r < len(dialled):
                label, shown, dnc = dialled[r]
                if dnc:
                    text = _("Never, on the do-not-call list: {number}").format(number=shown)
                elif label:
                    text = _("{column}: {number}").format(column=label, number=shown)
                else:
                    text = _("Not imported: {reason}").format(reason=shown)
                item = QTableWidgetItem(text)
                item.setToolTip(item.text())
                self.preview.setItem(r, 0, item)
            for c, value in enumerate(row[: len(table.headers)]):
                self.preview.setItem(r, c + 1, QTableWidgetItem(value))
        self.preview.resizeColumnsToContents()
        self.preview.setColumnWidth(0, min(self.preview.columnWidth(0), 260))

    def _columns_changed(self, *_args: object) -> None:
        self._show_preview()
        self._update_buttons()

    def column_map(self) -> ColumnMap:
        """The columns picked: the phone columns in their order, the rest in the combo boxes."""
        chosen = {field: combo.currentData() for field, combo in self.column_combos.items()}
        phones = self.phone_order.order()
        return ColumnMap(phone=phones[0] if phones else None, more_phones=phones[1:], **chosen)

    # --- importing ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    def start_import(self) -> None:
        """Convert every row and store the list, off the GUI thread, with progress."""
        table = self._table
        if table is None or self._running or not self._can_import():
            return
        mapping = self.column_map()
        name = self.name_edit.text().strip()
        country, number_format = self._settings.default_country, self._settings.number_format
        extension_digits = self._settings.extension_digits
        self._cancel.clear()
        self._set_running(True)
        self.message.show_message(_("Importing…"))
        last = [-1]

        def progress(done: int, total: int) -> None:
            step = done * PROGRESS_STEPS // total if total else PROGRESS_STEPS
            if step != last[0]:
                last[0] = step
                self._progress.changed.emit(step)

        def work() -> ImportDone:
            from a1dialer.core.do_not_call import DoNotCallList

            # Read again: a number may have been blocked since the file was opened.
            result: ImportResult = convert(
                table,
                mapping,
                country,
                number_format,
                progress,
                self._cancel.is_set,
                extension_digits=extension_digits,
                blocked=DoNotCallList(self._store.call_log).keys(),
            )
            try:
                if self._cancel.is_set():
                    raise Cancelled(_("The import was cancelled; no list was made."))
                list_id = self._store.create_list(name, result.entries)
                return ImportDone(
                    list_id,
                    len(result.entries),
                    result.rejected,
                    result.rejected_count,
                    result.dnc_count,
                )
            finally:
                result.entries.close()

        self._tasks.run(work, self._finished, owner=self)

    def cancel(self) -> None:
        """Stop a running import (nothing is stored), or close the dialog."""
        if self._running:
            self._cancel.set()
            self.message.show_message(_("Cancelling…"))
            self.cancel_button.setEnabled(False)
        else:
            self.reject()

    def _show_progress(self, step: int) -> None:
        if self._running:
            self.progress_bar.setValue(step)

    def _finished(self, done: ImportDone | None, error: BaseException | None) -> None:
        self._set_running(False)
        if error is not None or done is None:
            self.progress_bar.hide()
            self._show_error(error)
            return
        self.progress_bar.setValue(PROGRESS_STEPS)
        self.done_result = done
        self.result_text = result_sentence(done.imported, done.rejected_count, done.dnc_count)
        self.message.show_message(self.result_text, "warning" if done.rejected else "ok")
        self._show_rejected(done.rejected)
        self.imported.emit(done.list_id)
        self.import_button.hide()
        self.cancel_button.setText(_("Close"))
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()

    def _show_rejected(self, rows: list[RejectedRow]) -> None:
        table = self.rejected_table
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate((str(row.line), row.text, row.reason)):
                table.setItem(r, c, QTableWidgetItem(value))
        table.resizeColumnToContents(0)
        table.setColumnWidth(1, 220)
        table.setVisible(bool(rows))
        self._set_result_buttons(bool(rows))

    def _show_error(self, error: BaseException | None) -> None:
        if isinstance(error, DialerError):
            kind = "note" if isinstance(error, Cancelled) else "error"
            self.message.show_message(error.sentence, kind)
        elif error is not None:
            sentence = error_sentence(
                error,
                _(IMPORT_FAILED),
                file=_("Could not read {file}").format(file=self.path_edit.text()),
            )
            self.message.show_message(sentence, "error")

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.progress_bar.setVisible(running or self.progress_bar.value() > 0)
        if running:
            self.progress_bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(_("Cancel"))
        for widget in (
            self.browse_button, self.name_edit, self.sheet_combo, self.phone_order,
            *self.column_combos.values(),
        ):  # fmt: skip
            widget.setEnabled(not running)
        self._update_buttons()

    def _can_import(self) -> bool:
        return (
            self._table is not None
            and bool(self.phone_order.order())
            and bool(self.name_edit.text().strip())
        )

    def _update_buttons(self, *_args: object) -> None:
        self.import_button.setEnabled(not self._running and self._can_import())
        if self._table is not None and not self.phone_order.order():
            self.message.show_message(
                _("Tick the column (or columns) that hold the phone numbers."), "warning"
            )
        elif self.message.kind == "warning" and not self._running and self.done_result is None:
            self.message.clear_message()

    def _set_result_buttons(self, shown: bool) -> None:
        self.copy_button.setVisible(shown)
        self.save_button.setVisible(shown)

    # --- the rejected rows --------------------------------------------------------------------

    def _rejected_row_menu(self, row: int) -> QMenu | None:
        """Right-click (or the Menu key) on a row that could not be used: copy it to fix it."""
        item = self.rejected_table.item(row, 1)
        if item is None:
            return None
        text = item.text()
        menu = QMenu(self)
        copy = menu.addAction(_("&Copy this row"))
        copy.triggered.connect(lambda *_: QGuiApplication.clipboard().setText(text))
        return menu

    def copy_rejected(self) -> None:
        if self.done_result is not None:
            QGuiApplication.clipboard().setText(rejected_as_csv(self.done_result.rejected))
            copied = _("Copied the rows that could not be used.")
            self.message.show_message(f"{self.result_text} {copied}", "warning")

    @classmethod
    def ask_save_path(cls, parent: QWidget, suggested: str) -> str:
        """Where to save the rejected rows, "" if cancelled; tests replace this."""
        path, _filter = QFileDialog.getSaveFileName(
            parent,
            _("Save the rows that could not be used"),
            suggested,
            _("CSV files (*.csv)"),
        )
        return path

    def save_rejected(self) -> None:
        if self.done_result is None:
            return
        source = Path(self.path_edit.text())
        chosen = self.ask_save_path(self, str(source.with_name(source.stem + "-not-imported.csv")))
        if not chosen:
            return
        path = Path(chosen)
        text = rejected_as_csv(self.done_result.rejected)

        def done(_result: object, error: BaseException | None) -> None:
            if error is None:
                # Translators: "them" are the rows that could not be used; {path} is a file.
                saved = _("Saved them to {path}.").format(path=path)
                self.message.show_message(f"{self.result_text} {saved}", "warning")
            else:
                reason = error.strerror if isinstance(error, OSError) else str(error)
                # Translators: {reason} is the system's reason, e.g. "Permission denied".
                failed = _("Could not write {path}: {reason}.").format(path=path, reason=reason)
                self.message.show_message(failed, "error")

        self._tasks.run(
            lambda: path.write_text(text, encoding="utf-8-sig", newline=""), done, owner=self
        )

    # --- closing ------------------------------------------------------------------------------

    def reject(self) -> None:
        if self._running:
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._running:
            self.cancel()
            event.ignore()
        else:
            super().closeEvent(event)
