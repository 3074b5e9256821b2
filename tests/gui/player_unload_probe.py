"""Unloads a recording while the audio renderer's thread waits for the GIL in a message handler.

Run as a subprocess by test_recording_player.py: with the old bug it hangs forever, which a
subprocess with a timeout turns into a failure instead of a hung suite.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import QLoggingCategory, QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from a1dialer.ui.recording_player import RecordingPlayer

# Messages the audio renderer logs on its own thread as playback starts: the resampler it
# creates (asked for here) and, without a sound card, "No audio device detected".
RENDERER_SAYS = ("QFFmpegResampler", "No audio device")


def main(recording: Path) -> int:
    app = QApplication([])
    gui_thread = threading.get_ident()
    parked = threading.Event()
    go_on = threading.Event()

    def handler(_type: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        # Like pytest-qt's handler, this runs on whichever thread logs, holding the GIL.
        renderer = threading.get_ident() != gui_thread and any(s in message for s in RENDERER_SAYS)
        if renderer and not parked.is_set():
            parked.set()
            go_on.wait(30)  # lets go of the GIL; returning from here needs it back

    def run_events_until(done: threading.Event) -> None:
        deadline = time.monotonic() + 20
        while not done.is_set() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)

    QLoggingCategory.setFilterRules("qt.multimedia.ffmpeg.resampler.debug=true")
    qInstallMessageHandler(handler)
    player = RecordingPlayer()
    ready = threading.Event()
    player.ready.connect(ready.set)
    player.load(recording)
    run_events_until(ready)
    player.play()
    run_events_until(parked)
    print(f"renderer parked: {parked.is_set()}", flush=True)
    # The renderer thread now wants the GIL back; stopping waits for that thread.
    go_on.set()
    player.unload()
    print("unloaded", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
