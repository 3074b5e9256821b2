"""Headless Chromium with the unpacked extension, driven over the DevTools protocol's pipe.

Used by the browser test, the detection benchmark and the extension's screenshot. The pipe
(``--remote-debugging-pipe``: commands on fd 3, replies on fd 4, each a JSON text ending in NUL)
needs no WebSocket library and opens no port.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EXTENSION = REPO / "browser" / "extension"
HOST_NAME = "com.a1dialer.native"


def chromium_path() -> str | None:
    """Debian's Chromium (or another Chromium-based browser on PATH), or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class ProtocolError(Exception):
    """Chromium answered a command with an error, or went away."""


class Chromium:
    """A headless Chromium in a throw-away profile with the extension loaded.

    ``host_command`` is the native messaging host this profile's browser starts (its manifest
    goes to ``<profile>/NativeMessagingHosts``, where Chromium looks when given a user data dir).
    """

    def __init__(
        self,
        executable: str,
        *,
        host_command: list[str] | None = None,
        extension_id: str = "",
        env: dict[str, str] | None = None,
        window: tuple[int, int] = (1100, 800),
    ) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="a1dialer-chromium-"))
        if host_command is not None:
            self._install_host(host_command, extension_id)
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        args = [
            "--headless=new",
            "--remote-debugging-pipe",
            f"--user-data-dir={self.profile}",
            f"--load-extension={EXTENSION}",
            f"--disable-extensions-except={EXTENSION}",
            f"--window-size={window[0]},{window[1]}",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--font-render-hinting=none",
            "about:blank",
        ]
        if hasattr(os, "getuid") and os.getuid() == 0:
            args.insert(0, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        # The shell puts the pipes at the fd numbers Chromium expects (no preexec hook: threads).
        self.log = self.profile / "chromium.log"
        log = self.log.open("wb")
        self.process = subprocess.Popen(
            [
                "/bin/bash",  # dash takes single-digit descriptors only
                "-c",
                f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}',
                executable,
                *args,
            ],
            pass_fds=(to_browser_r, from_browser_w),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env=env,
        )
        log.close()
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._writer = os.fdopen(to_browser_w, "wb", buffering=0)
        self._reader = os.fdopen(from_browser_r, "rb", buffering=0)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def _install_host(self, command: list[str], extension_id: str) -> None:
        """The host manifest and a launcher script (a manifest's path takes no arguments)."""
        folder = self.profile / "NativeMessagingHosts"
        folder.mkdir(parents=True)
        launcher = self.profile / "native-host.sh"
        quoted = " ".join("'" + part.replace("'", "'\\''") + "'" for part in command)
        launcher.write_text(f'#!/bin/sh\nexec {quoted} "$@"\n', encoding="utf-8")
        launcher.chmod(0o755)
        manifest = {
            "name": HOST_NAME,
            "description": "A1 Dialer",
            "path": str(launcher),
            "type": "stdio",
            "allowed_origins": [f"chrome-extension://{extension_id}/"],
        }
        (folder / f"{HOST_NAME}.json").write_text(json.dumps(manifest), encoding="utf-8")

    def __enter__(self) -> Chromium:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(ProtocolError, OSError):  # already gone
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self._writer.close()
        self._reader.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 30,
    ) -> dict[str, Any]:
        """Run one protocol command and return its result (events meanwhile go to ``events``)."""
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            command["sessionId"] = session
        self._writer.write(json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            message = self._read(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise ProtocolError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.events.append(message)

    def _read(self, deadline: float) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProtocolError(f"Chromium did not answer in time: {self._log_tail()}")
            ready, _, _ = select.select([self._reader], [], [], left)
            if ready:
                chunk = self._reader.read(1 << 16)
                if not chunk:
                    raise ProtocolError(f"Chromium closed the pipe: {self._log_tail()}")
                self._buffer += chunk
        text, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(text)
        return message

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-2000:]
        except OSError:
            return "(no log)"

    def attach(self, target_id: str) -> str:
        return str(
            self.send("Target.attachToTarget", {"targetId": target_id, "flatten": True})[
                "sessionId"
            ]
        )

    def wait_for_target(self, kind: str, url_prefix: str, timeout: float = 30) -> str:
        """The id of the first target of ``kind`` whose URL starts with ``url_prefix``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for info in self.send("Target.getTargets")["targetInfos"]:
                if info["type"] == kind and info["url"].startswith(url_prefix):
                    return str(info["targetId"])
            time.sleep(0.1)  # another process starting its worker: nothing to await but polling
        raise ProtocolError(f"no {kind} target at {url_prefix}")

    def open_page(self, url: str) -> str:
        """Open ``url`` in a new tab; its session, once the page has loaded."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.attach(target)
        self.send("Page.enable", session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_for(session, "document.readyState === 'complete'")
        return session

    def evaluate(self, session: str, expression: str, timeout: float = 30) -> Any:
        """The value of ``expression`` (awaited when it is a promise) in the page's own world."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            session=session,
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            raise ProtocolError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, session: str, condition: str, timeout: float = 30) -> None:
        """Until ``condition`` is true in the page (checked on each animation frame) or worker."""
        script = f"""new Promise((resolve, reject) => {{
            const started = performance.now();
            const check = () => {{
                if ({condition}) resolve(true);
                else if (performance.now() - started > {timeout * 1000}) reject("timed out");
                else if (globalThis.requestAnimationFrame) requestAnimationFrame(check);
                else setTimeout(check, 16);
            }};
            check();
        }})"""
        self.evaluate(session, script, timeout=timeout + 5)

    def click(self, session: str, x: float, y: float) -> None:
        """A real left click at ``x``, ``y`` (CSS pixels of the page's viewport)."""
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
                session=session,
            )

    def screenshot(self, session: str, path: Path) -> None:
        import base64

        data = self.send("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
        path.write_bytes(base64.b64decode(data))


def extension_worker(browser: Chromium, extension_id: str) -> str:
    """A session in the extension's service worker (where ``globalThis.a1dialer`` lives)."""
    target = browser.wait_for_target("service_worker", f"chrome-extension://{extension_id}/")
    session = browser.attach(target)
    # A worker caught while starting waits for the debugger before running its script.
    browser.send("Runtime.runIfWaitingForDebugger", session=session)
    browser.wait_for(session, "globalThis.a1dialer !== undefined")
    return session
