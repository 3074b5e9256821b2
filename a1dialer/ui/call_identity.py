"""The caller ID the customer will see and the phone that rings first, for the next call.

"Customer sees" follows the number being typed when local presence is on, until the rep picks
one by hand; that pick holds for the call and is forgotten once it is placed (or the number is
cleared). "Ring me at" lists the extension and the rep's own numbers the admin allows; it is
hidden while the extension is the only phone, and keeps the rep's pick from call to call.

Reading the numbers needs the number rules (phonenumbers), which the first paint must not wait
for: the lists are filled by ``ready``, a start-up step after the rules are loaded. Until then a
call takes the caller ID and phone the settings decide (``placing.build_request``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from a1dialer.core.caller_ids import (
    PresentedId,
    RingChoice,
    caller_id_choices,
    default_ring_choice,
    local_caller_id,
    ring_choices,
)
from a1dialer.core.settings import Settings
from a1dialer.core.translation import _

if TYPE_CHECKING:
    from a1dialer.core.numbers import DialTarget


class CallIdentityPanel(QWidget):
    """Two rows: "Customer sees" (``callerIdCombo``) and "Ring me at" (``ringMeAtCombo``)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callIdentity")
        self._settings = settings
        self._target: DialTarget | None = None
        self._ready = False
        self.picked_by_hand = False
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(6)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.caller_id_combo = QComboBox(self)
        self.caller_id_combo.setObjectName("callerIdCombo")
        self.caller_id_combo.setAccessibleName(_("Caller ID the customer sees"))
        self.caller_id_combo.activated.connect(self._picked)
        self.caller_id_label = QLabel(_("Cus&tomer sees:"), self)
        self.caller_id_label.setObjectName("callerIdLabel")
        self.caller_id_label.setBuddy(self.caller_id_combo)
        form.addRow(self.caller_id_label, self.caller_id_combo)

        self.ring_me_at_combo = QComboBox(self)
        self.ring_me_at_combo.setObjectName("ringMeAtCombo")
        self.ring_me_at_combo.setAccessibleName(_("Phone that rings first"))
        self.ring_me_at_combo.setToolTip(
            _("Which of your phones rings first; the PBX calls the customer once you answer it")
        )
        self.ring_me_at_label = QLabel(_("Ring &me at:"), self)
        self.ring_me_at_label.setObjectName("ringMeAtLabel")
        self.ring_me_at_label.setBuddy(self.ring_me_at_combo)
        form.addRow(self.ring_me_at_label, self.ring_me_at_combo)
        self.caller_id_combo.setEnabled(False)
        self.ring_me_at_combo.hide()
        self.ring_me_at_label.hide()

    def ready(self) -> None:
        """The number rules are loaded: fill the lists."""
        self._ready = True
        self._fill()

    # ------------------------------------------------------------------------------ caller ID

    @property
    def caller_id(self) -> PresentedId | None:
        """The caller ID the next call presents (``None`` before ``ready``: the settings')."""
        if not self._ready:
            return None
        chosen = self.caller_id_combo.currentData()
        return chosen if isinstance(chosen, PresentedId) else self._automatic()

    def follow(self, target: DialTarget | None) -> None:
        """The number changed: show its local caller ID, unless the rep picked one by hand."""
        self._target = target
        if self._ready and not self.picked_by_hand:
            self._select(self._automatic())

    def forget_pick(self) -> None:
        """A call was placed or the number cleared: the next one picks its caller ID afresh."""
        self.picked_by_hand = False
        if self._ready:
            self._select(self._automatic())

    def _automatic(self) -> PresentedId:
        if self._target is None:
            return caller_id_choices(self._settings)[0]
        return local_caller_id(self._settings, self._target)

    def _picked(self, _index: int) -> None:
        self.picked_by_hand = True
        self._update_tooltip()

    def _select(self, choice: PresentedId) -> None:
        self.caller_id_combo.setCurrentIndex(max(0, _index_of(self.caller_id_combo, choice)))
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        if self.picked_by_hand:
            tip = _("You picked this caller ID for this call")
        elif self._settings.local_presence:
            tip = _(
                "Local presence: the caller ID of the customer's area code or country, "
                "else the default; pick another for this call"
            )
        else:
            tip = _("The default caller ID; pick another for this call")
        self.caller_id_combo.setToolTip(tip)
        self.caller_id_combo.setAccessibleDescription(tip)

    # ----------------------------------------------------------------------------- ring me at

    @property
    def ring(self) -> RingChoice | None:
        """The phone that rings first for the next call (``None`` before ``ready``)."""
        if not self._ready:
            return None
        chosen = self.ring_me_at_combo.currentData()
        return chosen if isinstance(chosen, RingChoice) else default_ring_choice(self._settings)

    # ------------------------------------------------------------------------------ settings

    def set_settings(self, settings: Settings, old: Settings) -> None:
        """New settings: new lists; a hand-picked caller ID or phone stays when still offered."""
        picked_id = self.caller_id if self.picked_by_hand else None
        ring = self.ring if settings.ring_me_at == old.ring_me_at else None
        self._settings = settings
        if self._ready:
            self._fill(picked_id, ring)

    def _fill(self, picked_id: PresentedId | None = None, ring: RingChoice | None = None) -> None:
        combo = self.caller_id_combo
        combo.blockSignals(True)
        combo.clear()
        for choice in caller_id_choices(self._settings):
            label = choice.describe() or _("Not set")
            if choice.is_default:
                label = _("{caller_id} (default)").format(caller_id=label)
            combo.addItem(label, choice)
        combo.setEnabled(combo.count() > 1)
        combo.blockSignals(False)
        if picked_id is not None and _index_of(combo, picked_id) >= 0:
            self._select(picked_id)
        else:
            self.picked_by_hand = False
            self._select(self._automatic())

        rings = self.ring_me_at_combo
        rings.blockSignals(True)
        rings.clear()
        for phone in ring_choices(self._settings):
            rings.addItem(phone.describe(), phone)
        wanted = ring if ring is not None else default_ring_choice(self._settings)
        rings.setCurrentIndex(max(0, _index_of(rings, wanted)))
        rings.blockSignals(False)
        offered = rings.count() > 1
        rings.setVisible(offered)
        self.ring_me_at_label.setVisible(offered)


def _index_of(combo: QComboBox, value: object) -> int:
    """The row whose data equals ``value`` (Qt compares Python objects by identity), or -1."""
    return next((i for i in range(combo.count()) if combo.itemData(i) == value), -1)
