"""The application object: starts and stops the windowed app (``a1dialer``, ``a1dialer demo``).

Startup keeps to what the first paint needs: the number rules (phonenumbers) load in the
background once the window is up, and the PBX client (requests) on the worker at the first call.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from a1dialer import APP_ID, APP_NAME
from a1dialer.core.errors import LocalProblem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QFormLayout, QWidget

    from a1dialer.core.settings import Settings
    from a1dialer.ui.main_window import MainWindow
    from a1dialer.ui.settings_dialog import SettingsDialog

log = logging.getLogger(__name__)

# At exit, how long a call still held by the PBX may delay quitting.
EXIT_WAIT_MS = 1500
# How often calls left pending by a process that died (an app quit mid-call, a killed
# 'a1dialer dial') are looked for, besides at start.
STALE_SWEEP_MS = 60_000
# Benchmark hook: print the milliseconds from process start to the window's first paint, then
# quit. A value above 1 keeps the app idle that many milliseconds after the paint before quitting.
EXIT_AFTER_PAINT_ENV = "A1DIALER_EXIT_AFTER_PAINT"
_IMPORTED_AT = time.monotonic()
# What the desktop session imports (Qt's network module for the single instance, the tray, the
# hotkey), loaded on a worker after the first paint so its steps only build.
DESKTOP_MODULES = ("a1dialer.desktop.session", "a1dialer.desktop.single_instance")


def display_problem(demo: bool) -> str | None:
    """One line saying there is no display and what to run instead; ``None`` if there is one."""
    if sys.platform.startswith("linux"):
        if any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
            return None
        if demo:
            return (
                "a1dialer: no display found (DISPLAY and WAYLAND_DISPLAY are not set): run "
                "'xvfb-run a1dialer demo' for a virtual one, or 'a1dialer demo --headless' for a "
                "scripted demo call printed step by step."
            )
        return (
            "a1dialer: no display found (DISPLAY and WAYLAND_DISPLAY are not set): start it from "
            "a desktop session or under 'xvfb-run a1dialer', or place calls with "
            "'a1dialer dial NUMBER'."
        )
    else:
        return None


def ms_since_process_start() -> float:
    """Milliseconds since this process started (Linux: from /proc; elsewhere since import)."""
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/stat", encoding="ascii") as handle:
                # Field 22 (starttime, in clock ticks since boot); the name may contain spaces.
                start_ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
            with open("/proc/uptime", encoding="ascii") as handle:
                uptime = float(handle.read().split()[0])
            return (uptime - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000
        except (OSError, ValueError, IndexError):
            pass
    return (time.monotonic() - _IMPORTED_AT) * 1000


def _application() -> QApplication:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from a1dialer.ui.icons import app_icon

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_ID)
    QGuiApplication.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    return app


def _read_settings() -> tuple[Settings, LocalProblem | None]:
    from a1dialer.core.settings import Settings, load_settings

    try:
        return load_settings(), None
    except LocalProblem as problem:
        log.warning("Settings not readable: %s", problem.sentence)
        return Settings(), problem


def _say_and_stop(problem: LocalProblem) -> None:
    from PySide6.QtWidgets import QMessageBox

    log.error("Cannot start: %s %s", problem.sentence, problem.details)
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, problem.sentence)
    if problem.details:
        box.setDetailedText(problem.details)
    box.exec()


def _log_stale(count: int | None, error: BaseException | None) -> None:
    if error is not None:
        log.warning("Could not tidy the call log: %s", error)
    elif count:
        log.info("%d calls from an earlier run never heard back from the PBX", count)


def _watch_first_paint(window: MainWindow, idle_ms: int) -> None:
    """The benchmark hook: report the first paint of ``window``, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                # CPU time of this thread too: steadier than wall time on a busy machine.
                print(f"cpu_ms={time.thread_time() * 1000:.1f}", flush=True)
                print(f"painted_ms={ms_since_process_start():.1f}", flush=True)
                QTimer.singleShot(max(0, idle_ms), QApplication.quit)
            return False

    window.installEventFilter(FirstPaint(window))


