"""The ``Dialer`` controller: the number, its preview and the call, for every path that dials.

The window's Call button and Enter, the tray, clicked links, the hotkey, the call lists and the
history all dial through it, so the same guards hold for each: one originate per press (a double
click or a held Enter sends one), no call to a do-not-call number, and a number the PBX took (or
may have taken) in the last two minutes asks for one more Enter first.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from a1dialer.core.errors import AuthRejected, BadInput, DialerError, LocalProblem, OutcomeUnknown
from a1dialer.core.settings import Settings
from a1dialer.core.translation import N_, _, ngettext
from a1dialer.ui.call_placer import CallAttempt
from a1dialer.ui.contact_name import ContactNameGuard, number_key
from a1dialer.ui.dialer_panel import DialerPanel
from a1dialer.ui.services import Services

if TYPE_CHECKING:
    from collections.abc import Callable

    from a1dialer.core.caller_ids import RingChoice
    from a1dialer.core.numbers import DialTarget
    from a1dialer.pbx.client import CallPlaced

log = logging.getLogger(__name__)

# What ``offer`` does with a number from outside the window, as the ``link_action`` setting says.
ASK = "ask"
DIAL = "dial"
# A problem with a half-typed number is pointed out once the rep pauses, not on every keystroke.
PREVIEW_PROBLEM_DELAY_MS = 500
EMPTY_HINT = N_("Type or paste a number in any format")
# Calling a number again this soon after a call the PBX took (or may have taken) asks first.
REDIAL_GUARD_S = 120
# The confirming Enter counts this long after the question (and not as its double click).
CONFIRM_WINDOW_MS = 10_000


class Dialer(QObject):
    """Drives the dialer panel: what the number dials, whether it may, and the call's progress.

    ``services`` are the app's: the settings (followed as they change), the call log (asked for
    when a recent call must be looked up) and the placer. A ``tag`` given to ``dial`` comes back
    with that call's signals, so a caller (the call lists) knows its own call's outcome.

    Signals:
        started(object, object): the tag and the ``CallAttempt`` handed to the PBX.
        placed(object, object, object): the tag, the ``CallAttempt`` and the PBX's ``CallPlaced``.
        failed(object, object, object): the tag, the ``CallAttempt`` and the ``DialerError``.
        unknown(object, object, object): the tag, the ``CallAttempt`` and the ``OutcomeUnknown``:
            the PBX may be calling.
        declined(object, str, bool): ``dial`` sent nothing: the tag, the sentence why, and
            whether it is the "called moments ago" question (one more Enter confirms).
        can_call_changed(bool, bool): whether Call may place a call, and whether one is in flight.
    """

    started = Signal(object, object)
    placed = Signal(object, object, object)
    failed = Signal(object, object, object)
    unknown = Signal(object, object, object)
    declined = Signal(object, str, bool)
    can_call_changed = Signal(bool, bool)

    def __init__(
        self,
        panel: DialerPanel,
        services: Services,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._panel = panel
        self._placer = placer = services.placer
        self._settings = services.settings.current
        self._call_log = services.call_log
        self._status = panel.status
        self._number = panel.number_edit
        self._country = panel.country_combo
        self._preview = panel.preview_label
        self._identity = panel.identity
        self.name_guard = ContactNameGuard(panel.name_edit)
        self._target: DialTarget | None = None
        self._refused = False
        self._refusal: Callable[[DialTarget], str | None] | None = None
        self._attempt: CallAttempt | None = None
        self._tag: object = None
        self._elapsed = QElapsedTimer()
        # Restarted at each call. Until a double-click interval has passed, Call does nothing
        # more, so a double click (or a click and Enter) sends one originate even when the PBX
        # answers at once. The button is not greyed for it: that would flicker after every call.
        self._last_start = QElapsedTimer()
        # The number text a "you called it moments ago" question was asked for, and since when.
        self._confirm_for: str | None = None
        self._confirm_asked = QElapsedTimer()
        self.redial_question = ""
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._show_ringing)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_PROBLEM_DELAY_MS)
        self._preview_timer.timeout.connect(lambda: self._update_preview(reveal=True))

        self._number.textChanged.connect(self._number_changed)
        self._number.editingFinished.connect(lambda: self.name_guard.settle())
        self._country.currentIndexChanged.connect(lambda _index: self._update_preview(reveal=True))
        panel.call_button.clicked.connect(lambda: self.dial())
        panel.dial_pad.typed.connect(self.type_into_number)
        panel.dial_pad.backspace_pressed.connect(self._pad_backspace)
        panel.dial_pad.clear_pressed.connect(self.clear_number)
        placer.started.connect(self._call_started)
        placer.placed.connect(self._call_placed)
        placer.failed.connect(self._call_failed)
        placer.unknown.connect(self._call_unknown)
        services.settings.changed.connect(self._settings_changed)
        panel.identity.ring_me_at_combo.activated.connect(lambda _index: self._ring_picked())

        self._update_preview(reveal=True)
        self.show_ready()
        self._update_can_call()

    # ------------------------------------------------------------------------------ state

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def target(self) -> DialTarget | None:
        """What the number field will dial, or ``None`` while it cannot be dialled."""
        return self._target

    @property
    def busy(self) -> bool:
        """Whether a call is in flight (the PBX has not answered yet)."""
        return self._placer.busy

    @property
    def ready_to_call(self) -> bool:
        """Whether Call would place a call now (none in flight, not the tail of a double click)."""
        return not self._placer.busy and not self._in_double_click_guard()

    @property
    def last_call_id(self) -> str:
        """The id of the call placed (or of unknown outcome) last, while it is shown; else ""."""
        return self._status.call_id

    def _settings_changed(self, settings: Settings, old: Settings) -> None:
        """New settings: the preview and the ready line follow them."""
        self._settings = settings
        self._identity.set_settings(settings, old)
        if settings.default_country != old.default_country:
            self._country.set_default_country(settings.default_country)
        self._update_preview(reveal=True)
        if not self._placer.busy:
            self.show_ready()

    def identity_ready(self) -> None:
        """The number rules are loaded: offer the caller IDs and phones (a start-up step)."""
        self._identity.ready()
        self._identity.follow(self._target)
        # The ready line names the phone that rings first; a warning or error shown meanwhile
        # (a read-only call log, a settings problem) stays until the rep acts.
        if not self._placer.busy and self._status.kind == "note":
            self.show_ready()

    def _ring_picked(self) -> None:
        if not self._placer.busy:
            self.show_ready()

    def set_refusal_check(self, refusal: Callable[[DialTarget], str | None]) -> None:
        """``refusal(target)`` says why a number must not be called (``None`` when it may)."""
        self._refusal = refusal
        self.recheck()

    def show_ready(self) -> None:
        """The status line with no call going on: ready, or what setup still lacks."""
        missing = self._settings.missing_for_calls()
        if missing:
            self._status.show_message(
                # Translators: {missing} lists the settings still empty ("Server, Extension").
                _("Not set up yet: {missing} missing. Open Settings to finish.").format(
                    missing=", ".join(_(label) for label in missing)
                ),
                "warning",
                settings=True,
            )
        elif (ring := self._identity.ring) is not None and not ring.is_extension_setting:
            self._status.show_message(
                _(
                    "Ready. Your {phone} {number} rings first, then the PBX calls the number."
                ).format(phone=_phone_name(ring), number=ring.display)
            )
        else:
            self._status.show_message(
                _(
                    "Ready. Your phone (ext {extension}) rings first, then the PBX calls the "
                    "number."
                ).format(extension=self._settings.extension)
            )

    def say(self, text: str, kind: str = "note") -> None:
        """A line in the call status (the hotkey found nothing selected, say)."""
        self._status.show_message(text, kind)

    # ----------------------------------------------------------------------------- the number

    def set_number(self, text: str, name: str | None = None) -> None:
        """Put ``text`` (a number, a tel: link) in the number field, as if pasted.

        A number from elsewhere is one of the default country. ``name`` is the contact's name
        that came with it; without one, the name field keeps only a name of this same number.
        """
        self._country.reset()
        self._number.setText(text.strip())
        self._update_preview(reveal=True)
        if name is None:
            self.name_guard.drop_waiting()
        else:
            self._panel.name_edit.setText(name.strip())
        self.focus_number()

    def offer(self, text: str, name: str | None, action: str) -> bool:
        """A number from outside the window: fill it in and ask ("Press Enter to call ..."), or
        dial it at once for ``DIAL``; True when a call was sent."""
        if text:
            self.set_number(text, name)
        if action == DIAL:
            return self.dial()
        target = self._target
        if target is None:  # the preview under the number already says what is wrong with it
            return False
        prompt = _("Press Enter to call {number}.").format(number=target.display)
        self._status.show_message(prompt)
        self._panel.call_button.setFocus(Qt.FocusReason.OtherFocusReason)

        def edited(_text: str) -> None:
            # Typing another number makes the prompt wrong; the usual ready line comes back.
            if self._status.text == prompt and not self._placer.busy:
                self.show_ready()

        self._number.textEdited.connect(edited, Qt.ConnectionType.SingleShotConnection)
        return False

    def recheck(self) -> None:
        """Check the number again (the do-not-call list changed)."""
        self._update_preview(reveal=self._preview.kind == "error")
        self._update_can_call()

    def type_into_number(self, character: str) -> None:
        """A dial-pad key, or a digit typed while another control had focus."""
        self._keep_number_focus()
        self._number.insert(character)

    def focus_number(self) -> None:
        self._number.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._number.selectAll()

    def clear_number(self) -> None:
        self._number.clear()
        self._number.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_all(self) -> None:
        """Esc: a fresh start for the next call (number and name; the outcome stays)."""
        self._panel.name_edit.clear()
        self.clear_number()

    def _pad_backspace(self) -> None:
        self._keep_number_focus()
        self._number.backspace()

    def _keep_number_focus(self) -> None:
        if not self._number.hasFocus():
            self._number.setFocus(Qt.FocusReason.OtherFocusReason)
            self._number.deselect()
            self._number.end(False)

    def _number_changed(self, text: str) -> None:
        # A paste from a spreadsheet or an e-mail can bring tabs and line breaks along.
        if any(c in text for c in "\t\r\n"):
            self._number.setText(" ".join(text.split()))
            return
        if self._confirm_for is not None and text != self._confirm_for:
            self._reset_redial_question()
        if not text:  # the next number is one of the default country again
            self._country.reset()
            self._identity.forget_pick()
        self._update_preview(reveal=False)

    def _update_preview(self, *, reveal: bool) -> None:
        self._update_target(reveal=reveal)
        # Every way of dialling (tray, links, lists, history) passes here: the caller ID follows.
        self._identity.follow(self._target)

    def _update_target(self, *, reveal: bool) -> None:
        text = self._number.text()
        self._preview_timer.stop()
        if self._refused:
            self._refused = False
            self._update_can_call()
        if not text.strip():
            self._target = None
            self.name_guard.follow("", complete=False)
            self._preview.show_message(_(EMPTY_HINT), "note")
            self._number.setAccessibleDescription(_(EMPTY_HINT))
            return
        from a1dialer.ui.country_picker import target_for_country

        try:
            # What ``placing.target_for`` does, for the country picked for this call, without
            # pulling the PBX client (requests) onto the GUI thread.
            self._target = target_for_country(text, self._country.country, self._settings)
        except BadInput as exc:
            self._target = None
            self.name_guard.follow(number_key(text, None), complete=False)
            self._number.setAccessibleDescription(exc.sentence)
            if reveal or self._preview.kind == "error":
                self._preview.show_message(exc.sentence, "error")
            else:
                self._preview_timer.start()
            return
        self.name_guard.follow(
            number_key(text, self._target), complete=not self._target.is_extension
        )
        shown = self._target.describe()
        refusal = self._refusal(self._target) if self._refusal is not None else ""
        if refusal:
            self._refused = True
            self._update_can_call()
            shown = f"{shown}\n{refusal}"
        self._preview.show_message(shown, "error" if refusal else "ok")
        self._number.setAccessibleDescription(shown)

    def _reset_country_after(self, target: DialTarget) -> None:
        """After a call to a number of a picked country, the default country again.

        The number stays for a redial, written with its country code so it still reads as the
        number just called; a number the rep has started typing meanwhile keeps the pick.
        """
        if self._country.country == self._country.default_country:
            return
        if self._target is None or number_key("", self._target) != number_key("", target):
            return
        # Translators: after a number in the number field, the extension pasted with it.
        hint = (
            " " + _("ext. {extension}").format(extension=target.extension_hint)
            if target.extension_hint
            else ""
        )
        self._number.setText(target.display + hint)
        self._country.reset()

    # ------------------------------------------------------------------------------- dialling

    def dial(self, number: str | None = None, name: str | None = None, tag: object = None) -> bool:
        """Call ``number`` (put in the field first), or the number in the field.

        ``False`` if nothing was sent; ``declined`` says why (so does the window). ``tag`` comes
        back with the call's ``started``, ``placed``, ``failed`` or ``unknown``.
        """
        if self._placer.busy or self._in_double_click_guard():
            return False
        if number is not None:
            self.set_number(number, name)
        self._preview_timer.stop()
        self._update_preview(reveal=True)
        if self._target is None or self._refused:
            self.focus_number()
            self.declined.emit(tag, self._preview.text() or self._status.text, False)
            return False
        if not self._redial_confirmed(self._target):
            if self.redial_question:
                self.declined.emit(tag, self.redial_question, True)
            return False
        self._last_start.start()
        self.name_guard.settle()
        self._tag = tag
        options = self._panel.options.chosen(self._panel.name_edit.text())
        return self._placer.place(
            self._target, options, self._identity.caller_id, self._identity.ring
        )

    @property
    def redial_confirmable(self) -> bool:
        """Whether Enter (or Call) now confirms "you called this number moments ago": asked for
        the number shown, not the second half of a double click, not too long ago."""
        if self._confirm_for != self._number.text() or not self._confirm_asked.isValid():
            return False
        elapsed = self._confirm_asked.elapsed()
        return QApplication.doubleClickInterval() <= elapsed < CONFIRM_WINDOW_MS

    def _redial_confirmed(self, target: DialTarget) -> bool:
        """Whether ``target`` may be dialled now: ``False`` (and the question shown) when it was
        called moments ago and the rep has not pressed Enter again to confirm."""
        text = self._number.text()
        if self.redial_confirmable:
            self._reset_redial_question()
            return True
        if (
            self._confirm_for == text
            and self._confirm_asked.isValid()
            and self._confirm_asked.elapsed() < QApplication.doubleClickInterval()
        ):
            return False  # the second click of a double click is no confirmation
        try:
            recent = self._call_log().recent_call_to(target.dial, REDIAL_GUARD_S)
        except DialerError as exc:  # placing the call tells the rep about the log, if it matters
            log.warning("Could not look for a recent call to %s: %s", target.dial, exc)
            return True
        if recent is None:
            self._reset_redial_question()
            return True
        seconds = max(1, int((datetime.now(UTC) - recent.started_at).total_seconds()))
        ago = _duration(seconds)
        if recent.status == "placed":
            # Translators: {ago} is a duration such as "1 minute 30 seconds".
            question = _("You called {number} {ago} ago.").format(number=target.display, ago=ago)
        else:
            question = _(
                "The PBX may still be calling {number} from {ago} ago: check your phone."
            ).format(number=target.display, ago=ago)
        self.redial_question = question + " " + _("Press Enter again to call anyway.")
        self._confirm_for = text
        self._confirm_asked.start()
        self._status.show_message(self.redial_question, "warning")
        return False

    def _reset_redial_question(self) -> None:
        self._confirm_for = None
        self._confirm_asked.invalidate()
        if self.redial_question and self._status.text == self.redial_question:
            self.show_ready()
        self.redial_question = ""

    def _in_double_click_guard(self) -> bool:
        return (
            self._last_start.isValid()
            and self._last_start.elapsed() < QApplication.doubleClickInterval()
        )

    # ------------------------------------------------------------------------------- the call

    def _call_started(self, attempt: CallAttempt) -> None:
        self._attempt = attempt
        self._elapsed.start()
        self._ticker.start()
        self._show_ringing()
        self._update_can_call()
        self.started.emit(self._tag, attempt)

    def _show_ringing(self) -> None:
        attempt = self._attempt
        if attempt is None:
            return
        seconds = self._elapsed.elapsed() // 1000
        ring = attempt.ring
        if ring is not None and not ring.is_extension_setting:
            self._status.show_message(
                _("Ringing your {phone} {number}... {seconds} s").format(
                    phone=_phone_name(ring), number=ring.display, seconds=seconds
                )
                + "\n"
                + _("Pick it up; then the PBX calls {number}.").format(
                    number=attempt.target.display
                )
            )
            return
        then = (
            _("It answers by itself; then the PBX calls {number}.")
            if attempt.options.auto_answer
            else _("Pick it up; then the PBX calls {number}.")
        )
        self._status.show_message(
            _("Ringing your phone (ext {extension})... {seconds} s").format(
                extension=attempt.extension, seconds=seconds
            )
            + "\n"
            + then.format(number=attempt.target.display)
        )

    def _call_placed(self, attempt: CallAttempt, placed: CallPlaced) -> None:
        tag = self._call_finished()
        self._status.show_placed(
            _("Call placed: the PBX is now calling {number}.").format(number=attempt.target.display)
            + ask_for_extension(attempt.target),
            placed.uuid,
            placed.log_problem,
        )
        self._reset_country_after(attempt.target)
        self._identity.forget_pick()
        # The next paste or typed number replaces this one.
        if self._number.hasFocus() or self._panel.call_button.hasFocus():
            self.focus_number()
        self.placed.emit(tag, attempt, placed)

    def _call_failed(self, attempt: CallAttempt, error: DialerError) -> None:
        tag = self._call_finished()
        self._status.show_message(
            error.sentence,
            "error",
            details=error.details,
            settings=isinstance(error, (AuthRejected, LocalProblem)),
        )
        self.failed.emit(tag, attempt, error)

    def _call_unknown(self, attempt: CallAttempt, error: OutcomeUnknown) -> None:
        tag = self._call_finished()
        ring = attempt.ring
        if ring is not None and not ring.is_extension_setting:
            sentence = _(
                "The PBX may be calling your {phone} {number}: check it before calling again."
            ).format(phone=_phone_name(ring), number=ring.display)
        else:
            sentence = _(
                "The PBX may be calling your phone (ext {extension}): check it before calling "
                "again."
            ).format(extension=attempt.extension)
        self._status.show_unknown(
            sentence,
            attempt.call_id,
            "\n".join(
                (
                    _("Call id {call_id}").format(call_id=attempt.call_id),
                    error.sentence,
                    error.details,
                )
            ).strip(),
        )
        self.unknown.emit(tag, attempt, error)

    def _call_finished(self) -> object:
        """Stop the ringing line; the call's tag."""
        self._ticker.stop()
        self._attempt = None
        tag, self._tag = self._tag, None
        self._update_can_call()
        return tag

    def _update_can_call(self) -> None:
        busy = self._placer.busy
        self.can_call_changed.emit(not busy and not self._refused, busy)


