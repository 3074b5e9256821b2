"""The first-run setup wizard: three pages, a connection test, and the same save as Settings."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from a1dialer.core import paths, translation
from a1dialer.core.errors import NotHttps
from a1dialer.core.secrets import KEY_ENV, delete_api_key, get_api_key, keyring_available
from a1dialer.core.server_address import parse_server
from a1dialer.core.settings import DEFAULTS_ENV, Settings, load_settings
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.setup_sentences import setup_sentence
from a1dialer.ui.setup_wizard import UNTESTED_WARNING, SetupWizard
from tests.conftest import SIMULATOR_KEY, CannedServer
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


# --- the server's scheme, its certificate, no password store, the test call -----------------


@pytest.fixture
def tls_simulator(self_signed_certificate: tuple[Path, Path]) -> Iterator[PbxSimulator]:
    """The simulator over HTTPS with a self-signed certificate for 127.0.0.1."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed_certificate)
    with PbxSimulator(SIMULATOR_KEY, answer_delay=0.0, ssl_context=context) as running:
        yield running


def test_connection(qtbot: QtBot, wizard: SetupWizard) -> tuple[bool, str]:
    with qtbot.waitSignal(wizard.pbx_page.tester.finished, timeout=WAIT_MS) as tested:
        QTest.keyClick(find(wizard, QAbstractButton, "testConnectionButton"), Qt.Key.Key_Space)
    return bool(tested.args[0]), str(tested.args[1])


test_connection.__test__ = False  # type: ignore[attr-defined]


def shown_texts(wizard: SetupWizard) -> list[str]:
    """Every text the rep can read in the wizard now."""
    widgets = [w for w in wizard.findChildren(QWidget) if w.isVisibleTo(wizard)]
    texts = [w.text() for w in widgets if isinstance(w, QLabel | QAbstractButton)]
    return [*texts, wizard.currentPage().title(), wizard.currentPage().subTitle()]


def test_a_loopback_server_speaking_plain_http_is_named_and_http_offered(
    qtbot: QtBot, simulator: PbxSimulator
) -> None:
    wizard = make_wizard(qtbot)
    address = simulator.server_url.removeprefix("http://")
    type_into(wizard, "serverEdit", address)  # no scheme: HTTPS is tried first
    type_into(wizard, "apiKeyEdit", simulator.key)
    ok, sentence = test_connection(qtbot, wizard)
    assert not ok
    assert sentence.startswith(f"The server at {address} on this computer speaks plain HTTP")
    assert "certificate" not in sentence
    use_http = find(wizard, QAbstractButton, "useHttpButton")
    assert use_http.isVisible()
    assert all("key" not in request.params for request in simulator.requests)  # asked keyless
    with qtbot.waitSignal(wizard.pbx_page.tester.finished, timeout=WAIT_MS) as tested:
        QTest.keyClick(use_http, Qt.Key.Key_Space)
    assert tested.args[0] is True, tested.args
    assert wizard.form.value("server") == f"http://{address}"
    assert not use_http.isVisible()
    assert not all(texts := shown_texts(wizard)) or not any("Settings" in t for t in texts)


