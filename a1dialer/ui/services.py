"""What the application object hands the window: settings, the call log, tasks, the placer."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from a1dialer.core.settings import Settings
from a1dialer.ui.call_placer import CallPlacer
from a1dialer.ui.startup import StartUp
from a1dialer.ui.tasks import TaskRunner, shared_tasks

if TYPE_CHECKING:
    from a1dialer.core.calllog import CallLog
    from a1dialer.pbx.client import PbxClient


class SettingsHolder(QObject):
    """The rep's settings as they are now.

    Signals:
        changed(object, object): the rep saved new ``Settings``; the new ones, then the old.
    """

    changed = Signal(object, object)

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._current = settings

    @property
    def current(self) -> Settings:
        return self._current

    def replace(self, settings: Settings) -> None:
        """Use ``settings`` from now on, and say so."""
        old, self._current = self._current, settings
        self.changed.emit(settings, old)


class CallLogOpener:
    """The call log, opened at first use (after the first paint: sqlite need not delay it).

    Calling it returns the log or raises ``LocalProblem``; a call placed at once may ask for it
    from its worker, hence the lock.
    """

    def __init__(self, call_log: CallLog | None = None) -> None:
        self._call_log = call_log
        self._lock = threading.Lock()

    def __call__(self) -> CallLog:
        with self._lock:
            if self._call_log is None:
                from a1dialer.core.calllog import CallLog

                self._call_log = CallLog()
            return self._call_log

    @property
    def opened(self) -> CallLog | None:
        """The log if it was opened; never opens it."""
        return self._call_log

    def close(self) -> None:
        """Close the log if it was opened (at exit)."""
        with self._lock:
            if self._call_log is not None:
                self._call_log.close()


@dataclass(frozen=True)
class Services:
    """The app's services, made once by the application object and handed to the window.

    ``startup`` holds the work that waits for the window's first paint (``docs/architecture.md``).
    """

    settings: SettingsHolder
    call_log: CallLogOpener
    tasks: TaskRunner
    placer: CallPlacer
    startup: StartUp

    @classmethod
    def create(
        cls,
        settings: Settings,
        call_log: CallLog | None = None,
        *,
        tasks: TaskRunner | None = None,
        parent: QObject | None = None,
    ) -> Services:
        """Services for ``settings``; the profile's call log unless one is given."""
        # The application owns the runner: a call still held by the PBX when the window goes
        # away must deliver into a live runner (which then drops the gone window's callback).
        runner = tasks or shared_tasks()
        holder = SettingsHolder(settings, parent)
        opener = CallLogOpener(call_log)
        placer = CallPlacer(settings, opener, runner, parent)
        holder.changed.connect(lambda new, _old: placer.set_settings(new))
        return cls(holder, opener, runner, placer, StartUp(runner, parent))

    def download_client(self) -> PbxClient:
        """A PBX client for recording downloads; runs on a worker (it reads the keyring)."""
        from a1dialer.pbx.connect import client_for
        from a1dialer.pbx.placing import require_configured

        settings = self.settings.current
        require_configured(settings)
        return client_for(settings)
