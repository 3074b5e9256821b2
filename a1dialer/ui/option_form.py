"""The option fields of one window, the API key, and the settings their values make."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFormLayout, QWidget

from a1dialer.core.caller_ids import NUMBER_OPTIONS
from a1dialer.core.errors import BadInput
from a1dialer.core.server_address import check_transport, parse_server
from a1dialer.core.settings import OPTIONS_BY_NAME, Settings
from a1dialer.core.translation import _
from a1dialer.ui.api_key_field import KEY_LOOKUP_DELAY_MS, ApiKeyField
from a1dialer.ui.form_layout import Mnemonics, add_unlabelled_row
from a1dialer.ui.option_fields import REVEAL_DELAY_MS, FlagField, OptionField, make_field
from a1dialer.ui.tasks import TaskRunner

# The fields whose values a connection test depends on.
CONNECTION_OPTIONS = ("server", "ca_bundle", "allow_insecure_http", "parameter_spelling")
# What the caller IDs and the rep's numbers are read with, by the field they depend on.
NUMBER_CONTEXT = {
    "default_country": NUMBER_OPTIONS,
    "number_format": NUMBER_OPTIONS,
    "extension_digits": NUMBER_OPTIONS,
    "extension": ("ring_me_at",),
    "my_numbers": ("ring_me_at",),
}


@dataclass(frozen=True)
class FormDelays:
    """The pauses of a form: before a problem is shown, and before the keyring is asked.

    Tests shorten them so they need not wait them out.
    """

    reveal_ms: int = REVEAL_DELAY_MS
    key_lookup_ms: int = KEY_LOOKUP_DELAY_MS


USUAL_DELAYS = FormDelays()


class OptionForm(QObject):
    """The option fields of one window, the API key, and the settings their values make.

    Signals:
        changed: any field (or the typed key) changed.
        validity_changed(bool): whether every field holds a value that can be saved.
    """

    changed = Signal()
    validity_changed = Signal(bool)

    def __init__(
        self,
        base: Settings,
        parent: QWidget,
        tasks: TaskRunner,
        *,
        hints: bool = False,
        delays: FormDelays = USUAL_DELAYS,
    ) -> None:
        super().__init__(parent)
        self.delays = delays
        self.base = base
        self.tasks = tasks
        self.mnemonics = Mnemonics()
        self._parent = parent
        self._hints = hints
        self.fields: dict[str, OptionField] = {}
        self.api_key: ApiKeyField | None = None
        self._valid = True

    def add(self, name: str) -> OptionField:
        field = make_field(name, getattr(self.base, name), self._parent, hint=self._hints)
        field.set_reveal_delay(self.delays.reveal_ms)
        if self.base.is_locked(name):
            field.lock()
        self.fields[name] = field
        field.changed.connect(lambda: self._field_changed(name))
        if name == "server":
            field.add_check(self._transport_problem)
        if name in NUMBER_OPTIONS:
            field.context = self._number_context
            if name == "ring_me_at":
                field.add_check(self._ring_me_at_problem)
            field.revalidate()
        # A number field is read again when a field it depends on changes, whichever came first.
        for source, dependants in NUMBER_CONTEXT.items():
            if name == source:
                pairs = [(source, dependant) for dependant in dependants]
            elif name in dependants:
                pairs = [(source, name)]
            else:
                continue
            for first, then in pairs:
                if first in self.fields and then in self.fields:
                    self.fields[first].changed.connect(self.fields[then].revalidate)
        # Plain HTTP to a remote server is refused unless allowed: two fields, one rule.
        pair = ("server", "allow_insecure_http")
        if name in pair and all(other in self.fields for other in pair):
            self.fields["allow_insecure_http"].changed.connect(self.fields["server"].revalidate)
            self.fields["server"].revalidate()
        self._update_validity()
        return field

    def add_api_key(self) -> ApiKeyField:
        self.api_key = ApiKeyField(
            self._parent, self.tasks, hint=self._hints, lookup_delay_ms=self.delays.key_lookup_ms
        )
        self.api_key.changed.connect(self.changed)
        self.api_key.set_server(self.value("server"), at_once=True)
        return self.api_key

    def add_rows(self, layout: QFormLayout, names: Sequence[str]) -> list[QWidget]:
        """Add the named fields (``"api_key"`` for the key) as rows; return them in tab order."""
        focus: list[QWidget] = []
        for name in names:
            if name == "api_key":
                key = self.api_key or self.add_api_key()
                layout.addRow(key.make_label(self.mnemonics), key.cell)
                key.mark_show(self.mnemonics)
                focus += [key.edit, key.show_button]
                continue
            field = self.fields.get(name) or self.add(name)
            if isinstance(field, FlagField):
                add_unlabelled_row(layout, field.cell)
            else:
                layout.addRow(field.make_label(self.mnemonics), field.cell)
            field.mark(self.mnemonics)
            focus += field.focus_widgets()
        return focus

    def value(self, name: str) -> Any:
        field = self.fields.get(name)
        return field.value() if field is not None else getattr(self.base, name)

    def changes(self) -> dict[str, Any]:
        """The values of the fields the rep may change (a locked one keeps the admin's)."""
        return {name: field.value() for name, field in self.fields.items() if not field.locked}

    def is_modified(self) -> bool:
        """Whether the rep changed a field or typed a key since the form was built."""
        if self.api_key is not None and self.api_key.key():
            return True
        return any(field.value() != getattr(self.base, name) for name, field in self.fields.items())

    @property
    def is_valid(self) -> bool:
        return self._valid

    def problems(self, names: Iterable[str] | None = None) -> dict[str, str]:
        chosen = self.fields if names is None else {n: self.fields[n] for n in names}
        # A locked field's problem is shown, but only the admin can fix it: it blocks nothing.
        return {
            name: f.problem for name, f in chosen.items() if f.problem is not None and not f.locked
        }

    def reveal_problems(self) -> None:
        for field in self.fields.values():
            field.reveal_problem()

    def settings(self) -> Settings:
        """The settings these fields make, on top of ``base``; ``BadInput`` names a bad field."""
        problems = self.problems()
        if problems:
            name, problem = next(iter(problems.items()))
            label = _(OPTIONS_BY_NAME[name].label)
            raise BadInput(_("{label}: {problem}").format(label=label, problem=problem))
        return self.base.validated(**self.changes())

    def connection_fingerprint(self) -> tuple[Any, ...]:
        """What a connection test depends on, so a result can be matched to the current values."""
        key = self.api_key.key() if self.api_key else ""
        digest = hashlib.sha256(key.encode()).hexdigest() if key else ""
        return (*(self.value(name) for name in CONNECTION_OPTIONS), digest)

    def _number_context(self) -> Settings:
        """The settings the number rules and the rep's numbers come from: valid fields' values."""
        values = {
            name: field.value()
            for name, field in self.fields.items()
            if name in NUMBER_CONTEXT and field.problem is None
        }
        return replace(self.base, **values)

    def _ring_me_at_problem(self, value: Any) -> str | None:
        """An outside number the admin does not allow to ring first cannot be saved."""
        from a1dialer.core.caller_ids import ring_choice

        try:
            ring_choice(self._number_context(), str(value))
        except BadInput as exc:
            return exc.sentence
        return None

    def _transport_problem(self, value: Any) -> str | None:
        if not value:
            return None
        try:
            check_transport(
                parse_server(str(value)),
                allow_insecure_http=bool(self.value("allow_insecure_http")),
            )
        except BadInput as exc:
            return exc.sentence
        return None

    def _field_changed(self, name: str) -> None:
        if name == "server" and self.api_key is not None:
            self.api_key.set_server(str(self.value("server")))
        self._update_validity()
        self.changed.emit()

    def _update_validity(self) -> None:
        valid = not self.problems()
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)
