"""Find the widgets whose text needs more room than they have (a translation's long words).

Labels, buttons, check boxes, group titles and tabs are checked; a line edit's placeholder is a
hint that may run under its frame (its field's label and tooltip say the same).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QTabBar,
    QToolButton,
    QWidget,
)

# A pixel of slack for rounding between font metrics and layouts.
_SLACK = 1


def _name(widget: QWidget) -> str:
    name = widget.objectName() or type(widget).__name__
    parent = widget.parentWidget()
    while parent is not None and not parent.objectName():
        parent = parent.parentWidget()
    where = f" in {parent.objectName()}" if parent is not None else ""
    return f"{name}{where}"


def _shown(text: str) -> str:
    """``text`` as drawn: a mnemonic's ``&`` is not, a doubled ``&&`` is one ``&``."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    if label.property("elides"):  # says the full text in its tooltip
        return None
    rect = label.contentsRect()
    margin = 2 * label.margin() + max(0, label.indent())
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + _SLACK:
            return f"needs {needed} px of height, has {label.height()}"
        return None
    if label.textFormat() != label.textFormat().PlainText and "<" in text:
        plain = QLabel()
        plain.setText(text)
        needed = plain.sizeHint().width() - 2 * plain.margin()
    else:
        metrics = label.fontMetrics()
        lines = _shown(text).split("\n")
        needed = max(metrics.horizontalAdvance(line) for line in lines)
    if needed > rect.width() - margin + _SLACK:
        return f"needs {needed} px, has {rect.width() - margin}"
    return None


def _cut_by_parent(widget: QWidget) -> str | None:
    """Whether an ancestor hides part of ``widget``'s width (a page wider than its scroll area).

    Only the width: a row scrolled out of view vertically is how a scroll area works."""
    window = widget.window()
    shown = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        shown = shown.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    if shown.isEmpty():
        return None
    if shown.width() + _SLACK < widget.width():
        return f"shows {shown.width()} px of its {widget.width()}"
    return None


def clipped_texts(root: QWidget) -> list[str]:
    """One line per visible widget under ``root`` (itself included) whose text is cut off."""
    found: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if not widget.isVisible() or widget.width() <= 0:
            continue
        problem: str | None = None
        text = ""
        if isinstance(widget, QLabel):
            text = widget.text()
            problem = _label_problem(widget)
        elif isinstance(widget, QAbstractButton) and widget.text():
            icon_only = Qt.ToolButtonStyle.ToolButtonIconOnly
            if isinstance(widget, QToolButton) and widget.toolButtonStyle() == icon_only:
                continue
            text = widget.text()
            needed = widget.sizeHint().width()
            if needed > widget.width() + _SLACK:
                problem = f"needs {needed} px, has {widget.width()}"
        elif isinstance(widget, QGroupBox) and widget.title():
            text = widget.title()
            needed = widget.minimumSizeHint().width()
            if needed > widget.width() + _SLACK:
                problem = f"needs {needed} px, has {widget.width()}"
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if widget.tabRect(index).width() + _SLACK < widget.tabSizeHint(index).width():
                    found.append(f"{_name(widget)} tab {widget.tabText(index)!r} is cut off")
        if not problem and text:
            problem = _cut_by_parent(widget)
        if problem:
            found.append(f"{_name(widget)} {text[:60]!r}: {problem}")
    return found
