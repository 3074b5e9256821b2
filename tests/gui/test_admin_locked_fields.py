"""Settings the admin locked: read-only in Settings, the setup wizard and the call options."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QWidget, QWizard
from pytestqt.qtbot import QtBot

from a1dialer.core import paths
from a1dialer.core.admin_policy import NoPolicy
from a1dialer.core.call_options import CallOptions
from a1dialer.core.settings import DEFAULTS_ENV, OPTIONS_BY_NAME, load_settings
from a1dialer.ui.call_options import CallOptionsPanel
from a1dialer.ui.option_fields import OptionField
from a1dialer.ui.settings_dialog import SettingsDialog
from a1dialer.ui.setup_wizard import SetupWizard
from tests.gui.conftest import QUICK_FORM_DELAYS

WAIT_MS = 10_000
LOCKED_TEXT = "Set by your administrator"
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ADMIN_DEFAULTS = """\
server = "pbx.team.example"
caller_id_number = "442079460000"
caller_id_name = "Acme UK"
ringback = "uk-ring"
record = true
recording_cache_mb = 2000
custom_outcomes = ["Demo booked"]
default_country = "GB"
locked = ["server", "caller_id_number", "ringback", "record", "recording_cache_mb",
          "custom_outcomes", "ca_bundle", "default_country"]
