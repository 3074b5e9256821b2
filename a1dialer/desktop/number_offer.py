"""A number from outside the window (a clicked link, the global hotkey, the tray) to the dialer.

The rep's ``link_action`` setting decides: "ask" fills the number in, says "Press Enter to call
<number>" and focuses Call; "dial" places the call at once (one originate, as a Call click).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from a1dialer.core.numbers import looks_like_phone_number
from a1dialer.core.translation import N_, _
from a1dialer.desktop.forwarding import CONTACT_NAME, OFFER_NUMBER

if TYPE_CHECKING:
    from a1dialer.ui.main_window import MainWindow

log = logging.getLogger(__name__)

# The argument a launch passes (and forwards) to dial what is selected or copied, as the hotkey.
DIAL_SELECTION = "--dial-selection"
NOTHING_SELECTED = N_(
    "Select or copy a phone number in any app first, then press the hotkey (or run "
    "'a1dialer --dial-selection') again."
)


def show_window(window: MainWindow, number: str = "", name: str | None = None) -> None:
    """Bring the window forward, with ``number`` (and the contact ``name`` that came with it)
    filled in; never dialled by this alone."""
    if number:
        window.dialer.set_number(number, name)
    window.showNormal()
    window.raise_()
    window.activateWindow()


def offer_number(window: MainWindow, text: str, action: str, name: str | None = None) -> bool:
    """Show ``text`` (and its contact ``name``, if one came with it) in the window and ask, or
    dial it at once; True when a call was sent."""
    show_window(window)
    return window.dialer.offer(text, name, action)


def dial_selection(window: MainWindow) -> bool:
    """The hotkey: offer the number selected (X11 primary selection) or copied anywhere."""
    from a1dialer.desktop.hotkey import selected_or_clipboard_text

    text = selected_or_clipboard_text()
    settings = window.settings
    if text and looks_like_phone_number(
        text, settings.default_country, extension_digits=settings.extension_digits
    ):
        log.info("Hotkey: offering the selected number (%s)", settings.link_action)
        return offer_number(window, text, settings.link_action)
    log.info("Hotkey pressed with no phone number selected or copied")
    show_window(window)
    window.dialer.say(_(NOTHING_SELECTED), "warning")
    return False


def offer_from_browser(window: MainWindow, text: str, name: str | None) -> bool:
    """The browser extension's offer: text the rep selected or a number found on the page.

    As a clicked link, except that text holding no full phone number (an order number read as
    an extension) is shown but never dialled, as for the hotkey.
    """
    settings = window.settings
    if looks_like_phone_number(
        text, settings.default_country, extension_digits=settings.extension_digits
    ):
        log.info("Browser: offering a number (%s)", settings.link_action)
        return offer_number(window, text, settings.link_action, name)
    log.info("Browser: the offered text holds no phone number")
    show_window(window, text, name)
    window.dialer.say(
        _("The selected text is not a phone number: select just the number and try again."),
        "warning",
    )
    return False


def receive_launch(window: MainWindow, args: Sequence[str]) -> None:
    """What a launch asked for: its link (asked about or dialled), the selection, or the window."""
    if DIAL_SELECTION in args:
        dial_selection(window)
        return
    numbers = [arg[len(OFFER_NUMBER) :] for arg in args if arg.startswith(OFFER_NUMBER)]
    names = [arg[len(CONTACT_NAME) :] for arg in args if arg.startswith(CONTACT_NAME)]
    links = [arg for arg in args if not arg.startswith((OFFER_NUMBER, CONTACT_NAME))]
    if numbers:
        offer_from_browser(window, numbers[0], names[0] if names and names[0] else None)
    elif links:
        offer_number(window, links[0], window.settings.link_action)
    else:
        show_window(window)
