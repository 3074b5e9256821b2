"""Check boxes and radio buttons whose outline reads on a dark palette as on a light one.

Qt's Fusion style (Linux's default) outlines the indicators with the window colour made darker:
on a dark window that outline all but vanishes, and an unchecked box or radio button cannot be
seen. On a dark palette this style draws the outline in a colour between the text and the
window that keeps 4.5:1 contrast with the window; light palettes and other styles are as Qt
draws them.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

# How far from the window colour towards the text colour the outline sits.
OUTLINE_MIX = 0.6
_INDICATORS = (
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PrimitiveElement.PE_IndicatorRadioButton,
)


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(one: QColor, other: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def outline_colour(palette: QPalette, group: QPalette.ColorGroup) -> QColor:
    """The indicator outline for ``palette``: towards the text, readable on the window."""
    window = palette.color(group, QPalette.ColorRole.Window)
    text = palette.color(group, QPalette.ColorRole.WindowText)

    def mix(share: float) -> QColor:
        return QColor.fromRgbF(
            window.redF() + (text.redF() - window.redF()) * share,
            window.greenF() + (text.greenF() - window.greenF()) * share,
            window.blueF() + (text.blueF() - window.blueF()) * share,
        )

    share = OUTLINE_MIX
    while (
        group != QPalette.ColorGroup.Disabled and share < 1.0 and contrast(mix(share), window) < 4.5
    ):
        share += 0.05
    return mix(min(share, 1.0))


class ReadableIndicators(QProxyStyle):
    """Fusion with outlines on check boxes and radio buttons that read on a dark palette."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in _INDICATORS or not is_dark(option.palette):
            return
        enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
        group = QPalette.ColorGroup.Normal if enabled else QPalette.ColorGroup.Disabled
        pen = QPen(outline_colour(option.palette, group), 1.0)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        box = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(box)
        else:
            painter.drawRoundedRect(box, 1.5, 1.5)
        painter.restore()


def use_readable_indicators(app: QApplication) -> None:
    """Give ``app`` readable indicators where its style is Fusion (other styles are left as
    they are: Windows and macOS draw their own dark mode)."""
    style = app.style()
    if not isinstance(style, ReadableIndicators) and style.name().casefold() == "fusion":
        app.setStyle(ReadableIndicators("Fusion"))
