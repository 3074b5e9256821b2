"""Call recordings from the PBX: streamed to a .part file, resumed with Range, kept only whole."""

from __future__ import annotations

import binascii
import contextlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import requests

from a1dialer.core.audio import SNIFF_BYTES, sniff_audio
from a1dialer.core.errors import (
    AuthRejected,
    BadInput,
    Cancelled,
    DialerError,
    LocalProblem,
    NetworkFailure,
    NotAvailable,
    PbxRefused,
    UnexpectedReply,
)
from a1dialer.core.redaction import redact
from a1dialer.core.server_address import is_loopback_host
from a1dialer.core.translation import N_, _
from a1dialer.pbx import replies
from a1dialer.pbx.streamed_reply import StreamedReply

Progress = Callable[[int, int | None], None]

if TYPE_CHECKING:
    from a1dialer.pbx.client import PbxClient

NO_RECORDING = N_(
    "There is no recording for this call (yet): it appears a little after the call ends, and only "
    "for recorded calls."
)
CANCELLED = N_("The download was cancelled.")
AUDIO_SUFFIXES = (".wav", ".mp3", ".ogg", ".flac")
MAX_RESUMES = 5
# Byte ranges must count the file's own bytes, so a download is never content-encoded.
IDENTITY = {"Accept-Encoding": "identity"}
# How much of a reply that is not a recording (an error page, a JSON error) is worth reading.
_REPLY_HEAD = 64 * 1024
# A recording as JSON (a link, or base64 audio: 100 MB is some 75 minutes of 128 kbit/s MP3 or
# 8 kHz WAV), held once in memory while its base64 is decoded to the file.
MAX_RECORDING_JSON = 100_000_000
# A download is stalled when less than this arrives in a whole stall window (recording_timeout):
# a slow line still brings far more, a server dripping a byte a second far less.
STALL_PROGRESS = 16 * 1024
# Base64 is decoded to the file in blocks of this many characters, never held decoded whole.
_BASE64_BLOCK = 1 << 20
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.IGNORECASE)


def recording_path(dest: Path, fmt: str) -> Path:
    """``dest`` with the suffix of the audio type: an audio suffix is replaced, others kept."""
    if dest.suffix.lower() in AUDIO_SUFFIXES:
        return dest.with_suffix("." + fmt)
    return dest.with_name(f"{dest.name}.{fmt}")