def _desktop_rows(dialog: SettingsDialog, layout: QFormLayout) -> list[QWidget]:
    """The desktop section of the Settings dialog, loaded when a dialog is opened."""
    from a1dialer.desktop.settings_section import add_desktop_rows

    return add_desktop_rows(dialog, layout)


def _tray_available() -> bool:
    from PySide6.QtWidgets import QSystemTrayIcon

    return QSystemTrayIcon.isSystemTrayAvailable()


def _bring_forward(window: MainWindow, args: list[str]) -> None:
    """A later launch (a clicked tel: link, ``--dial-selection``): as the link setting says."""
    from a1dialer.desktop.number_offer import receive_launch

    log.info("A later launch handed over %s", args or "no link")
    receive_launch(window, args)


def _become_the_instance(app: QApplication, window: MainWindow, uris: Sequence[str]) -> bool:
    """Take later launches' links from now on; False (and quit) if another app already does.

    Runs after the first paint, so Qt's network module does not delay it; the launch already
    found nobody listening (``cli``). Two launches at the same moment can both get here: the one
    that finds the other listening hands its links over and quits, so one app remains.
    """
    from a1dialer.desktop.single_instance import SingleInstance
    from a1dialer.ui.main_window import QUITTING_PROPERTY

    instance = SingleInstance(parent=app)
    if instance.listen():
        instance.argumentsReceived.connect(lambda args: _bring_forward(window, args))
        log.info("Running as the only instance; later launches hand their links over")
        return True
    if instance.refused is not None:  # no safe place to listen (logged): run as one of several
        return True
    app.setProperty(QUITTING_PROPERTY, True)
    window.hide()
    if instance.try_forward(list(uris)):
        log.info("Another A1 Dialer started at the same moment; handed the launch to it")
        app.exit(0)
        return False
    problem = LocalProblem(
        "Another A1 Dialer is running but does not answer: close it (or end it in the task "
        "manager) and start again."
    )
    print(f"a1dialer: {problem.sentence}", file=sys.stderr)
    _stop(app, problem)
    return False


def _stop(app: QApplication, problem: LocalProblem) -> None:
    """Say why the app cannot go on, then quit it with the problem's exit code."""
    from a1dialer.ui.main_window import QUITTING_PROPERTY

    _say_and_stop(problem)
    app.setProperty(QUITTING_PROPERTY, True)
    app.exit(problem.exit_code)


