"""The settings dialog: refusals at the field, saving to file and keyring, the connection test."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from a1dialer.core import paths
from a1dialer.core.secrets import (
    KEY_ENV,
    NO_KEYRING,
    delete_api_key,
    get_api_key,
    keyring_available,
    set_api_key,
)
from a1dialer.core.settings import OPTIONS, Settings, load_settings
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.api_key_field import KEY_FROM_ENVIRONMENT, KEY_STORED
from a1dialer.ui.option_form import USUAL_DELAYS, FormDelays
from a1dialer.ui.settings_dialog import SettingsDialog
from a1dialer.ui.settings_sections import desktop_rows, sections, set_desktop_rows
from a1dialer.ui.status_label import status_colour
from tests.gui.conftest import QUICK_FORM_DELAYS

WAIT_MS = 10_000
W = TypeVar("W", bound=QObject)
# Qt's offscreen platform says this for every top-level window that has a layout.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


needs_keyring = pytest.mark.skipif(
    not keyring_available(), reason="no OS keyring backend here (scripts/test starts gnome-keyring)"
)


@pytest.fixture
def host() -> Iterator[str]:
    """A PBX host name no other test uses; its keyring entry is removed afterwards."""
    name = f"test-{uuid.uuid4().hex[:8]}.pbx.invalid"
    yield name
    if keyring_available():
        delete_api_key(name)


@pytest.fixture
def loopback_key_cleanup() -> Iterator[None]:
    """Simulator URLs share the keyring user 127.0.0.1: leave no entry behind."""
    yield
    if keyring_available():
        delete_api_key("127.0.0.1")


@pytest.fixture
def no_keyring() -> Iterator[None]:
    import keyring
    import keyring.backends.fail

    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def log_file() -> Iterator[Path]:
    """The app's redacting log file, attached for this test only."""
    from a1dialer.core.logs import setup_logging

    root = logging.getLogger()
    had_handler = any(getattr(h, "a1dialer", False) for h in root.handlers)
    level = root.level
    handler = setup_logging()
    yield Path(handler.baseFilename)  # type: ignore[attr-defined]
    handler.flush()
    if not had_handler:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def make_dialog(
    qtbot: QtBot, settings: Settings | None = None, delays: FormDelays = QUICK_FORM_DELAYS
) -> SettingsDialog:
    dialog = SettingsDialog(settings or Settings(), delays=delays)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(
        lambda: (
            dialog.form.api_key is not None and dialog.form.api_key.status not in ("", "checking")
        ),
        timeout=WAIT_MS,
    )
    return dialog


def find(window: QWidget, kind: type[W], name: str) -> W:
    child = window.findChild(kind, name)
    assert child is not None, f"no {kind.__name__} named {name}"
    return child


def edit(dialog: QWidget, name: str) -> QLineEdit:
    return find(dialog, QLineEdit, re.sub(r"_(\w)", lambda m: m[1].upper(), name) + "Edit")


def retype(line: QWidget, text: str) -> None:
    """Replace the text of a line edit with key presses, as a rep would."""
    line.setFocus()
    QTest.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(line, Qt.Key.Key_Delete)
    QTest.keyClicks(line, text)


def shown_section(dialog: SettingsDialog) -> str:
    return dialog.sections[dialog.section_list.currentRow()].name


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def every_text(window: QWidget) -> str:
    """All text a rep or a screen reader could see in ``window``, except the key field itself."""
    parts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        parts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        if isinstance(widget, QLabel | QAbstractButton):
            parts.append(widget.text())
        if isinstance(widget, QLineEdit) and widget.objectName() != "apiKeyEdit":
            parts += [widget.text(), widget.placeholderText()]
    return "\n".join(parts)


