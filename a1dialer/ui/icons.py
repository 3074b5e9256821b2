"""The app icon and the few UI icons, loaded from the SVGs shipped inside the package.

SVGs stay crisp at any scale factor. Monochrome icons are drawn in ``currentColor`` and tinted to
the palette's text colour, so they read on light and dark windows alike. A tinted icon is drawn
only at the sizes Qt asks for when it paints it (so start-up renders one size, not every size a
screen might need), then kept.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPixmap

from a1dialer.core import paths

if TYPE_CHECKING:
    from PySide6.QtSvg import QSvgRenderer


def icon_path(name: str) -> Path:
    """The SVG file of icon ``name`` (``app``, ``call``, ``backspace``, ``copy``, ``settings``)."""
    path = paths.RESOURCES / "icons" / f"{name}.svg"
    if not path.is_file():
        raise FileNotFoundError(f"Icon {name!r} is missing from the package: {path}")
    return path


@functools.cache
def icon(name: str) -> QIcon:
    """A full-colour icon (the app icon, the white handset of the Call button)."""
    return QIcon(str(icon_path(name)))


def app_icon() -> QIcon:
    return icon("app")


class _SvgEngine(QIconEngine):
    """Draws one SVG document at whatever size and mode Qt asks for, keeping what it drew."""

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self._svg = svg
        self._renderer: QSvgRenderer | None = None
        self._pixmaps: dict[tuple[int, int, QIcon.Mode], QPixmap] = {}

    def _render(self, painter: QPainter, rect: QRectF) -> None:
        if self._renderer is None:
            from PySide6.QtSvg import QSvgRenderer

            self._renderer = QSvgRenderer(QByteArray(self._svg))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer.render(painter, rect)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.drawPixmap(rect, self.pixmap(rect.size(), mode, state))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        key = (size.width(), size.height(), mode)
        cached = self._pixmaps.get(key)
        if cached is not None:
            return cached
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self._render(painter, QRectF(0, 0, size.width(), size.height()))
        painter.end()
        if mode == QIcon.Mode.Disabled:
            from PySide6.QtWidgets import QApplication, QStyleOption

            pixmap = QApplication.style().generatedIconPixmap(mode, pixmap, QStyleOption())
        self._pixmaps[key] = pixmap
        return pixmap

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        pixmap = self.pixmap(size * scale, mode, state)
        result = QPixmap(pixmap)
        result.setDevicePixelRatio(scale)
        return result

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        return size

    def clone(self) -> QIconEngine:
        return _SvgEngine(self._svg)


@functools.cache
def tinted_icon(name: str, colour: str) -> QIcon:
    """A monochrome icon drawn in ``colour`` (``#rrggbb``)."""
    text = icon_path(name).read_text(encoding="utf-8").replace("currentColor", colour)
    return QIcon(_SvgEngine(text.encode("utf-8")))


def palette_icon(name: str, colour: QColor) -> QIcon:
    """``tinted_icon`` for a palette colour; cached per colour, so palette changes are cheap."""
    return tinted_icon(name, colour.name(QColor.NameFormat.HexRgb))
