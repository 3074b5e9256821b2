"""The app icon and the few UI icons, loaded from the SVGs shipped inside the package.

SVGs stay crisp at any scale factor. Monochrome icons are drawn in ``currentColor`` and tinted to
the palette's text colour, so they read on light and dark windows alike.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

# Device pixels rendered per tinted icon: enough for 16-32 px icons at up to 300% scaling.
_TINT_SIZES = (16, 20, 24, 32, 40, 48, 64, 96)


def icon_path(name: str) -> Path:
    """The SVG file of icon ``name`` (``app``, ``call``, ``backspace``, ``copy``, ``settings``)."""
    path = Path(str(resources.files("a1dialer").joinpath("resources", "icons", f"{name}.svg")))
    if not path.is_file():
        raise FileNotFoundError(f"Icon {name!r} is missing from the package: {path}")
    return path


@functools.cache
def icon(name: str) -> QIcon:
    """A full-colour icon (the app icon, the white handset of the Call button)."""
    return QIcon(str(icon_path(name)))


def app_icon() -> QIcon:
    return icon("app")


@functools.cache
def tinted_icon(name: str, colour: str) -> QIcon:
    """A monochrome icon drawn in ``colour`` (``#rrggbb``), rendered once per size."""
    from PySide6.QtSvg import QSvgRenderer

    text = icon_path(name).read_text(encoding="utf-8").replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(text.encode("utf-8")))
    result = QIcon()
    for size in _TINT_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(pixmap)
    return result


def palette_icon(name: str, colour: QColor) -> QIcon:
    """``tinted_icon`` for a palette colour; cached per colour, so palette changes are cheap."""
    return tinted_icon(name, colour.name(QColor.NameFormat.HexRgb))