class RecordingDownloader:
    """Downloads call recordings through one ``PbxClient``: resumed, bounded, never half-kept."""

    def __init__(self, client: PbxClient) -> None:
        self._client = client

    def download(
        self,
        uuid: str,
        dest: Path,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        chunk_size: int = 1 << 20,
    ) -> Path:
        """Download a call's recording to ``dest`` (suffix from the audio type); return the path.

        Streams to ``<dest>.part`` and renames only a complete audio file; a cancel or failure
        leaves no partial file behind. The reply's headers must come within
        ``recording_timeout``, and every such window must then bring at least 16 KiB until the
        reply ends (so a reply of an error page or a JSON error must be complete within it).
        """
        uuid = uuid.strip()
        if not uuid or any(ch.isspace() for ch in uuid) or len(uuid) > 100:
            raise BadInput(_("That is not a call id: paste the id shown for the call."))
        dest = Path(dest)
        part = dest.with_name(dest.name + ".part")
        download = _Download(part, progress, cancelled or _never, chunk_size)
        try:
            download.check_cancelled()
            fmt = self._fetch_recording(uuid, download)
            final = recording_path(dest, fmt)
            os.replace(part, final)
            return final
        except BaseException as exc:
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)
            if isinstance(exc, DialerError) or not isinstance(exc, OSError):
                raise
            if isinstance(exc, requests.RequestException):
                error = self._client.network_error(exc, self._client.recording_timeout)
            else:
                error = LocalProblem(
                    # Translators: {folder} is a path; {problem} the operating system's reason.
                    _(
                        "The recording could not be saved in {folder}: {problem}. Choose another "
                        "folder or free some disk space."
                    ).format(folder=dest.parent, problem=exc.strerror or exc),
                    redact(repr(exc)),
                )
        raise error

    def _fetch_recording(self, uuid: str, download: _Download) -> str:
        def fetch(offset: int) -> StreamedReply:
            return self._client.api_get(
                "call_recording",
                {"uuid": uuid},
                self._client.recording_timeout,
                min_progress=STALL_PROGRESS,
                headers={**IDENTITY, "Range": f"bytes={offset}-"} if offset else IDENTITY,
            )

        reply = fetch(0)
        status = reply.status
        headers = reply.headers
        if status != 200:
            body, _complete = self._client.read(reply, _REPLY_HEAD)
            return self._recording_from_reply(status, headers, body, download)
        # Decide by the bytes, not the Content-Type: audio is streamed to disk, anything else is
        # a reply to read (a JSON link or base64 audio, an error, an empty "not yet").
        head = self._read_start(reply)
        if sniff_audio(bytes(head[:SNIFF_BYTES])) is not None:
            return self._stream_to(reply, bytes(head), download, fetch)
        json_like = bytes(head.lstrip()[:1]) in (b"", b"{")
        body, complete = self._client.read(
            reply, MAX_RECORDING_JSON + 1 if json_like else _REPLY_HEAD, into=head
        )
        if json_like and not complete:
            raise UnexpectedReply(
                _(
                    "The PBX sent a recording reply of more than {size} MB, which A1 Dialer does "
                    "not read: tell your admin."
                ).format(size=MAX_RECORDING_JSON // 1_000_000),
                f"HTTP {status}: {replies.excerpt(bytes(body[:200]))}",
            )
        return self._recording_from_reply(status, headers, body, download)

    def _read_start(self, reply: StreamedReply) -> bytearray:
        """The first bytes of a reply, enough to tell audio (or the whole reply if shorter)."""
        head = bytearray()
        try:
            reply.read_start(head, SNIFF_BYTES)
        except requests.RequestException as exc:
            reply.close()
            error = self._client.reply_error(exc, reply.watch)
        else:
            return head
        raise error

    def _recording_from_reply(
        self, status: int, headers: dict[str, str], body: bytearray, download: _Download
    ) -> str:
        """A reply that did not start with audio bytes: a link, base64 audio, or why not."""
        error = replies.auth_or_redirect_error(status, headers)
        if error is not None:
            raise error
        details = f"HTTP {status}: {replies.excerpt(bytes(body[:1000]))}"
        if status >= 500:
            raise PbxRefused(_(replies.SERVER_ERROR), details)
        found = replies.parse_recording_json(body)
        if found is not None:
            value, payload = found
            message = str(value.get("message") or value.get("error") or "")
            if replies.is_denial(message):
                raise AuthRejected(_(replies.BAD_KEY), details)
            data = value.get("data") or value.get("audio") or value.get("base64")
            url = value.get("url") or value.get("download_url") or value.get("link")
            if status == 200 and isinstance(data, str) and data:
                span = payload.get(data)
                base64_text = memoryview(body)[span[0] : span[1]] if span else data.encode()
                return self._write_base64(base64_text, download)
            if status == 200 and isinstance(url, str) and url:
                return self._follow_url(url, download)
            raise NotAvailable(_(NO_RECORDING), details)
        head = bytes(body[:_REPLY_HEAD])
        if replies.looks_like_html(replies.header(headers, "Content-Type"), head):
            if replies.is_login_page(head):
                raise AuthRejected(_(replies.HTML_REPLY), details)
        elif replies.is_denial(head[:256].decode("utf-8", errors="replace").strip()):
            raise AuthRejected(_(replies.BAD_KEY), details)
        raise NotAvailable(_(NO_RECORDING), details)

    def _write_base64(self, text: memoryview | bytes, download: _Download) -> str:
        """Decode base64 audio block by block straight into the .part file."""
        expected = len(text) * 3 // 4
        written = 0
        error: UnexpectedReply | None = None
        with download.part.open("wb") as out:
            try:
                for audio in _base64_blocks(text):
                    if written == 0 and sniff_audio(audio[:SNIFF_BYTES]) is None:
                        raise NotAvailable(_(NO_RECORDING), "the base64 data is not audio")
                    download.check_cancelled()
                    out.write(audio)
                    written += len(audio)
                    download.report(written, max(expected, written))
            except (binascii.Error, ValueError):
                error = UnexpectedReply(
                    _("The PBX sent a recording A1 Dialer cannot read: tell your admin."),
                    "invalid base64",
                )
        if error is not None:
            raise error
        if written == 0:
            raise NotAvailable(_(NO_RECORDING), "the base64 data is empty")
        download.report(written, written)
        return download.check_audio()

    def _follow_url(self, url: str, download: _Download) -> str:
        url = urljoin(self._client.address.base_url, url)
        parts = urlsplit(url)
        host = parts.hostname or ""
        secure = parts.scheme == "https" or (
            parts.scheme == "http" and (is_loopback_host(host) or self._client.allow_insecure_http)
        )
        if not secure:
            raise UnexpectedReply(
                _(
                    "The PBX pointed to the recording over an insecure link, which A1 Dialer does "
                    "not follow: tell your admin."
                ),
                redact(url),
            )

        def fetch(offset: int) -> StreamedReply:
            # A plain GET with no key: the link is the server's own (pre-signed) address, maybe
            # on another host, which must not learn the key.
            headers = {**IDENTITY, "Range": f"bytes={offset}-"} if offset else IDENTITY
            return self._client.get(
                url,
                None,
                self._client.recording_timeout,
                min_progress=STALL_PROGRESS,
                headers=headers,
            )

        reply = fetch(0)
        if reply.status != 200:
            status, headers = reply.status, reply.headers
            body, _complete = self._client.read(reply, _REPLY_HEAD)
            error = replies.auth_or_redirect_error(status, headers)
            raise error or NotAvailable(
                _(NO_RECORDING), f"HTTP {status}: {replies.excerpt(bytes(body))}"
            )
        return self._stream_to(reply, b"", download, fetch)

    def _stream_to(
        self,
        reply: StreamedReply,
        head: bytes,
        download: _Download,
        fetch: Callable[[int], StreamedReply],
    ) -> str:
        """Write the body to the .part file, resuming (or restarting) after a broken connection.

        ``head`` is what was already read of ``reply``. A stalled reply is not resumed: a server
        that drips would only drip again.
        """
        total = reply.content_length
        received = 0
        resumes = 0
        with download.part.open("wb") as out:
            while True:
                broken = ""
                try:
                    with reply:
                        if received == 0:
                            # The start of the file (again, if the server ignored Range).
                            head = bytes(head or reply.read_start(bytearray(), SNIFF_BYTES))
                            if head and sniff_audio(head[:SNIFF_BYTES]) is None:
                                raise NotAvailable(
                                    _(NO_RECORDING),
                                    "the reply is not audio: " + replies.excerpt(head),
                                )
                        for chunk in reply.chunks(download.chunk_size, head):
                            download.check_cancelled()
                            out.write(chunk)
                            received += len(chunk)
                            download.report(received, total)
                except requests.RequestException as exc:
                    if reply.watch.expired:
                        break
                    broken = redact(f"{type(exc).__name__}: {exc}")
                if reply.watch.expired:
                    break
                if not broken:
                    if total is None or received >= total:
                        break
                    broken = f"the reply ended after {received} of {total} bytes"
                if resumes >= MAX_RESUMES:
                    raise NetworkFailure(
                        _(
                            "The connection to the PBX at {host} kept breaking during the "
                            "download: try again later."
                        ).format(host=self._client.address.host),
                        f"{resumes} resumes; last: {broken}",
                    )
                resumes += 1
                head = b""
                download.check_cancelled()
                reply = fetch(received)
                if reply.status == 200:  # the server ignored Range: start over
                    out.seek(0)
                    out.truncate()
                    received = 0
                    total = reply.content_length
                else:
                    total = _resumed_total(reply, received, total)
        if reply.watch.expired:
            raise self._client.too_slow(reply.watch, None)
        if received == 0:
            raise NotAvailable(_(NO_RECORDING), "empty reply")
        return download.check_audio()


_BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_NOT_BASE64 = bytes(sorted(set(range(256)) - set(_BASE64_ALPHABET)))
# The escapes a JSON encoder may put in a base64 string (PHP's json_encode writes "/" as "\/",
# and MIME-style base64 has line breaks); any other character outside the alphabet is skipped,
# as base64.b64decode(validate=False) does.
_JSON_ESCAPES = (
    (b"\\/", b"/"),
    (b"\\n", b""),
    (b"\\r", b""),
    (b"\\t", b""),
    (b"\\u002f", b"/"),
    (b"\\u002F", b"/"),
    (b"\\u002b", b"+"),
    (b"\\u002B", b"+"),
    (b"\\u003d", b"="),
    (b"\\u003D", b"="),
)


def _base64_blocks(text: memoryview | bytes) -> Iterator[bytes]:
    """The bytes of base64 ``text`` (as it stands inside a JSON string), a block at a time."""
    pending = b""
    carry = b""
    view = memoryview(text)
    for start in range(0, len(view), _BASE64_BLOCK):
        piece = carry + bytes(view[start : start + _BASE64_BLOCK])
        # An escape cut in two by the block's end waits for the next block.
        cut = piece.rfind(b"\\", max(0, len(piece) - 6))
        escape_length = 6 if piece[cut + 1 : cut + 2] == b"u" else 2
        if cut >= 0 and len(piece) - cut < escape_length:
            piece, carry = piece[:cut], piece[cut:]
        else:
            carry = b""
        for escape, plain in _JSON_ESCAPES:
            piece = piece.replace(escape, plain)
        piece = pending + piece.translate(None, _NOT_BASE64)
        usable = len(piece) - len(piece) % 4
        pending = piece[usable:]
        if usable:
            yield binascii.a2b_base64(piece[:usable])
    if pending or carry:
        # Incomplete base64 at the end: raises binascii.Error ("incorrect padding").
        yield binascii.a2b_base64(pending + carry.translate(None, _NOT_BASE64))


@dataclass
class _Download:
    """One recording download in progress: where it goes and whom to tell."""

    part: Path
    progress: Progress | None
    cancelled: Callable[[], bool]
    chunk_size: int

    def check_cancelled(self) -> None:
        if self.cancelled():
            raise Cancelled(_(CANCELLED))

    def report(self, received: int, total: int | None) -> None:
        if self.progress is not None:
            self.progress(received, total)

    def check_audio(self) -> str:
        """The audio type of the finished .part file, from its first bytes."""
        with self.part.open("rb") as handle:
            fmt = sniff_audio(handle.read(SNIFF_BYTES))
        if fmt is None:
            raise NotAvailable(_(NO_RECORDING), "the reply is not audio")
        return fmt


def _resumed_total(reply: StreamedReply, offset: int, total: int | None) -> int | None:
    """The file size after checking that a reply resumes at ``offset`` of the same file."""
    content_range = replies.header(reply.headers, "Content-Range")
    found = _CONTENT_RANGE.fullmatch(content_range.strip())
    size = None if found is None or found.group(3) == "*" else int(found.group(3))
    if (
        reply.status == 206
        and found is not None
        and int(found.group(1)) == offset
        and (total is None or size in (None, total))
    ):
        return total if total is not None else size
    reply.close()
    raise UnexpectedReply(
        _("The PBX could not resume the recording download: try again."),
        f"HTTP {reply.status} from byte {offset}, Content-Range {content_range or '(none)'}",
    )


def _never() -> bool:
    return False
