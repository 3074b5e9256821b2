"""The call options panel: ringback tone, auto-answer and record for the next call.

An option the admin locked is fixed for every call: shown with the admin's value, disabled.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from a1dialer.core.call_options import CallOptions
from a1dialer.core.settings import RINGBACK_TONES, Settings
from a1dialer.core.translation import _


class CallOptionsPanel(QWidget):
    """Ringback tone, auto-answer and record for the next call, pre-set from settings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callOptions")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)

        self.ringback_combo = QComboBox(self)
        self.ringback_combo.setObjectName("ringbackCombo")
        for tone, tone_name in RINGBACK_TONES.items():
            self.ringback_combo.addItem(_(tone_name), tone)
        self.ringback_combo.setAccessibleName(_("Ringback tone"))
        self.ringback_combo.setAccessibleDescription(
            _("The tone you hear while the customer's phone rings")
        )
        self.ringback_combo.setToolTip(_("What you hear while the customer's phone rings"))
        label = QLabel(_("&Ringback tone:"), self)
        label.setObjectName("ringbackLabel")
        label.setBuddy(self.ringback_combo)
        ringback_row = QHBoxLayout()
        ringback_row.setSpacing(8)
        ringback_row.addWidget(label)
        ringback_row.addWidget(self.ringback_combo, 1)
        column.addLayout(ringback_row)

        self.auto_answer_check = QCheckBox(_("&Auto-answer my phone"), self)
        self.auto_answer_check.setObjectName("autoAnswerCheck")
        self.auto_answer_check.setAccessibleName(_("Auto-answer my phone"))
        self.auto_answer_check.setAccessibleDescription(
            _("Your desk phone answers by itself, so the customer is dialled at once")
        )
        self.auto_answer_check.setToolTip(
            _(
                "Your desk phone answers by itself, so the customer is dialled at once "
                "(if your phone supports it)"
            )
        )
        self.record_check = QCheckBox(_("R&ecord this call"), self)
        self.record_check.setObjectName("recordCheck")
        self.record_check.setAccessibleName(_("Record this call"))
        self.record_check.setAccessibleDescription(_("The PBX records the conversation"))
        self.record_check.setToolTip(_("The PBX records the conversation"))
        checks_row = QHBoxLayout()
        checks_row.setSpacing(16)
        checks_row.addWidget(self.auto_answer_check)
        checks_row.addWidget(self.record_check)
        checks_row.addStretch(1)
        column.addLayout(checks_row)
        self._locked: set[str] = set()

    @property
    def ringback(self) -> str:
        return str(self.ringback_combo.currentData())

    @ringback.setter
    def ringback(self, tone: str) -> None:
        self.ringback_combo.setCurrentIndex(max(0, self.ringback_combo.findData(tone)))

    def follow_new_defaults(self, old: Settings, new: Settings) -> None:
        """The rep changed a default in Settings: show it, leave the others as they were."""
        if new.ringback != old.ringback:
            self.ringback = new.ringback
        if new.auto_answer != old.auto_answer:
            self.auto_answer_check.setChecked(new.auto_answer)
        if new.record != old.record:
            self.record_check.setChecked(new.record)
        self._apply_locks(new)

    def restore(self, state: QSettings, settings: Settings) -> None:
        """The options of the last run, or the defaults from settings."""
        tone = str(state.value("options/ringback", settings.ringback))
        self.ringback = tone if tone in RINGBACK_TONES else settings.ringback
        self.auto_answer_check.setChecked(
            stored_bool(state.value("options/auto_answer"), settings.auto_answer)
        )
        self.record_check.setChecked(stored_bool(state.value("options/record"), settings.record))
        self._apply_locks(settings)

    def _apply_locks(self, settings: Settings) -> None:
        """Locked options take the admin's value and cannot be changed for one call."""
        widgets: dict[str, QWidget] = {
            "ringback": self.ringback_combo,
            "auto_answer": self.auto_answer_check,
            "record": self.record_check,
        }
        for name, widget in widgets.items():
            if not settings.is_locked(name):
                continue
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(getattr(settings, name)))
            else:
                self.ringback = settings.ringback
            if name not in self._locked:
                self._locked.add(name)
                widget.setEnabled(False)
                # Translators: {tooltip} is the option's own tooltip, said after the lock.
                widget.setToolTip(
                    _("Set by your administrator. {tooltip}").format(tooltip=widget.toolTip())
                )

    def save(self, state: QSettings) -> None:
        state.setValue("options/ringback", self.ringback)
        state.setValue("options/auto_answer", self.auto_answer_check.isChecked())
        state.setValue("options/record", self.record_check.isChecked())

    def chosen(self, contact_name: str = "") -> CallOptions:
        """The options for the next call, with the contact's name."""
        return CallOptions(
            contact_name.strip(),
            self.ringback,
            self.auto_answer_check.isChecked(),
            self.record_check.isChecked(),
        )


def stored_bool(value: object, default: bool) -> bool:
    """QSettings' INI format hands booleans back as the strings "true" and "false"."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1")
