"""Tinted icons: drawn in the asked colour at whatever size and scale Qt asks for."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QImage
from pytestqt.qtbot import QtBot

from a1dialer.ui.icons import palette_icon, tinted_icon


def opaque_colours(image: QImage) -> set[str]:
    return {
        image.pixelColor(x, y).name()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    }


@pytest.mark.parametrize("size", [16, 22, 40, 96])
def test_tinted_icon_is_drawn_in_its_colour_at_the_asked_size(qtbot: QtBot, size: int) -> None:
    pixmap = tinted_icon("backspace", "#d02020").pixmap(QSize(size, size))
    assert pixmap.size() == QSize(size, size)
    assert opaque_colours(pixmap.toImage()) == {"#d02020"}


def test_tinted_icon_is_crisp_at_200_percent(qtbot: QtBot) -> None:
    pixmap = tinted_icon("copy", "#102030").pixmap(QSize(20, 20), 2.0)
    assert pixmap.devicePixelRatio() == 2.0
    assert pixmap.size() == QSize(40, 40)  # drawn at device pixels, not scaled up
    assert opaque_colours(pixmap.toImage()) == {"#102030"}


def test_disabled_icon_is_greyed(qtbot: QtBot) -> None:
    icon = tinted_icon("settings", "#d02020")
    disabled = opaque_colours(icon.pixmap(QSize(32, 32), QIcon.Mode.Disabled).toImage())
    assert disabled
    assert "#d02020" not in disabled


def test_palette_icon_is_cached_per_colour(qtbot: QtBot) -> None:
    black = palette_icon("copy", QColor("black"))
    assert palette_icon("copy", QColor("#000000")) is black
    assert palette_icon("copy", QColor("white")) is not black
