"""A list's own retry rules: when a busy or unanswered number is retried, and how often."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QWidget

from a1dialer.core.call_lists import ListRules
from a1dialer.core.list_queue import RetryRules
from a1dialer.core.settings import MAX_ATTEMPTS, MAX_RETRY_MINUTES
from a1dialer.core.translation import _


class RetryRulesDialog(QDialog):
    """Edits ``rules`` of one list; each field can fall back to the Settings default."""

    def __init__(
        self, list_name: str, rules: ListRules, defaults: RetryRules, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("retryRulesDialog")
        self.setWindowTitle(_("Retry rules"))
        self._rules = rules
        intro = QLabel(
            _(
                "How Dial next retries numbers of {name}. A call the PBX may have placed is "
                "never retried by itself."
            ).format(name=list_name),
            self,
        )
        intro.setWordWrap(True)
        self.busy_spin = self._spin(
            "retryBusySpin",
            rules.busy_minutes,
            MAX_RETRY_MINUTES,
            _("Settings default ({n} min)").format(n=defaults.busy_minutes),
            5,
        )
        self.no_answer_spin = self._spin(
            "retryNoAnswerSpin",
            rules.no_answer_minutes,
            MAX_RETRY_MINUTES,
            _("Settings default ({n} min)").format(n=defaults.no_answer_minutes),
            30,
        )
        self.attempts_spin = self._spin(
            "maxAttemptsSpin",
            rules.max_attempts,
            MAX_ATTEMPTS,
            _("Settings default ({n})").format(n=defaults.max_attempts),
            1,
            minimum=1,
        )
        for spin in (self.busy_spin, self.no_answer_spin):
            spin.setSuffix(_(" min"))
        form = QFormLayout()
        form.addRow(intro)
        form.addRow(_("Retry a &busy number after:"), self.busy_spin)
        form.addRow(_("Retry an &unanswered number after:"), self.no_answer_spin)
        form.addRow(_("Calls per number at &most:"), self.attempts_spin)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setLayout(form)

    def _spin(
        self, name: str, value: int | None, maximum: int, default_text: str, step: int,
        *, minimum: int = 0,
    ) -> QSpinBox:  # fmt: skip
        spin = QSpinBox(self)
        spin.setObjectName(name)
        # One below the smallest real value stands for "the Settings default".
        spin.setRange(minimum - 1, maximum)
        spin.setSpecialValueText(default_text)
        spin.setSingleStep(step)
        spin.setValue(minimum - 1 if value is None else value)
        return spin

    def rules(self) -> ListRules:
        """The rules as edited (``None`` where the Settings default applies)."""

        def value(spin: QSpinBox) -> int | None:
            return None if spin.value() == spin.minimum() else spin.value()

        return replace(
            self._rules,
            busy_minutes=value(self.busy_spin),
            no_answer_minutes=value(self.no_answer_spin),
            max_attempts=value(self.attempts_spin),
        )