BAD_VALUES = [
    ("server", "https://", "The server address has no valid host name."),
    ("server", "ftp://pbx.example.com", "The server address must start with https://"),
    ("server", "http://pbx.example.com", "Refusing to send the API key unencrypted"),
    ("extension", "10x7", "Must be your extension's digits, for example 1007."),
    ("caller_id_number", "call me", "Must be a phone number, for example (208) 555-0100"),
    (
        "ca_bundle",
        "/nonexistent/private-ca.pem",
        "File /nonexistent/private-ca.pem does not exist.",
    ),
    ("hook_outcome_url", "crm.example.com/?n={note}", "Must start with https:// or http://"),
    ("hook_call_placed_url", "https://{name}.crm.example.com/", "Must name its host itself"),
    ("hook_call_placed_command", "{number} --log", "Must name its program itself"),
    ("hook_outcome_command", "crm-log {phone}", "Uses the unknown placeholder {phone}"),
    ("hook_outcome_command", 'crm-log "{note}', "Has a quote that is not closed"),
]


@pytest.mark.parametrize(("name", "bad", "reason"), BAD_VALUES)
def test_a_bad_value_is_refused_at_its_field_with_the_reason(
    qtbot: QtBot, name: str, bad: str, reason: str
) -> None:
    dialog = make_dialog(qtbot, Settings().validated(server="pbx.example.com"))
    field = dialog.form.fields[name]
    original = field.value()
    assert dialog.save_button.isEnabled()

    retype(edit(dialog, name), bad)

    assert not dialog.save_button.isEnabled()  # at once, before the reason is shown
    qtbot.waitUntil(lambda: field.problem_shown, timeout=WAIT_MS)
    assert reason in field.problem_label.text()
    assert field.problem_label.property("status") == "error"
    assert field.editor.property("invalid") is True
    assert reason in field.editor.accessibleDescription()

    retype(edit(dialog, name), original)
    assert not field.problem_shown
    assert field.editor.property("invalid") is False
    assert dialog.save_button.isEnabled()


