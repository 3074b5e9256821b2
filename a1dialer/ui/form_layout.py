"""Mnemonic letters, label columns and tab order shared by the settings forms."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from PySide6.QtWidgets import QAbstractButton, QFormLayout, QWidget


class Mnemonics:
    """Hands out Alt+letter shortcuts so that no two controls of one window share a letter."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken: set[str] = set()
        self.reserve(taken)

    def reserve(self, texts: Iterable[str]) -> None:
        """Mark the letters already used by ``texts`` (button texts such as ``"&Next >"``)."""
        for text in texts:
            plain = text.replace("&&", "")
            at = plain.find("&")
            if 0 <= at < len(plain) - 1:
                self._taken.add(plain[at + 1].casefold())

    def reserve_buttons(self, buttons: Iterable[QAbstractButton]) -> None:
        self.reserve(button.text() for button in buttons)

    def mark(self, text: str) -> str:
        """``text`` with ``&`` before a free letter: a word's first letter if possible."""
        escaped = text.replace("&", "&&")
        starts = [i for i, ch in enumerate(text) if ch.isalnum() and (i == 0 or text[i - 1] == " ")]
        others = [i for i, ch in enumerate(text) if ch.isalnum() and i not in starts]
        for i in starts + others:
            letter = text[i].casefold()
            if letter not in self._taken:
                self._taken.add(letter)
                at = i + text[:i].count("&")
                return escaped[:at] + "&" + escaped[at:]
        return escaped


def align_label_columns(layouts: Iterable[QFormLayout]) -> None:
    """Give every form the same label width so fields line up across group boxes."""
    labels: list[QWidget] = [
        label
        for layout in layouts
        for row in range(layout.rowCount())
        if (item := layout.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
        and (label := item.widget()) is not None
    ]
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)


def add_unlabelled_row(layout: QFormLayout, field: QWidget) -> None:
    """A row aligned with the fields but without a label (check boxes, buttons).

    An empty widget stands in for the label: with no label at all, QFormLayout sizes the row by
    its size hint instead of its height for the width, leaving gaps under wrapped text.
    """
    blank = QWidget(field.parentWidget())
    blank.setObjectName(field.objectName() + "Blank")
    layout.addRow(blank, field)


def set_tab_order(widgets: Sequence[QWidget]) -> None:
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)
