"""Check boxes and radio buttons read on a dark palette: their outline keeps 4.5:1 contrast."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QRadioButton,
    QStyle,
    QStyleFactory,
    QStyleOptionButton,
)
from pytestqt.qtbot import QtBot

from a1dialer.ui.readable_style import ReadableIndicators, contrast, use_readable_indicators
from scripts.screenshots import dark_palette

INDICATOR = {
    QCheckBox: QStyle.SubElement.SE_CheckBoxIndicator,
    QRadioButton: QStyle.SubElement.SE_RadioButtonIndicator,
}


def outline_contrast(
    qtbot: QtBot, kind: type[QCheckBox] | type[QRadioButton], style: QStyle
) -> float:
    """The best contrast with the window among the pixels of the indicator's outer ring."""
    button = kind("Record calls")
    qtbot.addWidget(button)
    button.setStyle(style)
    button.setPalette(dark_palette())
    button.resize(button.sizeHint())
    option = QStyleOptionButton()
    option.initFrom(button)
    box: QRect = style.subElementRect(INDICATOR[kind], option, button)
    image = button.grab().toImage()
    window = dark_palette().color(QPalette.ColorRole.Window)
    ring = [(x, box.top()) for x in range(box.left(), box.right() + 1)]
    ring += [(box.left(), y) for y in range(box.top(), box.bottom() + 1)]
    ring += [(x, box.center().y()) for x in range(box.left(), box.left() + 2)]
    return max(contrast(QColor(image.pixel(x, y)), window) for x, y in ring)


@pytest.mark.parametrize("kind", [QCheckBox, QRadioButton])
def test_indicators_read_on_a_dark_palette(
    qtbot: QtBot, kind: type[QCheckBox] | type[QRadioButton]
) -> None:
    plain = QStyleFactory.create("Fusion")
    assert plain is not None
    # Qt's own Fusion outline: hardly darker than the window (the problem).
    assert outline_contrast(qtbot, kind, plain) < 3
    assert outline_contrast(qtbot, kind, ReadableIndicators("Fusion")) >= 4.5


def test_a_light_palette_is_drawn_as_qt_draws_it(qtbot: QtBot) -> None:
    plain, ours = QCheckBox("Record calls"), QCheckBox("Record calls")
    for button in (plain, ours):
        qtbot.addWidget(button)
        button.resize(button.sizeHint())
    plain.setStyle(QStyleFactory.create("Fusion"))
    ours.setStyle(ReadableIndicators("Fusion"))
    light = QPalette(QColor("#efefef"))
    plain.setPalette(light)
    ours.setPalette(light)
    assert plain.grab().toImage() == ours.grab().toImage()


def test_the_app_gets_it_once_where_its_style_is_fusion(qapp: object) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.style()
    had_it = isinstance(before, ReadableIndicators)  # the app object's tests install it too
    if not had_it and before.name().casefold() != "fusion":
        pytest.skip(f"this platform's style is {before.name()}, left as it is")
    use_readable_indicators(app)
    style = app.style()
    assert isinstance(style, ReadableIndicators)
    use_readable_indicators(app)
    assert app.style() is style
    if not had_it:
        app.setStyle("Fusion")  # as the tests after this one expect
