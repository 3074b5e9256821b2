"""``a1dialer --smoke-test``: proves a build (packaged or from source) has every part it needs.

Each check prints one line (``ok``, ``warn`` or ``FAIL``); the exit code is 0 only if none failed.
It runs offscreen in a throw-away profile against the bundled simulator, so it needs no display,
no PBX and never touches the rep's settings, call log or keyring entries.
"""

from __future__ import annotations

import os
import shutil
import ssl
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from a1dialer import __version__
from a1dialer.core import paths

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QPixmap
    from PySide6.QtMultimedia import QMediaPlayer

# A check returns its detail line; raising fails it. ``Warning`` passes with a "warn" line.
Check = Callable[[], str]

SMOKE_KEY = "smoke-test-key"
SMOKE_EXTENSION = "1007"
SMOKE_DESTINATION = "12085551234"
SMOKE_CALLER_ID = "12085550100"
# How long a sample may take to load, and then to start playing (FFmpeg starts in a thread).
MEDIA_LOAD_TIMEOUT_MS = 10_000
MEDIA_POLL_MS = 20
RECORDING_TIMEOUT_S = 15.0


class SmokeWarning(Exception):
    """Something worth telling the admin that does not make the build unusable."""


@contextmanager
def _throwaway_profile() -> Iterator[Path]:
    """Point ``A1DIALER_HOME`` at a temporary folder for the checks; restore it afterwards."""
    saved = os.environ.get(paths.HOME_ENV)
    profile = Path(tempfile.mkdtemp(prefix="a1dialer-smoke-"))
    os.environ[paths.HOME_ENV] = str(profile)
    try:
        yield profile
    finally:
        if saved is None:
            os.environ.pop(paths.HOME_ENV, None)
        else:
            os.environ[paths.HOME_ENV] = saved
        shutil.rmtree(profile, ignore_errors=True)


def check_tls() -> str:
    import certifi
    import requests.utils

    bundle = Path(certifi.where())
    if not bundle.is_file() or bundle.stat().st_size == 0:
        raise RuntimeError(f"certifi's CA bundle is missing or empty: {bundle}")
    context = ssl.create_default_context(cafile=str(bundle))
    loaded = context.cert_store_stats()["x509_ca"]
    if not loaded:
        raise RuntimeError(f"no CA certificates loaded from {bundle}")
    requests_bundle = Path(requests.utils.DEFAULT_CA_BUNDLE_PATH)
    if not requests_bundle.is_file() or requests_bundle.stat().st_size == 0:
        raise RuntimeError(f"requests' CA bundle is missing or empty: {requests_bundle}")
    return f"{loaded} CA certificates from {bundle.name}; {ssl.OPENSSL_VERSION}"


def check_keyring() -> str:
    import keyring
    import keyring.backends.fail

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, keyring.backends.fail.Keyring) or backend.priority <= 0:
        raise SmokeWarning(f"keyring loads but no usable backend here ({name})")
    return name


def check_numbers() -> str:
    from a1dialer.core.numbers import parse_dial_input

    # phonenumbers loads each region's metadata lazily from modules a bundler can miss.
    target = parse_dial_input("+44 20 7946 0958")
    if target.region != "GB" or not target.region_name:
        raise RuntimeError(f"unexpected reading {target!r}")
    return target.describe()


def check_call(profile: Path) -> tuple[str, Path]:
    """Place a call on the bundled simulator and download its recording."""
    from a1dialer.core.call_options import CallOptions
    from a1dialer.core.errors import NotAvailable
    from a1dialer.pbx.client import CallRequest, PbxClient
    from a1dialer.pbx.simulator import PbxSimulator

    with (
        PbxSimulator(SMOKE_KEY, answer_delay=0.0, call_duration=0.0, recording_delay=0.0) as sim,
        PbxClient(sim.server_url, SMOKE_KEY) as client,
    ):
        placed = client.originate(
            CallRequest(
                destination=SMOKE_DESTINATION,
                extension=SMOKE_EXTENSION,
                caller_id_number=SMOKE_CALLER_ID,
                options=CallOptions(auto_answer=True, record=True),
            )
        )
        deadline = time.monotonic() + RECORDING_TIMEOUT_S
        while True:
            try:
                saved = client.download_recording(placed.uuid, profile / "recording.wav")
                break
            except NotAvailable:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    return f"call {placed.uuid} placed, recording {saved.stat().st_size:,} bytes", saved


