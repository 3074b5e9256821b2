"""Opens the dialer window on whatever screen Qt is given and prints where everything landed.

Run as a subprocess by test_window_fit.py, under xvfb-run (a real X screen of 1366x768, or
1920x1080 at QT_SCALE_FACTOR=2) or offscreen with a screen of a chosen size: the screen's size
and scaling are fixed when Qt starts, so each needs a process of its own. Prints one JSON object:
for each moment (the window opened, made as wide as the screen, a call placed with the outcome
panel up, both docks opened, opened again after a session on a larger monitor) the available
screen area and the global rectangles of the window's frame, status bar, dialer column, panel
and outcome panel.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

KEY = "probe-key"


def main() -> int:
    profile = tempfile.mkdtemp(prefix="a1dialer-fit-")
    os.environ.update(
        A1DIALER_HOME=profile,
        A1DIALER_API_KEY=KEY,
        A1DIALER_DEFAULTS=str(Path(profile, "no-defaults.toml")),
    )
    from PySide6.QtCore import QEventLoop, QRect, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from a1dialer.core.calllog import CallLog
    from a1dialer.core.settings import Settings
    from a1dialer.pbx.simulator import PbxSimulator
    from a1dialer.ui.main_window import MainWindow
    from a1dialer.ui.services import Services
    from a1dialer.ui.window_fit import room

    app = QApplication(sys.argv[:1])

    def settle(ms: int = 200) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_for(condition: Any, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the window never got there")
            settle(20)

    def box(area: QRect) -> list[int]:
        return [area.x(), area.y(), area.width(), area.height()]

    def rect(widget: QWidget) -> list[int]:
        top_left = widget.mapToGlobal(widget.rect().topLeft())
        return box(QRect(top_left, widget.size()))

    def seen(window: MainWindow, widget: QWidget) -> list[int]:
        """The part of ``widget`` the dialer column shows (it may scroll)."""
        viewport = window.dialer_column.viewport()
        top_left = widget.mapTo(viewport, widget.rect().topLeft())
        shown = QRect(top_left, widget.size()).intersected(viewport.rect())
        corner = viewport.mapToGlobal(shown.topLeft())
        return box(QRect(corner, shown.size()))

    def report(window: MainWindow) -> dict[str, Any]:
        settle(300)
        found: dict[str, Any] = {
            "available": box(window.screen().availableGeometry()),
            "frame": box(window.frameGeometry()),
            "minimum": list(window.minimumSizeHint().toTuple()),
            "status_bar": rect(window.statusBar()),
            "column": rect(window.dialer_column),
            "panel": rect(window.panel),
            "dial_pad": rect(window.dial_pad),
            "scrolled": window.dialer_column.verticalScrollBar().value(),
            "focus": focus.objectName() if (focus := QApplication.focusWidget()) else "",
        }
        follow_up = window._follow_up
        if follow_up is not None and follow_up.panel.isVisible():
            found["outcome_panel"] = seen(window, follow_up.panel)
            found["outcome_panel_size"] = list(follow_up.panel.size().toTuple())
        if window.history_dock.isVisible():
            found["history"] = rect(window.history_dock)
        return found

    moments: dict[str, Any] = {}
    with PbxSimulator(KEY, answer_delay=0.0, call_duration=1.0) as simulator:
        settings = Settings(
            server=simulator.server_url,
            extension="1007",
            caller_id_number="12085550100",
            auto_answer=True,
        )
        call_log = CallLog(Path(profile) / "calls.sqlite3")

        def open_window() -> MainWindow:
            window = MainWindow(Services.create(settings, call_log))
            window.show()
            wait_for(lambda: window._follow_up is not None)
            return window

        window = open_window()
        moments["opened"] = report(window)
        # As wide as the screen allows: the dialer keeps its width, in the middle.
        window.resize(room(window).size())
        moments["wide"] = report(window)
        window.number_edit.setText("+1 208 555 0142")
        window.dialer.dial()
        wait_for(lambda: window.follow_up.panel.isVisible() and not window.placer.busy)
        moments["outcome"] = report(window)
        window.history_dock.toggleViewAction().trigger()
        window.follow_up.dock_action.trigger()
        wait_for(lambda: window.history is not None)
        moments["docks"] = report(window)

        # A session on a larger monitor: the saved size and place are the big screen's.
        window.setGeometry(1200, 900, 2400, 1300)
        settle()
        window.close()  # saves its state
        window.deleteLater()
        settle()
        window = open_window()
        moments["restored"] = report(window)
        window.close()
        settle()
        call_log.close()
    print(json.dumps(moments))
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