def test_in_another_language_the_wizard_still_speaks_of_its_own_fields(
    qtbot: QtBot, simulator: PbxSimulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The PBX's sentence arrives translated: the wizard must still recognise it whole and say
    # its own, not the translated "check the key in Settings" the rep cannot reach from here.
    monkeypatch.setattr(translation, "LOCALE_DIR", tmp_path / "locale")
    catalog = Catalog(locale="de", domain=translation.DOMAIN, fuzzy=False)
    catalog.add(
        "The PBX did not accept the API key: check the key in Settings.",
        "Die PBX hat den API-Schlüssel abgelehnt: prüfen Sie ihn in den Einstellungen.",
    )
    catalog.add(
        "The PBX did not accept the API key: paste it again in the API key field, exactly as "
        "your PBX administrator gave it.",
        "Die PBX hat den API-Schlüssel abgelehnt: fügen Sie ihn erneut ins Feld API key ein.",
    )
    path = tmp_path / "locale" / "de" / "LC_MESSAGES" / f"{translation.DOMAIN}.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as file:
        write_po(file, catalog)
    assert translation.use_language("de") == "de"
    try:
        wizard = make_wizard(qtbot)
        type_into(wizard, "serverEdit", simulator.server_url)
        type_into(wizard, "apiKeyEdit", "wrong-key")
        ok, sentence = test_connection(qtbot, wizard)
    finally:
        translation.use_language("en")
    assert not ok
    assert sentence == (
        "Die PBX hat den API-Schlüssel abgelehnt: fügen Sie ihn erneut ins Feld API key ein."
    )


def test_a_remote_plain_http_server_still_needs_the_reps_explicit_allowance(
    qtbot: QtBot, canned_server: CannedServer
) -> None:
    # A name that is not loopback but still reaches the canned server on this machine.
    port = canned_server.url.rsplit(":", 1)[1]
    wizard = make_wizard(qtbot)
    type_into(wizard, "serverEdit", f"127.0.0.1.nip.invalid:{port}")
    assert parse_server(str(wizard.form.value("server"))).is_loopback is False
    error = NotHttps("not tls")
    error.plain_http = True
    sentence = setup_sentence(error, str(wizard.form.value("server")))
    assert "ask your PBX administrator for its https:// address" in sentence
    assert "tick Allow plain HTTP" in sentence
    wizard.pbx_page.tester.failed.emit(error)
    use_http = find(wizard, QAbstractButton, "useHttpButton")
    assert use_http.isVisible()
    use_http.click()
    assert wizard.form.value("server") == f"http://127.0.0.1.nip.invalid:{port}"
    allow = wizard.form.fields["allow_insecure_http"]
    assert wizard.pbx_page.layout_.isRowVisible(allow.cell)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # refused until ticked
    find(wizard, QCheckBox, "allowInsecureHttpCheck").click()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_a_self_signed_certificate_is_named_and_its_file_accepted(
    qtbot: QtBot, tls_simulator: PbxSimulator, self_signed_certificate: tuple[Path, Path]
) -> None:
    wizard = make_wizard(qtbot)
    ca_bundle = wizard.form.fields["ca_bundle"]
    assert not wizard.pbx_page.layout_.isRowVisible(ca_bundle.cell)
    address = tls_simulator.server_url.removeprefix("https://")
    type_into(wizard, "serverEdit", address)
    type_into(wizard, "apiKeyEdit", tls_simulator.key)
    ok, sentence = test_connection(qtbot, wizard)
    assert not ok
    assert sentence.startswith("The server at 127.0.0.1 uses a self-signed certificate")
    assert "Custom CA bundle field" in sentence
    assert wizard.pbx_page.layout_.isRowVisible(ca_bundle.cell)
    assert QApplication.focusWidget() in (ca_bundle.editor, None)  # None: window not active
    type_into(wizard, "caBundleEdit", str(self_signed_certificate[0]))
    ok, sentence = test_connection(qtbot, wizard)
    assert ok, sentence
    assert sentence == "Connected to 127.0.0.1: the API key was accepted."
    wizard.next()
    assert wizard.currentPage() is wizard.you_page  # tested: no warning


def test_no_wizard_message_sends_the_rep_to_settings(qtbot: QtBot, simulator: PbxSimulator) -> None:
    wizard = make_wizard(qtbot)
    type_into(wizard, "serverEdit", simulator.server_url)
    ok, sentence = test_connection(qtbot, wizard)  # no key typed, none stored
    assert not ok
    assert sentence == (
        "Paste the API key from your PBX administrator in the API key field, then test again."
    )
    type_into(wizard, "apiKeyEdit", "wrong-key")
    ok, sentence = test_connection(qtbot, wizard)
    assert sentence.startswith("The PBX did not accept the API key: paste it again")
    type_into(wizard, "serverEdit", "http://pbx.office.lan")
    field = wizard.form.fields["server"]
    qtbot.waitUntil(lambda: field.problem_shown, timeout=WAIT_MS)
    for page in (wizard.pbx_page, wizard.you_page, wizard.defaults_page):
        for text in [page.title(), page.subTitle(), *shown_texts(wizard)]:
            assert "in Settings" not in text, text
            assert "in the settings" not in text, text


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No usable password store, chosen through the environment as keyring itself reads it."""
    import keyring
    import keyring.core

    previous = keyring.get_keyring()
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    keyring.core.init_backend()
    yield
    keyring.set_keyring(previous)


def test_without_a_keyring_the_wizard_says_what_to_do_and_checks_again(
    qtbot: QtBot, no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = make_wizard(qtbot)
    wizard.resize(640, wizard.height())
    help_box = wizard.pbx_page.keyring_help
    qtbot.waitUntil(help_box.isVisible, timeout=WAIT_MS)
    advice = find(wizard, QLabel, "keyringHelpAdvice")
    assert "gnome-keyring" in advice.text()
    assert "KWallet" in advice.text()
    assert advice.wordWrap()
    assert "A1DIALER_API_KEY" in find(wizard, QLabel, "keyringHelpAdmin").text()
    qtbot.waitUntil(lambda: advice.height() >= advice.heightForWidth(advice.width()))
    heights = []
    check_again = find(wizard, QAbstractButton, "keyringCheckAgainButton")
    for _attempt in range(3):
        with qtbot.waitSignal(help_box.checked, timeout=WAIT_MS) as checked:
            QTest.keyClick(check_again, Qt.Key.Key_Space)
        assert checked.args == [False]
        qtbot.wait(50)  # the layout pass after the answer; nothing to await
        heights.append(wizard.height())
    assert len(set(heights)) == 1, f"the wizard grew with each check: {heights}"
    # Every line of advice is shown whole: its label is as tall as its wrapped text.
    for name in ("keyringHelpTitle", "keyringHelpAdvice", "keyringHelpAdmin"):
        label = find(wizard, QLabel, name)
        assert label.height() >= label.heightForWidth(label.width()), name

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")  # the rep installed and unlocked one
    if not keyring_available_afresh():
        pytest.skip("no OS keyring backend here to find after the fix")
    with qtbot.waitSignal(help_box.checked, timeout=WAIT_MS) as checked:
        QTest.keyClick(check_again, Qt.Key.Key_Space)
    assert checked.args == [True]
    assert not help_box.isVisible()


def keyring_available_afresh() -> bool:
    from a1dialer.core.secrets import check_keyring_again

    return check_keyring_again()


def test_without_a_keyring_finish_is_no_dead_end(
    qtbot: QtBot, simulator: PbxSimulator, no_keyring: None
) -> None:
    wizard = make_wizard(
        qtbot,
        Settings().validated(
            server=simulator.server_url, extension="1007", caller_id_number="12085550100"
        ),
    )
    type_into(wizard, "apiKeyEdit", simulator.key)
    wizard.next()
    wizard.next()
    wizard.next()
    assert wizard.currentPage() is wizard.defaults_page
    click(wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: not wizard.saving, timeout=WAIT_MS)
    message = find(wizard, QLabel, "setupMessage").text()
    assert message.startswith("Your settings were saved, but no password store could keep")
    assert "Check again" in message
    assert load_settings().extension == "1007"
    go_on = find(wizard, QAbstractButton, "finishWithoutKeyButton")
    assert go_on.isVisible()
    with qtbot.waitSignal(wizard.saved, timeout=WAIT_MS):
        go_on.click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert simulator.key not in paths.settings_file().read_text(encoding="utf-8")


def test_ring_my_phone_places_one_test_call_to_the_reps_own_extension(
    qtbot: QtBot, simulator: PbxSimulator
) -> None:
    wizard = make_wizard(
        qtbot,
        Settings().validated(
            server=simulator.server_url, extension="1007", caller_id_number="(208) 555-0100"
        ),
    )
    type_into(wizard, "apiKeyEdit", simulator.key)
    wizard.next()
    wizard.next()
    wizard.next()
    ring = find(wizard, QAbstractButton, "ringMyPhoneButton")
    assert "optional" in find(wizard, QGroupBox, "ringMyPhoneGroup").title()
    result = find(wizard, QLabel, "ringMyPhoneResult")
    QTest.keyClick(ring, Qt.Key.Key_Space)
    assert not ring.isEnabled()  # one click, one call: a second press sends nothing
    QTest.keyClick(ring, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: result.property("status") == "ok", timeout=WAIT_MS)
    assert result.text().startswith("Your phone (extension 1007) should ring now")
    assert len(simulator.originates) == 1
    sent = simulator.originates[0]
    assert (sent["src"], sent["dest"], sent["des_cid_number"]) == ("1007", "1007", "12085550100")
    assert ring.isEnabled()
    assert not paths.settings_file().exists()  # a test, not a save


def test_ring_my_phone_says_why_it_could_not_and_never_retries(
    qtbot: QtBot, simulator: PbxSimulator
) -> None:
    wizard = make_wizard(
        qtbot,
        Settings().validated(
            server=simulator.server_url, extension="1007", caller_id_number="12085550100"
        ),
    )
    type_into(wizard, "apiKeyEdit", "wrong-key")
    wizard.next()
    wizard.next()
    wizard.next()
    result = find(wizard, QLabel, "ringMyPhoneResult")
    find(wizard, QAbstractButton, "ringMyPhoneButton").click()
    qtbot.waitUntil(lambda: result.property("status") == "error", timeout=WAIT_MS)
    assert result.text().startswith("The PBX did not accept the API key: paste it again")
    originate_requests = [r for r in simulator.requests if r.endpoint.endswith("originate")]
    assert len(originate_requests) == 1


def test_esc_with_unsaved_changes_asks_before_discarding(qtbot: QtBot) -> None:
    wizard = make_wizard(qtbot)
    QTest.keyClick(wizard, Qt.Key.Key_Escape)  # nothing typed: closes at once
    assert not wizard.isVisible()
    wizard = make_wizard(qtbot)
    type_into(wizard, "serverEdit", "pbx.example.com")
    QTest.keyClick(wizard, Qt.Key.Key_Escape)
    box = find(wizard, QMessageBox, "discardChangesBox")
    qtbot.waitUntil(box.isVisible)
    QTest.keyClick(box, Qt.Key.Key_Escape)  # Esc again: keep editing
    qtbot.waitUntil(lambda: not box.isVisible())
    assert wizard.isVisible()
    assert wizard.form.value("server") == "pbx.example.com"
    click(wizard, QWizard.WizardButton.CancelButton)
    box = find(wizard, QMessageBox, "discardChangesBox")
    qtbot.waitUntil(box.isVisible)
    with qtbot.waitSignal(wizard.rejected, timeout=WAIT_MS):
        find(box, QAbstractButton, "discardButton").click()
    assert not wizard.isVisible()


@pytest.mark.keyring
@needs_keyring
# The country completer's popup asks for the keyboard, which the offscreen platform cannot give.
@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_the_whole_wizard_by_keyboard_alone(
    qtbot: QtBot, simulator: PbxSimulator, loopback_key_cleanup: None
) -> None:
    wizard = make_wizard(qtbot)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=WAIT_MS)

    def focused() -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None
        return widget

    def keys(text: str) -> None:
        QTest.keyClicks(focused(), text)

    def alt(letter: str) -> None:
        key = Qt.Key(ord(letter.upper()))
        QTest.keyClick(focused(), key, Qt.KeyboardModifier.AltModifier)

    def tab() -> None:
        QTest.keyClick(focused(), Qt.Key.Key_Tab)

    assert QApplication.focusWidget() is find(wizard, QLineEdit, "serverEdit")
    keys(simulator.server_url)
    alt("a")  # API key
    keys(simulator.key)
    alt("t")  # Test connection
    qtbot.waitUntil(lambda: wizard.pbx_page.tester.succeeded_for is not None, timeout=WAIT_MS)
    alt("n")  # Next (a mnemonic clicks its button a moment later, as it flashes)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.you_page)
    assert QApplication.focusWidget() is find(wizard, QLineEdit, "extensionEdit")
    keys("1007")
    tab()
    keys("+44 20 7946 0000")
    tab()
    keys("Acme")
    tab()
    assert QApplication.focusWidget() is find(wizard, QComboBox, "defaultCountryCombo")
    QTest.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keys("Germ")
    qtbot.waitUntil(lambda: wizard.form.value("default_country") == "DE", timeout=WAIT_MS)
    alt("n")
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.defaults_page)
    with qtbot.waitSignal(wizard.saved, timeout=WAIT_MS):
        alt("f")  # Finish
    settings = load_settings()
    assert (settings.extension, settings.caller_id_number) == ("1007", "442079460000")
    assert settings.default_country == "DE"


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Germ", "DE"), ("germany", "DE"), ("zealand", "NZ"), ("de", "DE"), ("Japan (JP)", "JP")],
)
def test_part_of_one_country_name_picks_that_country(qtbot: QtBot, typed: str, code: str) -> None:
    wizard = make_wizard(qtbot)
    field = wizard.form.fields["default_country"]
    line = find(wizard, QComboBox, "defaultCountryCombo").lineEdit()
    assert line is not None
    line.setText(typed)
    assert field.value() == code
    assert field.problem is None
    line.editingFinished.emit()  # leaving the field shows the whole entry, not a mix of both
    assert line.text().endswith(f"({code})")


def test_a_part_shared_by_several_countries_is_not_guessed(qtbot: QtBot) -> None:
    wizard = make_wizard(qtbot)
    field = wizard.form.fields["default_country"]
    line = find(wizard, QComboBox, "defaultCountryCombo").lineEdit()
    assert line is not None
    line.setText("Guin")  # Guinea, Guinea-Bissau, Equatorial Guinea, Papua New Guinea
    qtbot.waitUntil(lambda: field.problem_shown, timeout=WAIT_MS)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