def ask_for_extension(target: DialTarget) -> str:
    """The sentence that reminds the rep of the extension pasted with the number (the PBX
    cannot dial it: its API sends no tones), with a leading space; "" when there is none."""
    if not target.extension_hint:
        return ""
    return " " + _("When the customer's line answers, ask for extension {extension}.").format(
        extension=target.extension_hint
    )


def _phone_name(ring: RingChoice) -> str:
    """A phone as it follows "your": "mobile" for the label "Mobile"."""
    return ring.label[:1].lower() + ring.label[1:]


def _duration(seconds: int) -> str:
    """ "40 seconds", "1 minute", "1 minute 30 seconds"."""
    minutes, seconds = divmod(seconds, 60)
    said_minutes = ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)
    said_seconds = ngettext("{n} second", "{n} seconds", seconds).format(n=seconds)
    if not minutes:
        return said_seconds
    if not seconds:
        return said_minutes
    # Translators: a duration, "1 minute 30 seconds".
    return _("{minutes} {seconds}").format(minutes=said_minutes, seconds=said_seconds)


def load_number_rules(country: str) -> None:
    """Load ``country``'s number rules (phonenumbers' metadata), on a worker after the first
    paint, so neither the paint nor the rep's first keystroke waits for them."""
    from a1dialer.core.numbers import parse_dial_input

    with contextlib.suppress(BadInput):  # only loading the country's metadata mattered
        parse_dial_input("2085550100", country)
