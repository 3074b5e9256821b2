"""The browser extension end to end: the native host hands offers to the running window, and a
real headless Chromium with the unpacked extension calls a number from a CRM-like page."""

from __future__ import annotations

import functools
import http.server
import json
import os
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from a1dialer import __version__
from a1dialer.app import _bring_forward
from a1dialer.core.settings import Settings
from a1dialer.desktop.browser_hosts import CHROME_EXTENSION_ID
from a1dialer.desktop.single_instance import SingleInstance
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.main_window import MainWindow
from scripts.chromium import Chromium, chromium_path, extension_worker

HOST = [sys.executable, "-m", "a1dialer.desktop.native_host"]
PAGES = Path(__file__).resolve().parents[2] / "browser" / "tests"


def listen(window: MainWindow) -> SingleInstance:
    """This test process as the running app, wired as ``run_gui`` wires it."""
    instance = SingleInstance()
    assert instance.listen()
    instance.argumentsReceived.connect(lambda args: _bring_forward(window, args))
    return instance


@pytest.fixture
def running_instance(window: MainWindow) -> Iterator[SingleInstance]:
    instance = listen(window)
    yield instance
    instance.close()


def ask_host(qtbot: QtBot, request: dict[str, object]) -> dict[str, object]:
    """Send one message to a host process, as the browser does; its reply."""
    body = json.dumps(request).encode("utf-8")
    host = subprocess.Popen(
        HOST, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert host.stdin is not None
    host.stdin.write(struct.pack("=I", len(body)) + body)
    host.stdin.close()
    # The Qt event loop must run meanwhile: this process answers the hand-over.
    qtbot.waitUntil(lambda: host.poll() is not None, timeout=30_000)
    assert host.stdout is not None
    assert host.stderr is not None
    out, err = host.stdout.read(), host.stderr.read()
    host.stdout.close()
    host.stderr.close()
    assert host.returncode == 0, err.decode()
    (length,) = struct.unpack("=I", out[:4])
    assert len(out) == 4 + length
    reply: dict[str, object] = json.loads(out[4:])
    return reply


def test_an_offer_reaches_the_running_window_as_a_link_does(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, running_instance: SingleInstance
) -> None:
    offer = {"type": "offer", "number": "+1 208 555 0142", "name": "Dana Whitfield"}
    reply = ask_host(qtbot, {**offer, "dial": False})

    assert reply == {"ok": True}
    qtbot.waitUntil(lambda: window.number_edit.text() == "+1 208 555 0142", timeout=10_000)
    assert window.name_edit.text() == "Dana Whitfield"
    assert window.status.text == "Press Enter to call +1 208-555-0142."
    assert window.call_button.hasFocus()
    assert pbx.originates == []  # "ask first": nothing is dialled by the offer itself


def test_with_dial_at_once_an_offer_places_exactly_one_call(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    pbx: PbxSimulator,
    api_key: str,
) -> None:
    window = open_window(settings_for(pbx, link_action="dial"))
    instance = listen(window)
    try:
        with qtbot.waitSignal(window.placer.placed, timeout=20_000):
            reply = ask_host(qtbot, {"type": "offer", "number": "(208) 555-0173", "dial": False})
        qtbot.waitUntil(lambda: not window.placer.busy, timeout=5000)
    finally:
        instance.close()
    assert reply == {"ok": True}
    assert [call["dest"] for call in pbx.originates] == ["12085550173"]


def test_an_offer_holding_no_phone_number_is_shown_not_dialled(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    pbx: PbxSimulator,
    api_key: str,
) -> None:
    window = open_window(settings_for(pbx, link_action="dial"))
    instance = listen(window)
    try:
        reply = ask_host(qtbot, {"type": "offer", "number": "Order 4711", "dial": False})
        qtbot.waitUntil(lambda: window.number_edit.text() == "Order 4711", timeout=10_000)
    finally:
        instance.close()
    assert reply == {"ok": True}
    # "4711" alone would be an internal extension; selected text is dialled only as a number.
    assert window.status.text.startswith("The selected text is not a phone number")
    assert pbx.originates == []


# --- a real browser --------------------------------------------------------------------------


@pytest.fixture
def crm_site() -> Iterator[str]:
    """The CRM-like test page on a loopback web server; its origin."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(PAGES))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


BUTTON_POINT = """(() => {
    const cell = [...document.querySelectorAll('#leads td')]
        .find((td) => td.textContent.includes('+1 208 555 0173'));
    const host = cell.querySelector('a1dialer-call');
    const box = host.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(document.documentElement).fontSize);
    // The button floats just right of its zero-width host, raised like a superscript.
    return [box.left + 1 + size * 0.45, box.top - size * 0.75];
})()"""


NEW_ROW = """document.querySelector('#leads tbody').insertAdjacentHTML('beforeend',
    '<tr><td>Lee Park</td><td>Orbit</td><td>+1 208 555 0188</td><td>2024-04-02</td></tr>')"""
# The CRM replaces the second row's number (the old text node and its button go with it).
REWRITE_NUMBER = """document.querySelector('#leads tbody tr:nth-child(2) td:nth-child(3)')
    .textContent = '+49 30 7654321'"""
# Text nodes that follow another text node: what splitting for the buttons would leave behind.
SPLIT_TEXT_NODES = """(() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let split = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode())
        if (node.previousSibling && node.previousSibling.nodeType === Node.TEXT_NODE) split += 1;
    return split;
})()"""


@pytest.mark.slow
@pytest.mark.skipif(
    chromium_path() is None, reason="Chromium is not installed (apt install chromium)"
)
def test_chromium_calls_a_number_found_on_a_crm_page(
    qtbot: QtBot,
    window: MainWindow,
    pbx: PbxSimulator,
    running_instance: SingleInstance,
    crm_site: str,
) -> None:
    chromium = chromium_path()
    assert chromium is not None
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    with Chromium(
        chromium, host_command=HOST, extension_id=CHROME_EXTENSION_ID, env=env
    ) as browser:
        page = browser.open_page(f"{crm_site}/crm.html")
        text_before = browser.evaluate(page, "document.body.textContent")
        height_before = browser.evaluate(page, "document.body.getBoundingClientRect().height")
        assert browser.evaluate(page, "document.querySelectorAll('a1dialer-call').length") == 0

        # The rep switches detection on for this site, as the popup does.
        worker = extension_worker(browser, CHROME_EXTENSION_ID)
        browser.evaluate(worker, f"a1dialer.setDetection({json.dumps(crm_site)}, true)")
        browser.wait_for(page, "document.querySelectorAll('a1dialer-call').length >= 6")

        found = browser.evaluate(page, "document.querySelectorAll('a1dialer-call').length")
        assert found == 6  # two on the card, three in the table, the support line's tel: link
        # Nothing inside the field, the editable note or the code sample.
        inside_skipped = (
            "[contenteditable] a1dialer-call, code a1dialer-call, input + a1dialer-call"
        )
        assert browser.evaluate(page, f"document.querySelectorAll({inside_skipped!r}).length") == 0
        assert browser.evaluate(page, "document.body.textContent") == text_before
        assert browser.evaluate(page, "document.body.getBoundingClientRect().height") == (
            height_before
        )

        x, y = browser.evaluate(page, BUTTON_POINT)
        hit = browser.evaluate(page, f"document.elementFromPoint({x}, {y}).localName")
        assert hit == "a1dialer-call", "the point clicked is not the call button"
        browser.click(page, x, y)
        qtbot.waitUntil(lambda: window.number_edit.text() == "+1 208 555 0173", timeout=20_000)

        assert window.name_edit.text() == "Maria Lopez"  # the Name column of the number's row
        assert window.status.text == "Press Enter to call +1 208-555-0173."
        assert pbx.originates == []
        assert browser.evaluate(page, "document.body.textContent") == text_before

        # A row the CRM adds later gets its button too, and a number the page rewrites in
        # place gets one button, not a second.
        browser.evaluate(page, NEW_ROW)
        browser.wait_for(page, "document.querySelectorAll('a1dialer-call').length === 7")
        browser.evaluate(page, REWRITE_NUMBER)
        browser.wait_for(
            page, "document.querySelector('#leads tbody tr:nth-child(2) a1dialer-call')"
        )
        assert browser.evaluate(page, "document.querySelectorAll('a1dialer-call').length") == 7
        text_with_row = browser.evaluate(page, "document.body.textContent")
        assert "+1 208 555 0188" in text_with_row

        # Switched off, the buttons go and the page's text nodes are joined as they were.
        browser.evaluate(worker, f"a1dialer.setDetection({json.dumps(crm_site)}, false)")
        browser.wait_for(page, "document.querySelectorAll('a1dialer-call').length === 0")
        assert browser.evaluate(page, "document.body.textContent") == text_with_row
        assert browser.evaluate(page, SPLIT_TEXT_NODES) == 0


POPUP_STATUS = "document.getElementById('status').textContent"


@pytest.mark.slow
@pytest.mark.skipif(
    chromium_path() is None, reason="Chromium is not installed (apt install chromium)"
)
@pytest.mark.parametrize("installed", [False, True])
def test_the_popup_says_whether_the_app_is_there_and_how_to_fix_it(installed: bool) -> None:
    chromium = chromium_path()
    assert chromium is not None
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    host = HOST if installed else None
    with Chromium(
        chromium, host_command=host, extension_id=CHROME_EXTENSION_ID, env=env
    ) as browser:
        popup = browser.open_page(f"chrome-extension://{CHROME_EXTENSION_ID}/popup.html")
        browser.wait_for(popup, f"{POPUP_STATUS} !== ''")
        status = browser.evaluate(popup, POPUP_STATUS)
    if installed:
        assert status == f"A1 Dialer {__version__} is ready."
    else:
        assert status.startswith("A1 Dialer is not installed for this browser.")
        assert "a1dialer register-handlers" in status