"""


@pytest.fixture
def admin_defaults() -> Path:
    path = Path(os.environ[DEFAULTS_ENV])
    path.write_text(ADMIN_DEFAULTS, encoding="utf-8")
    return path


def assert_shown_locked(field: OptionField) -> None:
    """Read-only (or disabled where Qt has no read-only), with the reason visible and in tips."""
    editor = field.editor
    if isinstance(editor, QLineEdit | QPlainTextEdit | QSpinBox):
        assert editor.isReadOnly(), field.name
    else:
        assert not editor.isEnabled(), field.name
    note = field.locked_label
    assert note is not None, field.name
    assert note.isVisible(), field.name
    assert LOCKED_TEXT in " ".join(label.text() for label in note.findChildren(QLabel))
    assert LOCKED_TEXT in editor.toolTip()
    assert LOCKED_TEXT in editor.accessibleDescription()


def test_settings_shows_locked_settings_read_only_and_saves_the_rest(
    qtbot: QtBot, admin_defaults: Path
) -> None:
    settings = load_settings(policy=NoPolicy())
    dialog = SettingsDialog(settings, delays=QUICK_FORM_DELAYS)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    fields = dialog.form.fields

    # Admin-only settings (always locked) are not shown at all: the admin's file alone sets them.
    shown_locked = [name for name in settings.admin.locked if not OPTIONS_BY_NAME[name].admin_only]
    assert shown_locked
    for name in shown_locked:
        assert_shown_locked(fields[name])
    assert fields["ca_bundle"].browse.isEnabled() is False  # type: ignore[attr-defined]
    for name in ("extension", "caller_id_name", "auto_answer", "hotkey"):
        assert not fields[name].locked
        assert fields[name].locked_label is None
        assert fields[name].editor.isEnabled()
    label = fields["server"].label
    assert label is not None
    assert LOCKED_TEXT in label.toolTip()
    # The first thing to fill in is the rep's own: the extension, not the locked server.
    assert dialog.focusWidget() is fields["extension"].editor

    server = fields["server"].editor
    assert isinstance(server, QLineEdit)
    server.setFocus()
    QTest.keyClicks(server, "x")
    assert server.text() == "pbx.team.example"
    QTest.keyClicks(fields["extension"].editor, "1007")
    fields["caller_id_name"].set_value("Jo at Acme UK")

    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    new = saved.args[0]
    assert (new.server, new.caller_id_number, new.record) == (
        "pbx.team.example",
        "442079460000",
        True,
    )
    assert new.is_locked("server")
    text = paths.settings_file().read_text(encoding="utf-8")
    assert 'extension = "1007"' in text
    assert 'caller_id_name = "Jo at Acme UK"' in text
    for name in settings.admin.locked:
        assert f"{name} =" not in text
    assert load_settings(policy=NoPolicy()) == new


def test_a_problem_only_the_admin_can_fix_is_shown_but_blocks_no_save(
    qtbot: QtBot, admin_defaults: Path
) -> None:
    admin_defaults.write_text(
        'server = "http://pbx.team.example"\nlocked = ["server", "allow_insecure_http"]\n'
    )
    dialog = SettingsDialog(load_settings(policy=NoPolicy()), delays=QUICK_FORM_DELAYS)
    qtbot.addWidget(dialog)
    server = dialog.form.fields["server"]
    assert server.problem is not None
    assert "unencrypted" in server.problem
    assert dialog.save_button.isEnabled()
    QTest.keyClicks(dialog.form.fields["extension"].editor, "10x7")
    assert not dialog.save_button.isEnabled()  # the rep's own problems still do


def test_the_wizard_does_not_wait_for_a_locked_value_the_admin_left_empty(
    qtbot: QtBot, admin_defaults: Path
) -> None:
    admin_defaults.write_text('locked = ["caller_id_number"]\n', encoding="utf-8")
    wizard = SetupWizard(settings=load_settings(policy=NoPolicy()), delays=QUICK_FORM_DELAYS)
    qtbot.addWidget(wizard)
    assert wizard.form.fields["caller_id_number"].locked
    assert not wizard.you_page.isComplete()
    QTest.keyClicks(wizard.form.fields["extension"].editor, "1007")
    assert wizard.you_page.isComplete()


def test_a_dialog_without_an_admin_locks_nothing(qtbot: QtBot) -> None:
    dialog = SettingsDialog(load_settings(policy=NoPolicy()), delays=QUICK_FORM_DELAYS)
    qtbot.addWidget(dialog)
    assert not [field.name for field in dialog.form.fields.values() if field.locked]
    assert not dialog.findChildren(QWidget, "serverLocked")


def test_the_wizard_shows_a_locked_server_and_asks_only_for_the_rest(
    qtbot: QtBot, admin_defaults: Path
) -> None:
    wizard = SetupWizard(settings=load_settings(policy=NoPolicy()), delays=QUICK_FORM_DELAYS)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    fields = wizard.form.fields

    assert_shown_locked(fields["server"])
    assert wizard.form.api_key is not None
    assert wizard.focusWidget() is wizard.form.api_key.edit
    wizard.pbx_page._warned_for = wizard.form.connection_fingerprint()  # going on untested
    QTest.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)

    assert wizard.currentPage() is wizard.you_page
    assert_shown_locked(fields["caller_id_number"])
    assert_shown_locked(fields["default_country"])
    assert wizard.focusWidget() is fields["extension"].editor
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    QTest.keyClicks(fields["extension"].editor, "1007")
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    QTest.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)

    assert wizard.currentPage() is wizard.defaults_page
    assert_shown_locked(fields["ringback"])
    assert_shown_locked(fields["record"])
    with qtbot.waitSignal(wizard.saved, timeout=WAIT_MS) as saved:
        QTest.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    assert saved.args[0].server == "pbx.team.example"
    text = paths.settings_file().read_text(encoding="utf-8")
    assert "server" not in text
    assert 'extension = "1007"' in text


def test_locked_call_options_are_fixed_for_every_call(
    qtbot: QtBot, admin_defaults: Path, tmp_path: Path
) -> None:
    # The last run left recording off and another tone; the admin has since locked both.
    state = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    state.setValue("options/record", False)
    state.setValue("options/ringback", "fr-ring")
    state.setValue("options/auto_answer", True)
    settings = load_settings(policy=NoPolicy())
    panel = CallOptionsPanel()
    qtbot.addWidget(panel)

    panel.restore(state, settings)

    assert panel.chosen("Jo") == CallOptions("Jo", "uk-ring", auto_answer=True, record=True)
    assert not panel.record_check.isEnabled()
    assert not panel.ringback_combo.isEnabled()
    assert panel.auto_answer_check.isEnabled()  # not locked: the rep's choice per call
    assert LOCKED_TEXT in panel.record_check.toolTip()
    panel.follow_new_defaults(settings, settings.validated(auto_answer=False))
    assert panel.chosen().record is True
    assert panel.record_check.toolTip().count(LOCKED_TEXT) == 1
