"""Render the dialer window (and the settings dialog) offscreen into ``docs/screenshots/*.png``.

States: idle with a number typed and its preview, ringing, a failure with its details open, the
dark palette, a national number of another country picked for the call, the demo banner, the
history, a call list being worked through with the outcome panel, the settings dialog and each of
its sections. Against the bundled simulator, in a throw-away profile. Then the idle and dark
windows again at 200% (``QT_SCALE_FACTOR=2``, which must be set before Qt starts, hence a second
process) as ``*@2x.png`` to check crispness, and the window on a 1366x768 laptop screen with the
history, a call list and the outcome panel open (``main-1366x768.png``: the whole screen, the
window where it opened), in a third, and that again in German (``main-1366x768-de.png``).
Run: ``xvfb-run -a .venv/bin/python scripts/screenshots.py [--out DIR]``: the windows still
render offscreen, but with an X display the settings dialog shows the global hotkey as a rep on
an X11 desktop sees it (without one it explains that there is no hotkey).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QPalette

KEY = "screenshot-key"
LEADS_CSV = """Name,Phone,Company,Notes
Dana Whitfield,(208) 555-0171,Acme Inc.,Asked for a demo
José García,(208) 555-0172,Globex,
Mia Müller,+44 20 7946 0123,Initech UK,Decides in March
Liam O'Brien,(208) 555-0174,Hooli,Call after 3 pm
Ava Nguyen,(312) 555-0175,Stark Industries,
Noah Rossi,(415) 555-0176,Umbrella Ltd,Renewal due
Sofia Kowalski,(208) 555-0177,Wayne Enterprises,
Ken Smith,(646) 555-0178,Acme Inc.,Prefers e-mail first
"""
ROOT = Path(__file__).resolve().parent.parent


def dark_palette() -> QPalette:
    """A dark palette like the ones Windows 11, GNOME and macOS hand to Qt apps."""
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#2b2c30",
        QPalette.ColorRole.AlternateBase: "#303134",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#35363a",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.Highlight: "#8ab4f8",
        QPalette.ColorRole.HighlightedText: "#202124",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Mid: "#5f6368",
        QPalette.ColorRole.Dark: "#17181a",
        QPalette.ColorRole.Light: "#4a4b4f",
        QPalette.ColorRole.Midlight: "#3c3d41",
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.ToolTipBase: "#303134",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.Link: "#8ab4f8",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(disabled, role, QColor("#7c7f84"))
    return palette


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
    parser.add_argument("--laptop", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--language", default="en", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    profile = tempfile.mkdtemp(prefix="a1dialer-shots-")
    # A desktop-sized virtual screen (offscreen's own is 800x800, where the settings dialog
    # scrolls as on a small laptop).
    screen = Path(profile, "screen.json")
    width, height = (1366, 768) if args.laptop else (1600, 1200)
    screen.write_text(
        json.dumps({"screens": [{"name": "shots", "width": width, "height": height}]})
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    os.environ.update(
        A1DIALER_HOME=profile,
        A1DIALER_API_KEY=KEY,
        A1DIALER_DEFAULTS=str(Path(profile, "no-defaults.toml")),
    )
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.scale == 1.0 else f"@{args.scale:g}x"
    scaled_shots = ("main-idle", "main-dark-placed")

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QApplication, QWidget

    from a1dialer.core.calllog import CallLog
    from a1dialer.core.csv_columns import guess_columns
    from a1dialer.core.csv_import import convert, read_table
    from a1dialer.core.settings import Settings
    from a1dialer.demo import demo_hint
    from a1dialer.desktop.settings_section import add_desktop_rows
    from a1dialer.pbx.simulator import MAGIC_DESTINATIONS, PbxSimulator
    from a1dialer.ui.icons import app_icon
    from a1dialer.ui.main_window import MainWindow
    from a1dialer.ui.readable_style import use_readable_indicators
    from a1dialer.ui.services import Services
    from a1dialer.ui.settings_dialog import SettingsDialog
    from a1dialer.ui.settings_sections import set_desktop_rows

    app = QApplication(sys.argv[:1])
    app.setWindowIcon(app_icon())
    use_readable_indicators(app)  # as the app does
    from a1dialer.ui.qt_language import apply_language

    apply_language(app, args.language)  # as the app does at start (formats under LANG=C too)
    light = app.palette()
    saved: list[Path] = []

    def settle(ms: int = 150) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def shoot(widget: QWidget, name: str) -> None:
        if suffix and name not in scaled_shots:
            return
        settle()
        path = args.out / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        saved.append(path)

    def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the window never reached the state to capture")
            settle(20)

    busy_suffix = next(s for s, cause in MAGIC_DESTINATIONS.items() if cause == "USER_BUSY")
    with PbxSimulator(KEY, answer_delay=30.0, call_duration=1.0) as simulator:
        settings = Settings(
            server=simulator.server_url,
            extension="1007",
            caller_id_number="12085550100",
            caller_id_name="Acme Sales",
        )
        call_log = CallLog(Path(profile) / "calls.sqlite3")

        def window(hint: str | None = None) -> MainWindow:
            # Each shot starts from the default size and options, not the last window's.
            Path(profile, "window.ini").unlink(missing_ok=True)
            shown = MainWindow(Services.create(settings, call_log), demo_hint=hint)
            shown.show()
            settle(300)
            return shown

        if args.laptop:
            laptop = window()
            laptop.auto_answer_check.setChecked(True)
            laptop.history_dock.toggleViewAction().trigger()
            laptop.follow_up.dock_action.trigger()
            laptop.number_edit.setText("+1 208 555 0142")
            laptop.dialer.dial()
            wait_for(lambda: laptop.follow_up.panel.isVisible() and not laptop.placer.busy)
            settle(300)
            screen_shot = QImage(width, height, QImage.Format.Format_RGB32)
            screen_shot.fill(QColor("#3a3d41"))  # the desktop around the window
            painter = QPainter(screen_shot)
            painter.drawPixmap(laptop.geometry().topLeft(), laptop.grab())
            painter.end()
            language = "" if args.language == "en" else f"-{args.language}"
            path = args.out / f"main-1366x768{language}.png"
            screen_shot.save(str(path))
            print(path)
            laptop.close()
            call_log.close()
            return 0

        idle = window()
        idle.number_edit.setText("(208) 555-1234")
        idle.name_edit.setText("Dana Whitfield")
        shoot(idle, "main-idle")

        idle.number_edit.setText("+1 208 55")
        idle.dialer.dial()
        shoot(idle, "main-invalid")

        idle.number_edit.setText("+1 (208) 555-1234")
        idle.dialer.dial()
        simulator.wait_for_requests(1, timeout=5)
        settle(2200)
        shoot(idle, "main-ringing")
        idle.close()

        failed = window()
        failed.auto_answer_check.setChecked(True)
        failed.number_edit.setText(
            busy_suffix if len(busy_suffix) >= 10 else "1208" + busy_suffix[-7:]
        )
        failed.dialer.dial()
        wait_for(lambda: failed.status.kind == "error")
        failed.status.details_button.setChecked(True)
        shoot(failed, "main-failed-details")
        failed.close()

        app.setPalette(dark_palette())
        dark = window()
        # Not a number of the call list below: its Dial next would ask to confirm a redial.
        dark.number_edit.setText("+44 20 7946 0958")
        dark.auto_answer_check.setChecked(True)
        dark.dialer.dial()
        wait_for(lambda: bool(dark.dialer.last_call_id))
        shoot(dark, "main-dark-placed")
        dark.close()
        app.setPalette(light)

        country = window()
        country.country_combo.set_country("GB")
        country.number_edit.setText("020 7946 0123 ext. 55")
        country.name_edit.setText("Mia Müller")
        shoot(country, "main-country")
        country.close()

        demo = window(demo_hint())
        demo.number_edit.setText("208 555 0123")
        shoot(demo, "main-demo")
        demo.close()

        history = window()
        history.history_dock.toggleViewAction().trigger()
        wait_for(lambda: history.history is not None)
        history.number_edit.setText("+1 208 555 0142")
        settle(300)
        shoot(history, "main-history")
        history.close()

        lists = window()
        leads = Path(profile, "spring-leads.csv")
        leads.write_text(LEADS_CSV, encoding="utf-8")
        table = read_table(leads)
        imported = convert(table, guess_columns(table.headers), "US", "e164")
        lists.follow_up.store.create_list("Spring leads", imported.entries)
        lists.auto_answer_check.setChecked(True)
        lists.follow_up.dock_action.trigger()
        dock = lists.follow_up.dock
        wait_for(lambda: dock.model.rowCount() > 0)
        dock.auto_advance_action.setChecked(True)
        dock.toggle_auto_advance()
        panel = lists.follow_up.panel
        # The first two get an outcome (the State column says what became of them), the third
        # is the call on the card now.
        for outcome in ("Busy", "Connected", ""):
            wait_for(lambda: lists.dialer.ready_to_call and dock.dial_next_action.isEnabled())
            dock.dial_next()
            wait_for(lambda: panel.isVisible() and not lists.placer.busy)
            if outcome:
                panel.pick(outcome)
                panel.save()
                wait_for(lambda: not panel.isVisible())
        panel.pick("Call back")
        panel.note_edit.setText("Wants the price list before Friday")
        lists.resize(lists.width(), max(lists.height(), 820))
        shoot(lists, "main-call-lists")
        # Saved: with auto-advance on, the countdown to the next call (any key pauses it).
        panel.save()
        wait_for(lambda: dock.countdown.running)
        settle(1200)
        shoot(lists, "main-call-lists-countdown")
        dock.countdown.cancel()
        lists.close()

        set_desktop_rows(add_desktop_rows)  # as the app object does at start
        dialog = SettingsDialog(settings.validated(custom_outcomes=("Demo booked", "Sent prices")))
        dialog.show()
        shoot(dialog, "settings-dialog")
        for row, section in enumerate(dialog.sections):
            dialog.section_list.setCurrentRow(row)
            name = section.name.removesuffix("Section")
            shoot(
                dialog, "settings-" + "".join(f"-{c.lower()}" if c.isupper() else c for c in name)
            )
        dialog.close()
        QApplication.processEvents()
        call_log.close()
    for path in saved:
        print(path)
    if args.scale == 1.0:
        again = [sys.executable, __file__, "--scale", "2", "--out", str(args.out)]
        small = [sys.executable, __file__, "--laptop", "--out", str(args.out)]
        german = [*small, "--language", "de"]
        scaled = subprocess.run(again, check=False).returncode
        on_laptop = subprocess.run(small, check=False).returncode
        return scaled or on_laptop or subprocess.run(german, check=False).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
