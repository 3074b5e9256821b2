"""Today's counts in the status bar: calls placed, connected, talk outcomes (``core.today_counts``).

Read off the GUI thread after each placed call and saved outcome, and again at midnight.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from a1dialer.core.calllog import CallLog
from a1dialer.core.today_counts import TodayCounts, next_midnight, today_counts
from a1dialer.core.translation import _, ngettext
from a1dialer.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


def counts_text(counts: TodayCounts) -> str:
    """ "Today: 12 calls · 4 connected · 6 talks"."""
    number = QLocale().toString
    calls = ngettext("{n} call", "{n} calls", counts.calls).format(n=number(counts.calls))
    connected = ngettext("{n} connected", "{n} connected", counts.connected).format(
        n=number(counts.connected)
    )
    talks = ngettext("{n} talk", "{n} talks", counts.talks).format(n=number(counts.talks))
    return _("Today: {calls} · {connected} · {talks}").format(
        calls=calls, connected=connected, talks=talks
    )


class TodayCountsLabel(QLabel):
    """The counts, kept up to date by ``refresh`` (one read at a time)."""

    def __init__(self, call_log: CallLog, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayCounts")
        # Never squeezed by a long status message: that one elides, with its tooltip.
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        self.setToolTip(
            _(
                "Calls the PBX placed today; calls saved as Connected; talk outcomes: calls "
                "where you spoke with someone (Connected, Call back and your own outcomes, not "
                "Voicemail, No answer, Busy or Wrong number)."
            )
        )
        self._log = call_log
        self._tasks = tasks
        self._reading = False
        self._again = False
        self.counts: TodayCounts | None = None
        self._midnight = QTimer(self)
        self._midnight.setSingleShot(True)
        self._midnight.timeout.connect(self.refresh)

    def refresh(self) -> None:
        """Read the counts again (after a read under way, if there is one)."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        self._tasks.run(lambda: today_counts(self._log), self._read, owner=self)
        now = datetime.now().astimezone()
        wait_ms = int((next_midnight(now) - now).total_seconds() * 1000) + 1000
        self._midnight.start(max(1000, wait_ms))

    def _read(self, counts: TodayCounts | None, error: BaseException | None) -> None:
        self._reading = False
        if error is not None:
            log.warning("Could not count today's calls: %s", error)
        elif counts is not None:
            self.counts = counts
            text = counts_text(counts)
            self.setText(text)
            self.setAccessibleName(text)
        if self._again:
            self._again = False
            self.refresh()
