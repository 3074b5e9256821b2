"""The demo: the bundled simulator on a free loopback port, a throw-away profile, ready settings.

Used by ``a1dialer demo`` (the window) and ``a1dialer demo --headless`` (a scripted call printed
step by step). The demo key is handed over through ``A1DIALER_API_KEY`` for this process only, so
the rep's real keyring and profile are never touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from a1dialer.core import paths
from a1dialer.core.secrets import KEY_ENV
from a1dialer.core.settings import Settings, save_settings
from a1dialer.core.translation import N_, _, ngettext
from a1dialer.pbx.simulator import MAGIC_DESTINATIONS, PbxSimulator

DEMO_EXTENSION = "1007"
DEMO_CALLER_ID_NUMBER = "12085550100"
DEMO_CALLER_ID_NAME = "A1 Demo Co"


@dataclass(frozen=True)
class DemoEnvironment:
    """A running simulator and the throw-away profile pointed at it."""

    simulator: PbxSimulator
    profile: Path
    settings: Settings


@contextmanager
def demo_environment(answer_delay: float = 1.5) -> Iterator[DemoEnvironment]:
    """Start the simulator, point ``A1DIALER_HOME`` and ``A1DIALER_API_KEY`` at it; undo on exit."""
    saved_env = {name: os.environ.get(name) for name in (paths.HOME_ENV, KEY_ENV)}
    profile = Path(tempfile.mkdtemp(prefix="a1dialer-demo-"))
    simulator = PbxSimulator(answer_delay=answer_delay, call_duration=4.0, recording_delay=2.0)
    simulator.start()
    try:
        os.environ[paths.HOME_ENV] = str(profile)
        os.environ[KEY_ENV] = simulator.key
        settings = Settings(
            server=simulator.server_url,
            extension=DEMO_EXTENSION,
            caller_id_number=DEMO_CALLER_ID_NUMBER,
            caller_id_name=DEMO_CALLER_ID_NAME,
            record=True,
        )
        save_settings(settings)
        yield DemoEnvironment(simulator, profile, settings)
    finally:
        simulator.stop()
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(profile, ignore_errors=True)


def demo_hint() -> str:
    """The demo banner: what this is, and which numbers show the failures."""
    # Translators: {number} is a demo phone number that shows this failure when called.
    words = {
        "USER_BUSY": N_("{number} for busy"),
        "NO_ANSWER": N_("{number} for no answer"),
        "USER_NOT_REGISTERED": N_("{number} for an unregistered phone"),
        "SUBSCRIBER_ABSENT": N_("{number} for an absent subscriber"),
    }
    tries = [
        _(words[cause]).format(number=_spoken_number(suffix))
        for suffix, cause in MAGIC_DESTINATIONS.items()
        if cause in words
    ][:2]
    text = _("Demo - simulated PBX, no real calls.")
    if len(tries) == 2:
        # Translators: {first} and {second} are "+1 208 555 0101 for busy" and the like.
        text += " " + _("Try {first} or {second}.").format(first=tries[0], second=tries[1])
    elif tries:
        text += " " + _("Try {first}.").format(first=tries[0])
    return text


def _spoken_number(suffix: str) -> str:
    """A magic destination as a rep would type it: +1 208 555 0101 for the suffix 5550101."""
    digits = "".join(ch for ch in suffix if ch.isdigit())
    full = ("1208" + digits[-7:]) if len(digits) < 10 else digits
    if len(full) == 11 and full.startswith("1"):
        return f"+1 {full[1:4]} {full[4:7]} {full[7:]}"
    return full


def run_headless_demo(
    number: str = "+1 (208) 555-1234", busy_number: str = "+1 208 555 0101"
) -> int:
    """Place a demo call, show a failure, fetch the recording; print each step. Returns 0."""
    from a1dialer.core.call_options import CallOptions
    from a1dialer.core.calllog import CallLog
    from a1dialer.core.errors import DialerError, NotAvailable
    from a1dialer.pbx.client import PbxClient
    from a1dialer.pbx.placing import place_call, target_for

    def say(text: str) -> None:
        print(text, flush=True)

    with demo_environment() as demo:
        settings = demo.settings
        say(
            _("Demo - simulated PBX at {url} (profile {profile})").format(
                url=demo.simulator.server_url, profile=demo.profile
            )
        )
        with PbxClient.from_settings(settings, demo.simulator.key) as client, CallLog() as log:
            target = target_for(number, settings)
            # Translators: {number} is what was typed, in quotes; {meaning} how it is dialled.
            say(
                _("You typed {number}. {meaning}.").format(
                    number=repr(number), meaning=target.describe()
                )
            )
            say(
                _(
                    "Ringing your phone (ext {extension})... the PBX holds the request until you "
                    "pick up."
                ).format(extension=settings.extension)
            )
            started = time.monotonic()
            placed = place_call(client, settings, log, target, CallOptions.from_settings(settings))
            # Translators: {seconds} is a duration, {message} the PBX's reply.
            say(
                _("Call placed after {seconds} s: {message} Call id {call_id}.").format(
                    seconds=f"{time.monotonic() - started:.1f}",
                    message=placed.message,
                    call_id=placed.uuid,
                )
            )
            busy = target_for(busy_number, settings)
            say(_("Now calling {number}, a simulated busy line...").format(number=busy.display))
            try:
                place_call(client, settings, log, busy, CallOptions.from_settings(settings))
            except DialerError as error:
                say(_("Call failed: {reason}").format(reason=error.sentence))
            say(
                _("Waiting for the recording of the first call (it appears after the call ends)...")
            )
            target_file = demo.profile / "recordings" / f"{placed.uuid}.wav"
            target_file.parent.mkdir(exist_ok=True)
            deadline = time.monotonic() + 30
            while True:
                try:
                    saved = client.download_recording(placed.uuid, target_file)
                    break
                except NotAvailable:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(1.0)
            size = saved.stat().st_size
            say(
                ngettext(
                    "Recording downloaded: {file}, {n} byte.",
                    "Recording downloaded: {file}, {n} bytes.",
                    size,
                ).format(file=saved.name, n=f"{size:,}")
            )
            say(_("Call history:"))
            for record in log.search(limit=10):
                outcome = record.status if record.status == "placed" else record.error
                say(f"  {record.display_number}  {outcome}")
    say(_("Demo finished."))
    return 0