def test_leaving_a_field_shows_its_problem_at_once(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, delays=USUAL_DELAYS)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    field = dialog.form.fields["extension"]
    retype(field.editor, "ext 7")
    assert not field.problem_shown  # the rep may still be typing
    QTest.keyClick(field.editor, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is find(dialog, QComboBox, "ringbackCombo")
    assert field.problem_shown


def test_the_country_is_picked_by_name_or_code(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    field = dialog.form.fields["default_country"]
    combo = find(dialog, QComboBox, "defaultCountryCombo")
    line = combo.lineEdit()
    assert field.editor is combo
    assert line is not None
    assert field.value() == "US"
    # setText, not key clicks: the completer's popup needs a real window system.
    for typed, code in [("gb", "GB"), ("Germany", "DE"), ("UK", "GB"), ("Japan (JP)", "JP")]:
        line.setText(typed)
        assert field.value() == code, typed
        assert field.problem is None
    line.setText("Narnia")
    qtbot.waitUntil(lambda: field.problem_shown, timeout=WAIT_MS)
    assert "two-letter code" in field.problem_label.text()
    assert not dialog.save_button.isEnabled()


def test_plain_http_is_accepted_once_allowed_and_then_warned_about(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    server = dialog.form.fields["server"]
    allow = find(dialog, QCheckBox, "allowInsecureHttpCheck")
    warning = find(dialog, QLabel, "allowInsecureHttpWarning")
    retype(server.editor, "http://pbx.office.lan")
    qtbot.waitUntil(lambda: server.problem_shown, timeout=WAIT_MS)
    assert "Allow plain HTTP" in server.problem_label.text()
    assert warning.isHidden()

    allow.click()

    assert not server.problem_shown
    assert dialog.save_button.isEnabled()
    assert not warning.isHidden()
    assert "unencrypted" in warning.text()


def test_every_field_is_labelled_from_its_declaration_with_unique_mnemonics(
    qtbot: QtBot,
) -> None:
    dialog = make_dialog(qtbot)
    admin_only = {option.name for option in OPTIONS if option.admin_only}
    assert not admin_only & set(dialog.form.fields)  # the admin's file alone sets them
    for option in (option for option in OPTIONS if not option.admin_only):
        editor = dialog.form.fields[option.name].editor
        assert editor.accessibleName() == option.label
        assert option.help in editor.accessibleDescription()
        label = dialog.form.fields[option.name].label
        if label is not None:
            assert label.buddy() is editor
            assert label.text().replace("&", "") == option.label + ":"
        else:
            assert isinstance(editor, QCheckBox)
            assert editor.text().replace("&", "") == option.label
    api_label = find(dialog, QLabel, "apiKeyLabel")
    assert api_label.buddy() is find(dialog, QLineEdit, "apiKeyEdit")
    # Alt+letter reaches the controls the current section shows, so letters differ per section.
    buttons = [dialog.save_button.text(), dialog.cancel_button.text()]
    marked = 0
    for area in dialog.pages.findChildren(QScrollArea):
        page = area.widget()
        assert page is not None
        texts = [label.text() for label in page.findChildren(QLabel) if label.buddy() is not None]
        texts += [button.text() for button in page.findChildren(QAbstractButton)]
        letters = [m[1].casefold() for text in texts if (m := re.search(r"&(\w)", text))]
        taken = [m[1].casefold() for text in buttons if (m := re.search(r"&(\w)", text))]
        assert len(letters + taken) == len(set(letters + taken)), (page.objectName(), letters)
        marked += len(letters)
    shown = [option for option in OPTIONS if not option.admin_only]
    assert marked >= len(shown) + 3  # every field, the key, Show, Test, Browse, Clear...


SECTION_TAB_ORDER = {
    "callingSection": [
        "serverEdit",
        "apiKeyEdit",
        "testConnectionButton",
        "extensionEdit",
        "ringbackCombo",
        "autoAnswerCheck",
        "recordCheck",
        "myNumbersEdit",
        "ringMeAtEdit",
    ],
    "callerIdSection": [
        "callerIdNumberEdit",
        "callerIdNameEdit",
        "callerIdsEdit",
        "localPresenceCheck",
        "defaultCountryCombo",
    ],
    "desktopSection": ["linkActionCombo", "hotkeyEdit", "hotkeyClearButton", "languageCombo"],
    "listsSection": [
        "customOutcomesList",
        "customOutcomesAddButton",
        "hookCallPlacedUrlEdit",
        "hookCallPlacedCommandEdit",
        "hookOutcomeUrlEdit",
        "hookOutcomeCommandEdit",
        "retryBusyMinutesSpin",
        "retryNoAnswerMinutesSpin",
        "maxAttemptsSpin",
    ],
    "advancedSection": [
        "numberFormatCombo",
        "extensionDigitsEdit",
        "parameterSpellingCombo",
        "caBundleEdit",
        "caBundleBrowseButton",
        "allowInsecureHttpCheck",
        "recordingCacheMbSpin",
    ],
}


def test_every_option_is_in_exactly_one_section() -> None:
    """A new option shows in Settings once named in its group (settings_sections.py); one only
    the admin sets (admin_only) is not shown."""
    placed = [name for section in sections() for name in section.fields]
    shown = [option.name for option in OPTIONS if not option.admin_only]
    assert sorted(placed) == sorted([*shown, "api_key"])
    names = [section.name for section in sections()]
    groups = [group.name for section in sections() for group in section.groups]
    assert len(set(names + groups)) == len(names + groups)


@pytest.fixture
def ui_rows_only() -> Iterator[None]:
    """The dialog without the desktop layer's rows, which the app object (or a test of it) may
    have registered."""
    registered = desktop_rows()
    set_desktop_rows(None)
    yield
    set_desktop_rows(registered)


@pytest.mark.usefixtures("ui_rows_only")
def test_the_keyboard_walks_every_section_top_to_bottom(qtbot: QtBot) -> None:
    """Tab goes from the section list through the section shown to Save and Cancel; arrow keys
    in the list and Ctrl+PgDown anywhere change the section."""
    dialog = make_dialog(qtbot, Settings().validated(server="pbx.example.com"))
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    sidebar = dialog.section_list
    assert [s.title for s in dialog.sections] == [
        "Calling",
        "Caller ID",
        "Desktop",
        "Lists & CRM",
        "Advanced",
    ]
    for row, (section, names) in enumerate(SECTION_TAB_ORDER.items()):
        sidebar.setFocus()
        if row:
            QTest.keyClick(sidebar, Qt.Key.Key_Down)
        assert shown_section(dialog) == section
        seen = []
        for _ in range(len(names) + 2):
            QTest.keyClick(focused(), Qt.Key.Key_Tab)
            seen.append(focused().objectName())
        # Buttons with nothing to act on yet (Remove, Move up/down) are skipped while disabled.
        assert seen == [*names, "saveButton", "cancelButton"], section

    dialog.show_field("record")
    QTest.keyClick(focused(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert shown_section(dialog) == "callerIdSection"
    assert sidebar.hasFocus()
    QTest.keyClick(sidebar, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(sidebar, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert shown_section(dialog) == "advancedSection"  # round the end


def test_admin_options_are_under_advanced_and_a_problem_marks_its_section(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Settings().validated(server="pbx.example.com"))
    advanced = dialog.sections[dialog.section_of("parameter_spelling")]
    assert advanced.title == "Advanced"
    for name in ("ca_bundle", "allow_insecure_http", "number_format", "extension_digits"):
        assert name in advanced.fields
    row = dialog.section_of("extension_digits")
    assert dialog.section_list.item(row).icon().isNull()

    retype(edit(dialog, "extension_digits"), "5-2")
    dialog.section_list.setCurrentRow(0)

    item = dialog.section_list.item(row)
    assert not item.icon().isNull()
    assert "cannot be saved" in item.toolTip()
    assert "cannot be saved" in item.data(Qt.ItemDataRole.AccessibleTextRole)
    assert dialog.section_list.item(0).icon().isNull()
    retype(edit(dialog, "extension_digits"), "3")
    assert item.icon().isNull()
    assert dialog.save_button.isEnabled()


def test_it_opens_on_the_first_missing_field(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Settings().validated(server="pbx.example.com", extension="1007"))
    assert shown_section(dialog) == "callerIdSection"
    assert dialog.focusWidget() is edit(dialog, "caller_id_number")


@pytest.mark.keyring
@needs_keyring
def test_saving_writes_the_file_without_the_key_and_the_key_to_the_keyring(
    qtbot: QtBot, host: str
) -> None:
    secret = f"key-{uuid.uuid4().hex}"
    dialog = make_dialog(qtbot)
    retype(edit(dialog, "server"), host)
    retype(edit(dialog, "extension"), "1007")
    retype(edit(dialog, "caller_id_number"), "+12085550100")
    retype(edit(dialog, "caller_id_name"), "Acme & Sons")
    dialog.form.fields["ringback"].set_value("uk-ring")
    find(dialog, QCheckBox, "recordCheck").click()
    retype(edit(dialog, "api_key"), secret)

    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.cancel_button.isEnabled()  # saving runs off the GUI thread

    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    settings = load_settings()
    assert saved.args == [settings]
    assert (settings.server, settings.extension, settings.caller_id_number) == (
        host,
        "1007",
        "12085550100",  # stored as dialled numbers are sent (international digits)
    )
    assert (settings.caller_id_name, settings.ringback, settings.record) == (
        "Acme & Sons",
        "uk-ring",
        True,
    )
    assert secret not in paths.settings_file().read_text(encoding="utf-8")
    assert get_api_key(host) == secret


@pytest.mark.keyring
@needs_keyring
def test_a_stored_key_is_announced_but_never_loaded_into_the_field(qtbot: QtBot, host: str) -> None:
    set_api_key(host, "stored-secret")
    dialog = make_dialog(qtbot, Settings().validated(server=host))
    key = find(dialog, QLineEdit, "apiKeyEdit")
    assert dialog.form.api_key.status == "stored"  # type: ignore[union-attr]
    assert key.text() == ""
    assert key.placeholderText() == KEY_STORED
    assert key.echoMode() == QLineEdit.EchoMode.Password

    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()  # an empty field keeps the stored key
    assert get_api_key(host) == "stored-secret"


@pytest.mark.keyring
@needs_keyring
def test_a_keyring_failure_while_saving_keeps_the_dialog_open_and_the_typed_key(
    qtbot: QtBot, host: str
) -> None:
    import keyring
    import keyring.backends.fail

    dialog = make_dialog(qtbot, Settings().validated(server=host))
    retype(edit(dialog, "api_key"), "typed-secret")
    retype(edit(dialog, "extension"), "1009")
    previous = keyring.get_keyring()
    # The keyring goes away between typing the key and pressing Save.
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        dialog.save()
        qtbot.waitUntil(lambda: not dialog.saving, timeout=WAIT_MS)
    finally:
        keyring.set_keyring(previous)

    message = find(dialog, QLabel, "settingsMessage")
    assert message.text() == f"Your settings were saved, but the API key was not: {NO_KEYRING}"
    assert message.property("status") == "error"
    assert dialog.isVisible()
    assert edit(dialog, "api_key").text() == "typed-secret"
    assert load_settings().extension == "1009"

    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()  # once the keyring is back, the same Save stores the key
    assert get_api_key(host) == "typed-secret"


def test_a_settings_file_that_cannot_be_written_is_reported_and_nothing_is_lost(
    qtbot: QtBot,
) -> None:
    # A folder where the temporary file goes makes the write fail, even for root.
    (paths.profile_dir() / "settings.toml.tmp").mkdir()
    dialog = make_dialog(qtbot)
    retype(edit(dialog, "extension"), "1010")

    dialog.save()
    qtbot.waitUntil(lambda: not dialog.saving, timeout=WAIT_MS)

    message = find(dialog, QLabel, "settingsMessage")
    assert message.text().startswith("Could not save the settings to ")
    assert message.property("status") == "error"
    assert dialog.isVisible()
    assert dialog.save_button.isEnabled()
    assert edit(dialog, "extension").text() == "1010"


def test_the_environment_key_disables_the_field(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, "from-the-environment")
    dialog = make_dialog(qtbot, Settings().validated(server="pbx.example.com"))
    key = find(dialog, QLineEdit, "apiKeyEdit")
    note = find(dialog, QLabel, "apiKeyNote")
    assert not key.isEnabled()
    assert key.text() == ""
    assert note.text() == KEY_FROM_ENVIRONMENT
    assert "Taken from the A1DIALER_API_KEY environment variable" in note.text()
    assert "from-the-environment" not in every_text(dialog)


def test_without_a_keyring_the_field_says_why_and_the_rest_still_saves(
    qtbot: QtBot, no_keyring: None
) -> None:
    dialog = make_dialog(qtbot, Settings().validated(server="pbx.example.com"))
    key = find(dialog, QLineEdit, "apiKeyEdit")
    note = find(dialog, QLabel, "apiKeyNote")
    assert dialog.form.api_key.status == "unavailable"  # type: ignore[union-attr]
    assert key.isEnabled()  # a typed key can still be tested
    assert note.text() == NO_KEYRING
    assert note.property("status") == "error"

    retype(edit(dialog, "extension"), "1011")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert load_settings().extension == "1011"


def test_edit_returns_the_saved_settings_or_none(qtbot: QtBot) -> None:
    def press(button_name: str) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        edit(dialog, "extension").setText("1012")
        find(dialog, QAbstractButton, button_name).click()
        if button_name == "cancelButton":  # the typed change is unsaved: asked first
            find(dialog, QAbstractButton, "discardButton").click()

    QTimer.singleShot(0, lambda: press("cancelButton"))
    assert SettingsDialog.edit(Settings()) is None
    assert not paths.settings_file().exists()

    QTimer.singleShot(0, lambda: press("saveButton"))
    saved = SettingsDialog.edit(Settings())
    assert saved is not None
    assert saved.extension == "1012"
    assert load_settings() == saved


@pytest.mark.parametrize("dark", [False, True])
def test_message_colours_are_readable_on_light_and_dark_palettes(dark: bool) -> None:
    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    palette = QPalette()
    window = QColor("#2b2b2b") if dark else QColor("#efefef")
    palette.setColor(QPalette.ColorRole.Window, window)
    for kind in ("error", "warning", "ok"):
        dim, bright = sorted([luminance(status_colour(kind, palette)), luminance(window)])
        assert (bright + 0.05) / (dim + 0.05) >= 4.5, kind


# --- Test connection, against the bundled simulator -----------------------------------------


def run_test(qtbot: QtBot, dialog: SettingsDialog) -> tuple[bool, str]:
    button = find(dialog, QAbstractButton, "testConnectionButton")
    with qtbot.waitSignal(dialog.tester.finished, timeout=WAIT_MS) as done:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        # The click returned before the answer: the window stays responsive meanwhile.
        assert not button.isEnabled()
        assert button.text() == "Testing…"
    assert button.isEnabled()
    ok, sentence = done.args
    assert isinstance(ok, bool)
    assert isinstance(sentence, str)
    result = find(dialog, QLabel, "testConnectionResult")
    assert result.text() == sentence
    assert result.property("status") == ("ok" if ok else "error")
    assert "\n" not in sentence
    assert sentence.endswith(".")
    return ok, sentence


def connect_dialog(qtbot: QtBot, server: str, key: str) -> SettingsDialog:
    dialog = make_dialog(qtbot)
    retype(edit(dialog, "server"), server)
    retype(edit(dialog, "api_key"), key)
    return dialog


def test_connection_succeeds_with_the_values_in_the_form(
    qtbot: QtBot, simulator: PbxSimulator
) -> None:
    dialog = connect_dialog(qtbot, simulator.server_url, simulator.key)
    ok, sentence = run_test(qtbot, dialog)
    assert ok, sentence
    assert "127.0.0.1" in sentence
    assert not paths.settings_file().exists()  # tested, not saved
    assert simulator.key not in every_text(dialog)


@pytest.mark.parametrize("auth_mode", ["401", "302", "html200"])
def test_a_wrong_key_is_one_sentence_and_never_shown(
    qtbot: QtBot, auth_mode: str, log_file: Path
) -> None:
    wrong = f"wrong-{uuid.uuid4().hex}"
    simulator = PbxSimulator(auth_mode=auth_mode)
    simulator.start()
    try:
        dialog = connect_dialog(qtbot, simulator.server_url, wrong)
        ok, sentence = run_test(qtbot, dialog)
    finally:
        simulator.stop()
    assert not ok
    assert "key" in sentence.lower() or "sign" in sentence.lower(), sentence
    assert wrong not in every_text(dialog)
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert wrong not in log_file.read_text(encoding="utf-8")
    assert "Connection test failed" in log_file.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_window_stays_usable_while_a_slow_pbx_is_tested(
    qtbot: QtBot, simulator: PbxSimulator
) -> None:
    simulator.set_fault("delay", delay=1.0, endpoint="call_recording")
    dialog = connect_dialog(qtbot, simulator.server_url, simulator.key)
    name = edit(dialog, "caller_id_name")
    with qtbot.waitSignal(dialog.tester.finished, timeout=WAIT_MS) as done:
        find(dialog, QAbstractButton, "testConnectionButton").click()
        retype(name, "Typed while the PBX thinks")
        assert dialog.tester.running
        assert name.text() == "Typed while the PBX thinks"
        assert (
            "Testing the connection to 127.0.0.1"
            in find(dialog, QLabel, "testConnectionResult").text()
        )
    assert done.args[0] is True


def test_a_stopped_server_is_one_sentence(qtbot: QtBot) -> None:
    simulator = PbxSimulator()
    simulator.start()
    url = simulator.server_url
    simulator.stop()
    dialog = connect_dialog(qtbot, url, "some-key")
    ok, sentence = run_test(qtbot, dialog)
    assert not ok
    assert "127.0.0.1" in sentence, sentence


def test_after_a_failed_test_the_key_is_in_no_file_and_no_label(
    qtbot: QtBot, simulator: PbxSimulator, log_file: Path, no_keyring: None
) -> None:
    wrong = f"wrong-{uuid.uuid4().hex}"
    dialog = connect_dialog(qtbot, simulator.server_url, wrong)
    ok, _sentence = run_test(qtbot, dialog)
    assert not ok
    dialog.save()  # the settings are written; the key cannot be (no keyring here)
    qtbot.waitUntil(lambda: not dialog.saving, timeout=WAIT_MS)
    assert "the API key was not" in find(dialog, QLabel, "settingsMessage").text()
    assert paths.settings_file().exists()
    for handler in logging.getLogger().handlers:
        handler.flush()
    for path in paths.profile_dir().rglob("*"):
        if path.is_file():
            assert wrong not in path.read_text(encoding="utf-8", errors="replace"), path
    assert wrong not in every_text(dialog)


def test_the_environment_key_is_used_for_the_test_and_never_shown(
    qtbot: QtBot, simulator: PbxSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, simulator.key)
    dialog = make_dialog(qtbot, Settings().validated(server=simulator.server_url))
    ok, sentence = run_test(qtbot, dialog)
    assert ok, sentence
    assert simulator.key not in every_text(dialog)


def test_without_any_key_the_test_says_what_to_do(
    qtbot: QtBot, simulator: PbxSimulator, no_keyring: None
) -> None:
    dialog = make_dialog(qtbot)
    retype(edit(dialog, "server"), simulator.server_url)
    ok, sentence = run_test(qtbot, dialog)
    assert not ok
    assert simulator.requests == []
    assert sentence


def test_testing_with_a_bad_field_points_at_it_without_asking_the_pbx(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    retype(edit(dialog, "server"), "https://")
    button = find(dialog, QAbstractButton, "testConnectionButton")
    with qtbot.waitSignal(dialog.tester.finished, timeout=WAIT_MS) as done:
        button.click()
    assert done.args[0] is False
    assert done.args[1].startswith("PBX server:")
    assert dialog.form.fields["server"].problem_shown


@pytest.mark.keyring
@needs_keyring
def test_the_stored_key_is_used_when_none_is_typed(
    qtbot: QtBot, simulator: PbxSimulator, loopback_key_cleanup: None
) -> None:
    set_api_key("127.0.0.1", simulator.key)
    dialog = make_dialog(qtbot, Settings().validated(server=simulator.server_url))
    assert dialog.form.api_key.status == "stored"  # type: ignore[union-attr]
    ok, sentence = run_test(qtbot, dialog)
    assert ok, sentence


def test_custom_outcomes_are_added_reordered_removed_and_checked(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Settings().validated(server="pbx.example.com"))
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    field = dialog.form.fields["custom_outcomes"]
    entries = find(dialog, QListWidget, "customOutcomesList")
    add = find(dialog, QAbstractButton, "customOutcomesAddButton")
    dialog.show_field("custom_outcomes")

    def type_new(text: str) -> None:
        add.click()
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit)  # the new row is open for typing
        QTest.keyClicks(editor, text)
        QTest.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: entries.state() != QListWidget.State.EditingState)

    type_new("Demo booked")
    type_new("busy")
    assert not dialog.save_button.isEnabled()
    qtbot.waitUntil(lambda: field.problem_shown, timeout=WAIT_MS)
    assert field.problem_label.text() == "Repeats the standard outcome 'busy'."
    entries.setFocus()
    entries.setCurrentRow(1)
    QTest.keyClick(entries, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    QTest.keyClick(editor, Qt.Key.Key_End)  # F2 selects the text, to type over it
    QTest.keyClicks(editor, " later")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: entries.state() != QListWidget.State.EditingState)
    assert dialog.save_button.isEnabled()
    assert not field.problem_shown
    type_new("   ")  # a row left empty is dropped
    assert entries.count() == 2

    find(dialog, QAbstractButton, "customOutcomesUpButton").click()
    assert dialog.form.settings().custom_outcomes == ("busy later", "Demo booked")
    entries.setFocus()
    QTest.keyClick(entries, Qt.Key.Key_Delete)
    assert dialog.form.settings().custom_outcomes == ("Demo booked",)
    find(dialog, QAbstractButton, "customOutcomesRemoveButton").click()
    assert dialog.form.settings().custom_outcomes == ()
    assert not find(dialog, QAbstractButton, "customOutcomesRemoveButton").isEnabled()
    for n in range(13):
        type_new(f"Outcome {n}")
    qtbot.waitUntil(lambda: field.problem_shown, timeout=WAIT_MS)
    assert "at most 12" in field.problem_label.text()


def test_esc_with_unsaved_changes_asks_and_alt_s_saves(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Settings().validated(server="pbx.example.com"))
    retype(edit(dialog, "extension"), "1013")
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    box = find(dialog, QMessageBox, "discardChangesBox")
    qtbot.waitUntil(box.isVisible)
    find(box, QAbstractButton, "keepEditingButton").click()
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert load_settings().extension == "1013"
