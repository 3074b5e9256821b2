"""The settings dialog: every option in sections, the API key and a connection test."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from a1dialer import APP_NAME
from a1dialer.core.crm_hooks import PLACEHOLDERS
from a1dialer.core.settings import Settings
from a1dialer.core.translation import N_, _
from a1dialer.ui.connection_tester import ConnectionTester
from a1dialer.ui.form_layout import (
    Mnemonics,
    add_unlabelled_row,
    align_label_columns,
    set_tab_order,
)
from a1dialer.ui.option_fields import warn_when_checked
from a1dialer.ui.option_form import USUAL_DELAYS, FormDelays, OptionForm
from a1dialer.ui.settings_saving import SavesSettings
from a1dialer.ui.settings_sections import API_KEY, Section, desktop_rows, sections
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tasks import TaskRunner, shared_tasks

# Translators: {placeholders} lists the names in braces, such as {number}, {name}.
HOOKS_NOTE = N_(
    "Placeholders: {placeholders}. In a URL they are encoded; in a command each one stays "
    "a single argument (no shell)."
)
REQUIRED_FIRST = ("server", "extension", "caller_id_number")
# Left for the window's title bar when the dialog must fit a short screen.
TITLE_BAR_ROOM = 48
# Below this a page scrolls rather than the dialog growing past a short screen.
MIN_PAGE_HEIGHT = 240


class SettingsDialog(SavesSettings, QDialog):
    """Edits every option and the API key; Save writes ``settings.toml`` and the key to the keyring.

    The options are in sections (``settings_sections.sections``) picked in a sidebar, with arrow
    keys there or Ctrl+PgDown and Ctrl+PgUp anywhere; a section holding a field whose value
    cannot be saved carries a warning sign.
    A field with a bad value says why right under it and keeps Save disabled. Saving runs off the
    GUI thread (the keyring may ask to be unlocked); a failure is shown as a sentence and the
    dialog stays open with everything the rep typed.

    Signals:
        saved(object): the settings were written; carries the new ``Settings``.
    """

    saved = Signal(object)

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        tasks: TaskRunner | None = None,
        delays: FormDelays = USUAL_DELAYS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        # Translators: {app} is the product name, A1 Dialer.
        self.setWindowTitle(_("{app} Settings").format(app=APP_NAME))
        self._tasks = tasks or shared_tasks()
        self.form = OptionForm(settings, self, self._tasks, delays=delays)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("settingsButtons")
        self.save_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveButton")
        self.save_button.setText(_("&Save"))  # Alt+S saves, before any field can take S
        self.save_button.setDefault(True)
        self.cancel_button: QPushButton = self.buttons.button(
            QDialogButtonBox.StandardButton.Cancel
        )
        self.cancel_button.setObjectName("cancelButton")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        self.tester = ConnectionTester(self.form, self)
        self.sections = sections()
        self.section_list = QListWidget(self)
        self.section_list.setObjectName("sectionList")
        self.section_list.setAccessibleName(_("Settings sections"))
        self.section_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.section_list.setSpacing(3)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("sectionPages")
        self._page_areas: list[QScrollArea] = []
        self._fitted = False
        self._page_contents: list[QWidget] = []
        forms: list[QFormLayout] = []
        focus: list[QWidget] = [self.section_list]
        for section in self.sections:
            item = QListWidgetItem(section.title, self.section_list)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, section.title)
            # Letters only need to differ among the controls one page shows with the buttons.
            self.form.mnemonics = Mnemonics()
            self.form.mnemonics.reserve_buttons(self.buttons.buttons())
            page_forms, page_focus = self._build_page(section)
            forms += page_forms
            focus += page_focus
        align_label_columns(forms)
        warn_when_checked(self.form.fields["allow_insecure_http"])
        if not settings.allow_ring_me_at_external:
            note = QLabel(
                _(
                    "Your administrator lets only extensions ring first: outside numbers here "
                    "are not offered."
                ),
                self,
            )
            note.setObjectName("myNumbersNote")
            note.setWordWrap(True)
            note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            self.form.fields["my_numbers"].add_note(note)
        self.section_list.setFixedWidth(self._sidebar_width())
        self.section_list.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.section_list.setCurrentRow(0)
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1), ("Ctrl+Tab", 1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda step=step: self.step_section(step))
        back = QShortcut(QKeySequence("Ctrl+Shift+Tab"), self)
        back.activated.connect(lambda: self.step_section(-1))

        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(self.section_list)
        body.addWidget(self.pages, 1)
        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        outer.addLayout(body, 1)
        self.message = StatusLabel("settingsMessage", self)
        outer.addWidget(self.message)
        outer.addWidget(self.buttons)
        set_tab_order([*focus, self.save_button, self.cancel_button])

        self.form.validity_changed.connect(self._update_buttons)
        self.form.changed.connect(self._edited)
        self._update_buttons()
        self._fit_to_screen()
        first = next(
            (n for n in REQUIRED_FIRST if not (self.form.value(n) or self.form.fields[n].locked)),
            "server",
        )
        self.show_field(first)

    def _build_page(self, section: Section) -> tuple[list[QFormLayout], list[QWidget]]:
        """One section's groups, top to bottom, scrolling where a short screen needs it."""
        page = QWidget(self)
        page.setObjectName(section.name)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        forms: list[QFormLayout] = []
        focus: list[QWidget] = []
        for spec in section.groups:
            group = QGroupBox(spec.title, page)
            group.setObjectName(spec.name)
            form = QFormLayout(group)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
            for name in spec.fields:
                focus += self.form.add_rows(form, [name])
                if name == API_KEY:
                    self.tester.mark(self.form.mnemonics)
                    add_unlabelled_row(form, self.tester)
                    focus.append(self.tester.button)
            add_rows = desktop_rows()  # the desktop layer's, registered by the app object
            if spec.name == "desktopGroup" and add_rows is not None:
                focus += add_rows(self, form)
            if spec.labels_above:
                form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
            else:
                forms.append(form)
            if spec.name == "crmHooksGroup":
                note = QLabel(
                    _(HOOKS_NOTE).format(
                        placeholders=", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
                    ),
                    group,
                )
                note.setObjectName("crmHooksNote")
                note.setWordWrap(True)
                note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
                form.addRow(note)
            layout.addWidget(group)
        layout.addStretch(1)
        area = QScrollArea(self.pages)
        area.setObjectName(section.name + "Scroll")
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(page)
        self.pages.addWidget(area)
        self._page_areas.append(area)
        self._page_contents.append(page)
        return forms, focus

    def _sidebar_width(self) -> int:
        metrics = self.section_list.fontMetrics()
        widest = max(metrics.horizontalAdvance(section.title) for section in self.sections)
        return widest + 4 * metrics.averageCharWidth() + 2 * self.section_list.frameWidth()

    def step_section(self, step: int) -> None:
        """Show the next (``1``) or previous (``-1``) section, round the end, and focus it."""
        row = (self.section_list.currentRow() + step) % self.section_list.count()
        self.section_list.setCurrentRow(row)
        self.section_list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def section_of(self, name: str) -> int:
        """The row of the section holding option ``name`` (``"api_key"`` for the key)."""
        return next(row for row, s in enumerate(self.sections) if name in s.fields)

    def show_field(self, name: str) -> None:
        """Show the section of option ``name`` and put the cursor in its field."""
        self.section_list.setCurrentRow(self.section_of(name))
        field = self.form.api_key.edit if name == API_KEY and self.form.api_key else None
        (field or self.form.fields[name].editor).setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:
            # Sizes are final only once shown: styles, the rows added by other layers, and
            # combo boxes, which measure their longest choice on their first show. Each
            # section is shown once, in this same turn (nothing is painted in between).
            self._fitted = True
            current = self.pages.currentIndex()
            for index in range(self.pages.count()):
                self.pages.setCurrentIndex(index)
            self.pages.setCurrentIndex(current)
            self._fit_to_screen()

    def _fit_to_screen(self) -> None:
        """As wide as the widest section and as tall as the tallest, within the screen."""
        room = (self.parentWidget() or self).screen().availableGeometry()
        scroll_bar = self._page_areas[0].verticalScrollBar().sizeHint().width()
        hints = [page.sizeHint().expandedTo(page.minimumSizeHint()) for page in self._page_contents]
        widest = max(hint.width() for hint in hints)
        tallest = max(hint.height() for hint in hints)
        self.pages.setMinimumWidth(min(widest + scroll_bar, room.width() - self._sidebar_width()))
        others = self.sizeHint().height() - self.pages.sizeHint().height()
        height = min(tallest, room.height() - others - TITLE_BAR_ROOM)
        self.pages.setMinimumHeight(min(height, MIN_PAGE_HEIGHT))
        width = min(self.sizeHint().width() + 24, room.width())
        self.resize(width, min(others + tallest, room.height() - TITLE_BAR_ROOM))

    @classmethod
    def edit(cls, settings: Settings, parent: QWidget | None = None) -> Settings | None:
        """Show the dialog modally; the saved settings, or ``None`` if the rep cancelled."""
        dialog = cls(settings, parent)
        try:
            dialog.exec()
            return dialog.saved_settings
        finally:
            dialog.deleteLater()

    def _save_message(self) -> StatusLabel:
        return self.message

    def _show_saving(self, saving: bool) -> None:
        self.cancel_button.setEnabled(not saving)
        self._update_buttons()

    def _update_buttons(self, *_: object) -> None:
        self.save_button.setEnabled(self.form.is_valid and not self._saving)
        self._mark_sections()

    def _edited(self) -> None:
        if self.message.kind == "error":
            self.message.clear_message()

    def _mark_sections(self) -> None:
        """A warning sign on each section holding a field that keeps Save disabled."""
        style = self.style()
        warning = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        problems = self.form.problems()
        for row, section in enumerate(self.sections):
            item = self.section_list.item(row)
            bad = [n for n in section.fields if n in problems]
            item.setIcon(warning if bad else QIcon())
            if bad:
                tip = _("{section}: a field here has a value that cannot be saved").format(
                    section=section.title
                )
            else:
                tip = ""
            item.setToolTip(tip)
            spoken = f"{section.title}. {tip}" if tip else section.title
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