class DialerApp(QObject):
    """The running app, owned by the QApplication (as Electrum's GUI object owns its windows).

    It makes the services (the settings holder, the call log opener, the task runner, the call
    placer), hands them to the window, and after the window's first paint opens the call log and
    starts the desktop session.

    ``run_gui`` builds one; it outlives the window's hide (the tray keeps the app running).
    """

    def __init__(
        self,
        app: QApplication,
        settings: Settings,
        *,
        demo_hint: str | None = None,
        uris: Sequence[str] = (),
        cleanup: ExitStack,
    ) -> None:
        super().__init__(app)
        from PySide6.QtCore import QTimer

        from a1dialer.ui.main_window import MainWindow
        from a1dialer.ui.services import Services
        from a1dialer.ui.settings_sections import set_desktop_rows
        from a1dialer.ui.tasks import shared_tasks

        self._app = app
        self._uris = list(uris)
        self._cleanup = cleanup
        self.demo = demo_hint is not None
        self.services = Services.create(settings, tasks=shared_tasks(), parent=self)
        self.tasks = self.services.tasks
        set_desktop_rows(_desktop_rows)
        self.window = MainWindow(self.services, demo_hint=demo_hint)
        self.window.cannotRun.connect(lambda problem: _stop(app, problem))
        cleanup.callback(self.services.call_log.close)
        self._sweeper = QTimer(self)
        self._sweeper.setInterval(STALE_SWEEP_MS)
        self._sweeper.timeout.connect(self._sweep)
        self._queue_start_up()

    def start(self, *, minimized: bool, in_tray: bool) -> None:
        """Show the window (or only the tray); the start-up steps follow its first paint."""
        if in_tray:  # no paint to wait for
            self.services.startup.start()
        elif minimized:
            self.window.showMinimized()
        else:
            self.window.show()

    def _queue_start_up(self) -> None:
        """The app's steps, after the window's (see ``docs/architecture.md``): the log file, the
        stale-call sweep, the single instance, then the desktop session (tray, hotkey)."""
        from a1dialer.core.logs import setup_logging

        startup = self.services.startup
        startup.then_off_thread(setup_logging)
        startup.then_import(DESKTOP_MODULES)
        startup.then(self._start_sweeping)
        # The demo runs in a throw-away profile beside a real instance.
        startup.then(self._start_desktop)

    def _start_sweeping(self) -> None:
        # Calls an app never heard back about (it was closed while the PBX rang): "unknown",
        # now and while this one runs (a row is only old enough a few minutes later).
        self._sweep()
        self._sweeper.start()

    def _start_desktop(self) -> None:
        from a1dialer.desktop.session import start_desktop

        if self.demo or _become_the_instance(self._app, self.window, self._uris):
            call_log = self.services.call_log()
            self.session = start_desktop(self._app, self.window, call_log, self._uris)

    def _sweep(self) -> None:
        call_log = self.services.call_log()
        self.tasks.run(call_log.mark_stale_pending, _log_stale, owner=self)

    def finish(self, code: int) -> int:
        """After the event loop: save the window, wait briefly for a call the PBX still holds."""
        from PySide6.QtCore import QThreadPool

        # Steps not run yet must not run in a later event loop of this process (tests start
        # the app again and again).
        self.services.startup.stop()
        self._sweeper.stop()
        window = self.window
        window.save_state()
        placer = self.services.placer
        if QThreadPool.globalInstance().waitForDone(EXIT_WAIT_MS):
            placer.close()
            return code
        # The PBX still holds an originate (it blocks until the rep's phone answers, up to 90 s)
        # and QThreadPool's destructor would wait for it at interpreter exit. The PBX may be
        # calling, so the call becomes "unknown" (never "failed"); flush what must survive and
        # leave without waiting.
        log.warning("Quitting while the PBX still holds a call; it is logged as unknown")
        in_flight = placer.in_flight
        if in_flight is not None:
            try:
                self.services.call_log().mark_abandoned(in_flight.call_id)
            except LocalProblem as problem:  # still pending: a later start sweeps it to unknown
                log.warning("Could not log the call as unknown: %s", problem.details)
        self._cleanup.close()  # closes the call log
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run_gui(minimized: bool = False, demo: bool = False, uris: Sequence[str] = ()) -> int:
    """Show the dialer window (wired to the simulator for ``demo``) until the rep quits."""
    no_display = display_problem(demo)
    if no_display:
        print(no_display, file=sys.stderr)
        return LocalProblem.exit_code

    app = _application()
    from PySide6.QtCore import QTimer

    with ExitStack() as cleanup:
        hint: str | None = None
        settings_problem: LocalProblem | None = None
        if demo:
            from a1dialer.demo import demo_environment, demo_hint

            environment = cleanup.enter_context(demo_environment())
            settings = environment.settings
            hint = demo_hint()
        else:
            settings, settings_problem = _read_settings()
        from a1dialer.ui.qt_language import apply_language

        apply_language(app, settings.language)
        dialer = DialerApp(app, settings, demo_hint=hint, uris=uris, cleanup=cleanup)
        window = dialer.window
        exit_after_paint = os.environ.get(EXIT_AFTER_PAINT_ENV, "")
        if exit_after_paint:
            _watch_first_paint(window, int(exit_after_paint) if exit_after_paint != "1" else 0)
        dialer.start(minimized=minimized, in_tray=minimized and _tray_available())
        if settings_problem is not None:
            QTimer.singleShot(0, window, lambda: window.report_settings_problem(settings_problem))
        elif not demo and settings.missing_for_calls() and not exit_after_paint:
            QTimer.singleShot(0, window, window.run_first_time_setup)
        code = dialer.finish(app.exec())
    return code