def _paint_window(app: QCoreApplication) -> QPixmap:
    """A main window shown, grabbed and closed again; the grab (null if it did not render)."""
    from a1dialer.core.calllog import CallLog
    from a1dialer.core.settings import Settings
    from a1dialer.ui.main_window import MainWindow
    from a1dialer.ui.services import Services

    settings = Settings(
        server="http://127.0.0.1:9", extension=SMOKE_EXTENSION, caller_id_number=SMOKE_CALLER_ID
    )
    with CallLog() as call_log:
        window = MainWindow(Services.create(settings, call_log))
        window.show()
        app.processEvents()
        painted = window.grab()
        window.close()
        window.deleteLater()
        app.processEvents()
    return painted


def check_window() -> str:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from a1dialer.ui.icons import app_icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    if app_icon().pixmap(64, 64).isNull():
        raise RuntimeError("the SVG app icon does not render (QtSvg plugin missing?)")
    painted = _paint_window(app)
    if painted.isNull():
        raise RuntimeError("the main window did not render")
    return f"main window {painted.width()}x{painted.height()} on '{QGuiApplication.platformName()}'"


def check_german() -> str:
    """The window once in German: our catalog, Qt's own and the locale's formats are there."""
    from PySide6.QtCore import QCoreApplication, QLocale
    from PySide6.QtWidgets import QApplication

    from a1dialer.core.translation import pgettext
    from a1dialer.ui.qt_language import apply_language

    app = QApplication.instance() or QApplication(sys.argv[:1])
    if apply_language(app, "de") != "de":
        raise RuntimeError("the German catalog is missing or unreadable")
    call = pgettext("button", "Call")
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    if call == "Call" or cancel == "Cancel":
        raise RuntimeError(f"not translated: {call!r} (ours), {cancel!r} (Qt's)")
    painted = _paint_window(app)
    if painted.isNull():
        raise RuntimeError("the German window did not render")
    return f"{call!r}, Qt {cancel!r}, {QLocale().toString(1234567.5, 'f', 1)}"


def _wait_until(done: Callable[[], bool], timeout_ms: int) -> bool:
    """Run Qt's event loop until ``done()`` or the timeout; whether ``done()`` came true.

    Polled from a main-thread timer on purpose: no Python slot is connected to the player, whose
    signals come from FFmpeg's threads (see the player deadlock note on issue 4).
    """
    from PySide6.QtCore import QEventLoop, QTimer

    if done():
        return True
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(MEDIA_POLL_MS)
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    QTimer.singleShot(timeout_ms, loop.quit)
    poll.start()
    loop.exec()
    poll.stop()
    return done()


def _play_sample(player: QMediaPlayer, path: Path) -> str:
    """Load ``path`` into ``player``, play it until its position advances, and stop."""
    from PySide6.QtCore import QUrl
    from PySide6.QtMultimedia import QMediaPlayer

    status = QMediaPlayer.MediaStatus
    player.setSource(QUrl.fromLocalFile(str(path)))
    loaded = _wait_until(
        lambda: (
            player.mediaStatus() not in (status.LoadingMedia, status.NoMedia)
            or player.error() != QMediaPlayer.Error.NoError
        ),
        MEDIA_LOAD_TIMEOUT_MS,
    )
    if not loaded or player.mediaStatus() != status.LoadedMedia:
        raise RuntimeError(
            f"{path.name} did not load: {player.mediaStatus().name} {player.errorString()}"
        )
    duration = player.duration()
    player.play()
    moved = _wait_until(
        lambda: player.position() > 0 or player.error() != QMediaPlayer.Error.NoError,
        MEDIA_LOAD_TIMEOUT_MS,
    )
    position = player.position()
    player.stop()
    if not moved or position <= 0:
        raise RuntimeError(f"{path.name} loaded but did not play: {player.errorString()}")
    return f"{path.suffix[1:].upper()} {duration} ms (played to {position} ms)"


