"""Placing a call from the window: ``place_call`` on the task runner, at most one call in flight.

The PBX client (and with it requests) is imported by the worker at the first call, never on the
GUI thread: an idle window does not carry it.
"""

from __future__ import annotations

import logging
import uuid as uuidlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from a1dialer.core.call_options import CallOptions
from a1dialer.core.errors import AuthRejected, DialerError, OutcomeUnknown
from a1dialer.core.settings import Settings
from a1dialer.ui.tasks import TaskRunner, error_sentence

if TYPE_CHECKING:
    from collections.abc import Callable

    from a1dialer.core.caller_ids import PresentedId, RingChoice
    from a1dialer.core.calllog import CallLog
    from a1dialer.core.numbers import DialTarget
    from a1dialer.pbx.client import CallPlaced, PbxClient

log = logging.getLogger(__name__)

INTERNAL_ERROR = "The call could not be placed because of an internal error"


@dataclass(frozen=True)
class CallAttempt:
    """One press of Call: what is dialled, with which options, and which phone rings first."""

    target: DialTarget
    extension: str
    options: CallOptions = field(default_factory=CallOptions)
    # Picked in the window for this call; ``None``: the settings decide (``build_request``).
    caller_id: PresentedId | None = None
    ring: RingChoice | None = None
    # Named before the request leaves, so an unknown outcome can still point at the call.
    call_id: str = field(default_factory=lambda: str(uuidlib.uuid4()))


class CallPlacer(QObject):
    """Places one call at a time through ``place_call`` on a worker thread.

    The originate blocks until the rep's phone answers, so it never runs on the GUI thread. A
    second ``place`` while one call is in flight is refused, which is what makes a double click or
    a held Enter key send one originate. The PBX client (and its connection) is kept between
    calls and rebuilt when the settings change.

    Signals:
        started(object): a ``CallAttempt`` was handed to the PBX.
        placed(object, object): the ``CallAttempt`` and the PBX's ``CallPlaced`` reply.
        failed(object, object): the ``CallAttempt`` and the ``DialerError`` saying why.
        unknown(object, object): the ``CallAttempt`` and the ``OutcomeUnknown``: the request
            may have reached the PBX without a definite answer, so the PBX may be calling.
        busy_changed(bool): a call went in flight (True) or came back (False).
    """

    started = Signal(object)
    placed = Signal(object, object)
    failed = Signal(object, object)
    unknown = Signal(object, object)
    busy_changed = Signal(bool)

    def __init__(
        self,
        settings: Settings,
        call_log: Callable[[], CallLog],
        tasks: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._call_log = call_log
        self._tasks = tasks
        self._busy = False
        self._in_flight: CallAttempt | None = None
        # Only the worker touches the client while a call is in flight, and only ``close`` when
        # none is, so it needs no lock. Bumping the generation makes the next call rebuild it
        # (and read the key again) without closing it under a running originate.
        self._client: PbxClient | None = None
        self._client_for: tuple[Settings, int] | None = None
        self._generation = 0

    @property
    def busy(self) -> bool:
        """Whether a call is in flight (the PBX has not answered yet)."""
        return self._busy

    @property
    def in_flight(self) -> CallAttempt | None:
        """The call the PBX holds now, if any."""
        return self._in_flight

    @property
    def settings(self) -> Settings:
        return self._settings

    def set_settings(self, settings: Settings) -> None:
        """Use ``settings`` from the next call on; the key is looked up again too."""
        self._settings = settings
        self._generation += 1

    def place(
        self,
        target: DialTarget,
        options: CallOptions,
        caller_id: PresentedId | None = None,
        ring: RingChoice | None = None,
    ) -> bool:
        """Start placing a call; ``False`` (and nothing sent) if one is already in flight.

        ``caller_id`` and ``ring`` are the rep's picks for this call (else the settings')."""
        if self._busy:
            return False
        settings, generation = self._settings, self._generation
        attempt = CallAttempt(target, settings.extension, options, caller_id, ring)
        self._in_flight = attempt
        self._set_busy(True)
        self.started.emit(attempt)
        self._tasks.run(
            lambda: self._place(settings, generation, attempt),
            lambda placed, error: self._done(attempt, placed, error),
            owner=self,
        )
        return True

    def close(self) -> None:
        """Close the PBX connection (at exit). A call in flight keeps its own until it returns."""
        if not self._busy and self._client is not None:
            self._client.close()
            self._client = None
            self._client_for = None

    def _place(self, settings: Settings, generation: int, attempt: CallAttempt) -> CallPlaced:
        """Runs on the worker thread."""
        from a1dialer.pbx.placing import place_call, require_configured

        require_configured(settings)
        client = self._client_with(settings, generation)
        return place_call(
            client,
            settings,
            self._call_log(),
            attempt.target,
            attempt.options,
            call_id=attempt.call_id,
            caller_id=attempt.caller_id,
            ring=attempt.ring,
        )

    def _client_with(self, settings: Settings, generation: int) -> PbxClient:
        if self._client is not None and self._client_for == (settings, generation):
            return self._client
        from a1dialer.pbx.connect import client_for

        client = client_for(settings)
        if self._client is not None:
            self._client.close()
        self._client = client
        self._client_for = (settings, generation)
        return self._client

    def _done(
        self, attempt: CallAttempt, placed: CallPlaced | None, error: BaseException | None
    ) -> None:
        self._in_flight = None
        self._set_busy(False)
        if error is None and placed is not None:
            log.info("Call %s placed to %s", placed.uuid, attempt.target.dial)
            self.placed.emit(attempt, placed)
            return
        if isinstance(error, OutcomeUnknown):
            log.warning(
                "Call %s to %s: outcome unknown: %s %s",
                attempt.call_id, attempt.target.dial, error.sentence, error.details,
            )  # fmt: skip
            self.unknown.emit(attempt, error)
            return
        if isinstance(error, DialerError):
            log.info("Call to %s failed: %s %s", attempt.target.dial, error.sentence, error.details)
            if isinstance(error, AuthRejected):
                # The rep may fix the key in Settings or the keyring: read it again next time.
                self._generation += 1
            self.failed.emit(attempt, error)
            return
        problem = error if error is not None else RuntimeError("no reply and no error")
        sentence = error_sentence(problem, INTERNAL_ERROR)
        self.failed.emit(attempt, DialerError(sentence, repr(problem)))

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)
