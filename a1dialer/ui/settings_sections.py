"""What the Settings dialog shows where: its sections, their groups and the options in each.

A new option appears in the dialog by naming it once in its group below (one line); the field
itself is built from its declaration in ``core/settings.py``. Admin-only options are not shown:
the admin's defaults file alone sets them. Rows another layer adds (the
desktop's hotkey note and "start at login": ``ui`` must not import ``desktop``) are registered
here by the application object at start, and the dialog, built only when the rep opens it, asks
for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from a1dialer.core.translation import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QFormLayout, QWidget

    from a1dialer.ui.settings_dialog import SettingsDialog

# The API key's row in a group: the key field and its connection test, not an option.
API_KEY = "api_key"


@dataclass(frozen=True)
class Group:
    """A titled box of fields; ``labels_above`` for long labels over long values."""

    name: str
    title: str
    fields: tuple[str, ...]
    labels_above: bool = False


@dataclass(frozen=True)
class Section:
    """One page of the dialog, picked in its sidebar."""

    name: str
    title: str
    groups: tuple[Group, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for group in self.groups for name in group.fields)


def sections() -> tuple[Section, ...]:
    """The dialog's sections in sidebar order; the options an admin sets are under Advanced."""
    return (
        Section(
            "callingSection",
            _("Calling"),
            (
                Group("pbxGroup", _("PBX"), ("server", API_KEY, "extension")),
                Group(
                    "callDefaultsGroup",
                    _("Call defaults"),
                    ("ringback", "auto_answer", "record", "my_numbers", "ring_me_at"),
                ),
            ),
        ),
        Section(
            "callerIdSection",
            _("Caller ID"),
            (
                Group(
                    "callerIdGroup",
                    _("Caller ID"),
                    (
                        "caller_id_number",
                        "caller_id_name",
                        "caller_ids",
                        "local_presence",
                        "default_country",
                    ),
                ),
            ),
        ),
        Section(
            "desktopSection",
            _("Desktop"),
            (Group("desktopGroup", _("Desktop"), ("link_action", "hotkey", "language")),),
        ),
        Section(
            "listsSection",
            _("Lists & CRM"),
            (
                Group("afterCallGroup", _("After a call"), ("custom_outcomes",)),
                Group(
                    "crmHooksGroup",
                    _("CRM hooks"),
                    (
                        "hook_call_placed_url",
                        "hook_call_placed_command",
                        "hook_outcome_url",
                        "hook_outcome_command",
                    ),
                    labels_above=True,
                ),
                Group(
                    "callListsGroup",
                    _("Call lists"),
                    ("retry_busy_minutes", "retry_no_answer_minutes", "max_attempts"),
                ),
            ),
        ),
        Section(
            "advancedSection",
            _("Advanced"),
            (
                Group(
                    "numbersGroup",
                    _("Numbers sent to the PBX"),
                    ("number_format", "extension_digits"),
                ),
                Group(
                    "connectionGroup",
                    _("Connection"),
                    ("parameter_spelling", "ca_bundle", "allow_insecure_http"),
                ),
                Group("recordingsGroup", _("Recordings"), ("recording_cache_mb",)),
            ),
        ),
    )


DesktopRows = Callable[["SettingsDialog", "QFormLayout"], "list[QWidget]"]

_desktop_rows: list[DesktopRows] = []


def set_desktop_rows(rows: DesktopRows | None) -> None:
    """Have every Settings dialog add ``rows`` to its Desktop group (``None``: none)."""
    _desktop_rows[:] = [rows] if rows is not None else []


def desktop_rows() -> DesktopRows | None:
    return _desktop_rows[0] if _desktop_rows else None