def check_media(recording: Path | None, profile: Path) -> str:
    """Decode and play WAV, MP3 and OGG through Qt Multimedia: each position must advance."""
    from PySide6.QtCore import QUrl
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
    from PySide6.QtWidgets import QApplication

    from a1dialer.pbx.sim_audio import recording_bytes, recording_size
    from a1dialer.ui.recording_player import answer_notify_lookups_now

    QApplication.instance() or QApplication(sys.argv[:1])
    if recording is None:
        raise RuntimeError("no WAV recording to play (the call check failed)")
    mp3 = profile / "sample.mp3"
    with mp3.open("wb") as out:
        for chunk in recording_bytes("mp3", recording_size("mp3", seconds=2)):
            out.write(chunk)
    ogg = paths.RESOURCES / "sounds" / "smoke-test.ogg"
    # One player for all three, as in the app: Qt's media backend is created once per player.
    player = QMediaPlayer()
    output = QAudioOutput()
    for made_here in (player, output):
        answer_notify_lookups_now(made_here)  # so FFmpeg's threads never wait for the GIL
    output.setVolume(0.0)
    player.setAudioOutput(output)
    try:
        played = [_play_sample(player, path) for path in (recording, mp3, ogg)]
    finally:
        player.setSource(QUrl())
    return "; ".join(played)


def check_locale_data() -> str:
    """Locale-aware collation; on Linux also ICU's time-zone and case data.

    Qt on Linux links ICU, and the Linux bundle ships a trimmed ICU data set, so these prove the
    parts Qt calls are in it. Qt on Windows and macOS uses the OS's own services instead.
    """
    from PySide6.QtCore import QCollator, QLocale

    swedish = QCollator(QLocale("sv_SE")).compare("ä", "z")
    german = QCollator(QLocale("de_DE")).compare("ä", "z")
    if not (swedish > 0 > german):
        raise RuntimeError(f"collation ignores the locale (sv {swedish}, de {german})")
    if sys.platform.startswith("linux"):
        return f"sv/de collation, {_check_icu_data()}"
    else:
        return "sv/de collation"


def _check_icu_data() -> str:
    """ICU's time-zone names and case mapping, which the Linux bundle's trimmed data must keep."""
    from PySide6.QtCore import QByteArray, QLocale, QTimeZone

    berlin = QTimeZone(QByteArray(b"Europe/Berlin"))
    name = berlin.displayName(
        QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale("en_US")
    )
    if not berlin.isValid() or name != "Central European Standard Time":
        raise RuntimeError(f"no English name for Europe/Berlin: {name!r}")
    upper = QLocale("tr_TR").toUpper("i")
    if upper != "\u0130":
        raise RuntimeError(f"Turkish upper case of 'i' is {upper!r}")
    return f"'{name}', Turkish case mapping (ICU)"


def run_smoke_test() -> int:
    """Run every check, print one line each, and return 0 only if none failed."""
    # Before any Qt import: the checks never need a screen.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    print(f"A1 Dialer {__version__} smoke test ({frozen}, {sys.platform})", flush=True)
    failures = 0
    recording: Path | None = None

    def run(name: str, check: Check) -> None:
        nonlocal failures
        try:
            detail = check()
            print(f"ok    {name}: {detail}", flush=True)
        except SmokeWarning as warning:
            print(f"warn  {name}: {warning}", flush=True)
        except Exception as error:
            failures += 1
            print(f"FAIL  {name}: {type(error).__name__}: {error}", flush=True)

    def call() -> str:
        nonlocal recording
        detail, recording = check_call(profile)
        return detail

    with _throwaway_profile() as profile:
        run("tls", check_tls)
        run("keyring", check_keyring)
        run("numbers", check_numbers)
        run("call", call)
        run("window", check_window)
        run("media", lambda: check_media(recording, profile))
        run("locale", check_locale_data)
        run("german", check_german)  # last: the app speaks German from here on
    print("smoke test passed" if not failures else f"smoke test FAILED ({failures})", flush=True)
    return 0 if not failures else 1
