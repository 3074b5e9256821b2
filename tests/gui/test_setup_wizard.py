"""The first-run setup wizard: three pages, a connection test, and the same save as Settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from a1dialer.core import paths
from a1dialer.core.secrets import KEY_ENV, delete_api_key, get_api_key, keyring_available
from a1dialer.core.settings import DEFAULTS_ENV, Settings, load_settings
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.setup_wizard import UNTESTED_WARNING, SetupWizard
from tests.gui.conftest import QUICK_FORM_DELAYS

WAIT_MS = 10_000
W = TypeVar("W", bound=QObject)
# Qt's offscreen platform says this for every top-level window that has a layout.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


needs_keyring = pytest.mark.skipif(
    not keyring_available(), reason="no OS keyring backend here (scripts/test starts gnome-keyring)"
)


@pytest.fixture
def loopback_key_cleanup() -> Iterator[None]:
    """Simulator URLs share the keyring user 127.0.0.1: leave no entry behind."""
    yield
    if keyring_available():
        delete_api_key("127.0.0.1")


def make_wizard(qtbot: QtBot, settings: Settings | None = None) -> SetupWizard:
    wizard = SetupWizard(settings=settings, delays=QUICK_FORM_DELAYS)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(
        lambda: (
            wizard.form.api_key is not None and wizard.form.api_key.status not in ("", "checking")
        ),
        timeout=WAIT_MS,
    )
    return wizard


def find(window: QWidget, kind: type[W], name: str) -> W:
    child = window.findChild(kind, name)
    assert child is not None, f"no {kind.__name__} named {name}"
    return child


def type_into(wizard: SetupWizard, object_name: str, text: str) -> None:
    """Replace the text of a line edit with key presses, as a rep would."""
    line = find(wizard, QLineEdit, object_name)
    line.setFocus()
    QTest.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(line, Qt.Key.Key_Delete)
    QTest.keyClicks(line, text)


def click(wizard: SetupWizard, which: QWizard.WizardButton) -> None:
    QTest.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


@pytest.mark.keyring
@needs_keyring
def test_test_connection_next_you_next_defaults_finish(
    qtbot: QtBot, simulator: PbxSimulator, loopback_key_cleanup: None
) -> None:
    wizard = make_wizard(qtbot)
    assert wizard.currentPage() is wizard.pbx_page
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # no server yet

    type_into(wizard, "serverEdit", simulator.server_url)
    type_into(wizard, "apiKeyEdit", simulator.key)
    with qtbot.waitSignal(wizard.pbx_page.tester.finished, timeout=WAIT_MS) as tested:
        QTest.mouseClick(
            find(wizard, QAbstractButton, "testConnectionButton"), Qt.MouseButton.LeftButton
        )
    assert tested.args[0] is True, tested.args
    click(wizard, QWizard.WizardButton.NextButton)

    assert wizard.currentPage() is wizard.you_page
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    type_into(wizard, "extensionEdit", "1007")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    type_into(wizard, "callerIdNumberEdit", "12085550100")
    type_into(wizard, "callerIdNameEdit", "Acme Sales")
    country = find(wizard, QComboBox, "defaultCountryCombo").lineEdit()
    assert country is not None
    country.setText("gb")  # key clicks would open the completer's popup
    click(wizard, QWizard.WizardButton.NextButton)

    assert wizard.currentPage() is wizard.defaults_page
    wizard.form.fields["ringback"].set_value("de-ring")
    find(wizard, QCheckBox, "autoAnswerCheck").click()
    with qtbot.waitSignal(wizard.saved, timeout=WAIT_MS) as saved:
        click(wizard, QWizard.WizardButton.FinishButton)

    assert wizard.result() == QWizard.DialogCode.Accepted
    settings = load_settings()
    assert saved.args == [settings]
    assert wizard.saved_settings == settings
    assert (settings.server, settings.extension, settings.caller_id_number) == (
        simulator.server_url,
        "1007",
        "12085550100",
    )
    assert (settings.caller_id_name, settings.default_country) == ("Acme Sales", "GB")
    assert (settings.ringback, settings.auto_answer, settings.record) == ("de-ring", True, False)
    assert get_api_key("127.0.0.1") == simulator.key
    assert simulator.key not in paths.settings_file().read_text(encoding="utf-8")


def test_finishing_with_the_key_from_the_environment_saves_the_settings_only(
    qtbot: QtBot, simulator: PbxSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, simulator.key)
    wizard = make_wizard(qtbot)
    assert not find(wizard, QLineEdit, "apiKeyEdit").isEnabled()
    type_into(wizard, "serverEdit", simulator.server_url)
    with qtbot.waitSignal(wizard.pbx_page.tester.finished, timeout=WAIT_MS) as tested:
        wizard.pbx_page.tester.start()
    assert tested.args[0] is True, tested.args
    wizard.next()
    type_into(wizard, "extensionEdit", "1008")
    type_into(wizard, "callerIdNumberEdit", "12085550101")
    wizard.next()
    with qtbot.waitSignal(wizard.saved, timeout=WAIT_MS):
        click(wizard, QWizard.WizardButton.FinishButton)
    assert load_settings().extension == "1008"
    assert simulator.key not in paths.settings_file().read_text(encoding="utf-8")


def test_going_on_untested_is_allowed_after_one_warning(qtbot: QtBot) -> None:
    wizard = make_wizard(qtbot)
    type_into(wizard, "serverEdit", "pbx.example.com")
    warning = find(wizard, QLabel, "continueWarning")

    click(wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.pbx_page
    assert warning.text() == UNTESTED_WARNING
    assert warning.property("status") == "warning"

    click(wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.you_page


def test_a_failed_test_still_warns_and_changing_the_server_warns_again(
    qtbot: QtBot, simulator: PbxSimulator
) -> None:
    wizard = make_wizard(qtbot)
    type_into(wizard, "serverEdit", simulator.server_url)
    type_into(wizard, "apiKeyEdit", "not-the-key")
    with qtbot.waitSignal(wizard.pbx_page.tester.finished, timeout=WAIT_MS) as tested:
        wizard.pbx_page.tester.start()
    assert tested.args[0] is False
    assert "not-the-key" not in find(wizard, QLabel, "testConnectionResult").text()
    click(wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.pbx_page
    type_into(wizard, "apiKeyEdit", "another-key")
    click(wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.pbx_page  # new values, new warning


def test_pages_are_pre_filled_from_the_admin_defaults(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    defaults = tmp_path / "defaults.toml"
    defaults.write_text(
        'server = "pbx.acme.example"\ncaller_id_number = "12085550100"\n'
        'caller_id_name = "Acme"\ndefault_country = "DE"\nringback = "de-ring"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(DEFAULTS_ENV, str(defaults))
    wizard = make_wizard(qtbot)
    assert find(wizard, QLineEdit, "serverEdit").text() == "pbx.acme.example"
    assert find(wizard, QLineEdit, "callerIdNameEdit").text() == "Acme"
    assert wizard.form.value("default_country") == "DE"
    assert wizard.form.value("ringback") == "de-ring"


def test_plain_http_is_offered_only_for_a_remote_http_server(qtbot: QtBot) -> None:
    wizard = make_wizard(qtbot)
    layout = wizard.pbx_page.layout_
    allow = wizard.form.fields["allow_insecure_http"]
    assert not layout.isRowVisible(allow.cell)
    type_into(wizard, "serverEdit", "http://127.0.0.1:8080")
    assert not layout.isRowVisible(allow.cell)  # loopback needs no exception
    type_into(wizard, "serverEdit", "http://pbx.office.lan")
    assert layout.isRowVisible(allow.cell)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    find(wizard, QCheckBox, "allowInsecureHttpCheck").click()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert "unencrypted" in find(wizard, QLabel, "allowInsecureHttpWarning").text()


def test_a_bad_value_on_a_page_is_refused_with_its_reason(qtbot: QtBot) -> None:
    wizard = make_wizard(qtbot, Settings().validated(server="pbx.example.com"))
    wizard.next()
    wizard.next()
    assert wizard.currentPage() is wizard.you_page
    type_into(wizard, "extensionEdit", "1007")
    type_into(wizard, "callerIdNumberEdit", "12085550100")
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    type_into(wizard, "extensionEdit", "desk")
    field = wizard.form.fields["extension"]
    qtbot.waitUntil(lambda: field.problem_shown, timeout=WAIT_MS)
    assert "Must be your extension's digits" in field.problem_label.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_run_first_time_returns_none_when_cancelled(qtbot: QtBot) -> None:
    def cancel() -> None:
        wizard = QApplication.activeModalWidget()
        assert isinstance(wizard, SetupWizard)
        wizard.button(QWizard.WizardButton.CancelButton).click()

    QTimer.singleShot(0, cancel)
    assert SetupWizard.run_first_time() is None
    assert not paths.settings_file().exists()


def test_a_failed_save_keeps_the_wizard_open(qtbot: QtBot) -> None:
    (paths.profile_dir() / "settings.toml.tmp").mkdir()  # makes the write fail, even for root
    wizard = make_wizard(
        qtbot, Settings().validated(server="pbx.example.com", extension="1", caller_id_number="12")
    )
    wizard.next()
    wizard.next()
    wizard.next()
    assert wizard.currentPage() is wizard.defaults_page
    click(wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: not wizard.saving, timeout=WAIT_MS)
    message = find(wizard, QLabel, "setupMessage")
    assert message.text().startswith("Could not save the settings")
    assert wizard.isVisible()
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
