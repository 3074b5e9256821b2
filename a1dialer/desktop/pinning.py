"""Pinning numbers from the call history: written to the favorites, shown in the tray at once."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from a1dialer.core.translation import _
from a1dialer.desktop.favorites import same_number
from a1dialer.ui.tasks import error_sentence

if TYPE_CHECKING:
    from a1dialer.core.calllog import CallRecord
    from a1dialer.desktop.tray import DialerTray
    from a1dialer.ui.history_view import HistoryView
    from a1dialer.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


def wire_pinning(history: HistoryView, tray: DialerTray, tasks: TaskRunner) -> None:
    """Let ``history`` pin and unpin numbers (menu and Ctrl+D) into ``tray``'s favorites."""

    def is_pinned(number: str) -> bool:
        return any(same_number(favorite.number, number) for favorite in tray.pinned)

    def toggle(record: CallRecord) -> None:
        number, name = record.display_number, record.name
        favorites = tray.favorites
        unpin = is_pinned(number)

        def work() -> None:
            if unpin:
                favorites.unpin(number)
            else:
                favorites.pin(number, name)

        def done(_result: object, error: BaseException | None) -> None:
            if error is not None:
                history.statusMessage.emit(
                    error_sentence(error, _("The favorites could not be changed"))
                )
                return
            if unpin:
                said = _("Unpinned {number} from the favorites.")
            else:
                said = _("Pinned {number}: it is in the tray's Favorites menu.")
            history.statusMessage.emit(said.format(number=number))
            tray.refresh()

        tasks.run(work, done, owner=history)

    history.is_pinned = is_pinned
    history.pinToggled.connect(toggle)
