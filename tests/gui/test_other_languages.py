"""The window in German and Russian: a call, a refused number, a PBX error, the outcome panel.

Each expected text is looked up in the language's catalog and must differ from the English, so
a string that lost its translation (or its marking) fails here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from a1dialer.core.errors import BadInput
from a1dialer.core.numbers import parse_dial_input
from a1dialer.core.outcomes import outcome_label
from a1dialer.core.settings import Settings
from a1dialer.core.translation import _, pgettext, use_language
from a1dialer.pbx.causes import cause_sentence
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.main_window import MainWindow
from a1dialer.ui.outcome_panel import OutcomePanel
from a1dialer.ui.qt_language import load_qt_catalog
from tests.gui.test_main_window import CALL_TIMEOUT_MS, call_and_wait, magic_number

# The United States in each language, as the CLDR names it in the number preview.
UNITED_STATES = {"de": "Vereinigte Staaten", "ru": "Соединенные Штаты"}


@pytest.fixture(params=["de", "ru"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    code: str = request.param
    assert use_language(code) == code
    translator = QTranslator()
    assert load_qt_catalog(translator, code)
    qapp.installTranslator(translator)
    yield code
    qapp.removeTranslator(translator)
    use_language("en")


def in_english(language: str, text: Callable[[], str]) -> str:
    """What ``text()`` says in English (the language in use is ``language`` again after)."""
    use_language("en")
    try:
        return text()
    finally:
        use_language(language)


def translated(english: str, shown: str) -> str:
    assert shown != english, f"{english!r} is not translated"
    return shown


def test_a_call_a_refusal_a_pbx_error_and_the_outcome_panel(
    qtbot: QtBot,
    language: str,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    pbx: PbxSimulator,
    api_key: str,
) -> None:
    window = open_window(settings_for(pbx))
    call_button = translated("Call", pgettext("button", "Call"))
    assert call_button.replace("&", "") in window.call_button.text().replace("&", "")

    # A number with a digit too many: one sentence in the language, the country named in it.
    window.number_edit.setText("(208) 555-12345")
    qtbot.waitUntil(lambda: window.preview_label.kind == "error", timeout=3000)
    with pytest.raises(BadInput) as refused:
        parse_dial_input("(208) 555-12345", "US", "e164")
    assert window.preview_label.text() == refused.value.sentence
    assert UNITED_STATES[language] in refused.value.sentence

    # A call the PBX places; the status says so in the language.
    window.number_edit.setText("(208) 555-1234")
    with qtbot.waitSignal(window.placer.placed, timeout=CALL_TIMEOUT_MS):
        qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    placed = translated(
        "Call placed: the PBX is now calling {number}.",
        _("Call placed: the PBX is now calling {number}."),
    )
    assert placed.split("{number}")[0] in window.status_label.text()

    # The outcome panel offers the standard outcomes in the language.
    panel = window.findChild(OutcomePanel)
    assert panel is not None
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    shown = [button.text().replace("&", "") for button in panel.buttons]
    connected = translated("Connected", outcome_label("Connected"))
    assert any(connected in text for text in shown), shown

    # A busy line: the PBX's cause in the language.
    window.follow_up.panel.save_quietly()
    qtbot.waitUntil(lambda: window.dialer.ready_to_call, timeout=3000)
    window.number_edit.setText(magic_number("USER_BUSY"))
    call_and_wait(qtbot, window, lambda: window.call_button.click())
    busy = translated(
        in_english(language, lambda: cause_sentence("USER_BUSY", "1007")),
        cause_sentence("USER_BUSY", "1007"),
    )
    assert busy in window.status_label.text()
