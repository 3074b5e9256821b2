"""The A1PBX REST client: strict about what it sends, forgiving but honest about what it receives.

One ``requests.Session`` per server, HTTPS with verification (plain HTTP only to loopback unless the
admin allowed it), redirects never followed, and an originate sent exactly once: no automatic
retry, because a retry can ring the customer twice. Recording downloads are idempotent and are
resumed with HTTP Range after a broken connection. Every reply is streamed and bounded: in time
(a deadline for the whole reply, or for a download a least progress per stall window, see
``reply_watch``) and in size (an originate reply over 1 MB is not read).
"""

from __future__ import annotations

import binascii
import contextlib
import logging
import os
import re
import uuid as uuidlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import SSLError as Urllib3SSLError
from urllib3.util.retry import Retry

from a1dialer import __version__
from a1dialer.core.audio import SNIFF_BYTES, sniff_audio
from a1dialer.core.errors import (
    AuthRejected,
    BadInput,
    Cancelled,
    DialerError,
    LocalProblem,
    NetworkFailure,
    NotAvailable,
    OutcomeUnknown,
    PbxRefused,
    UnexpectedReply,
)
from a1dialer.core.plain_text import caller_id_name
from a1dialer.core.redaction import RedactingFilter, redact, register_secret
from a1dialer.core.server import check_transport, is_loopback_host, parse_server
from a1dialer.pbx import replies
from a1dialer.pbx.reply_watch import ReplyWatch, WatchedAdapter, watching

if TYPE_CHECKING:
    from a1dialer.core.settings import Settings

Progress = Callable[[int, int | None], None]
NO_RECORDING = (
    "There is no recording for this call (yet): it appears a little after the call ends, and only "
    "for recorded calls."
)
CANCELLED = "The download was cancelled."
PARAMETER_SPELLINGS = ("both", "table")
AUDIO_SUFFIXES = (".wav", ".mp3", ".ogg", ".flac")
MAX_RESUMES = 5
# Byte ranges must count the file's own bytes, so a download is never content-encoded.
_IDENTITY = {"Accept-Encoding": "identity"}
# How much of a reply that is not a recording (an error page, a JSON error) is worth reading.
_REPLY_HEAD = 64 * 1024
# An originate reply is a line or a small JSON object: anything bigger is not read to its end.
MAX_ORIGINATE_REPLY = 1_000_000
# A recording as JSON (a link, or base64 audio: 100 MB is some 75 minutes of 128 kbit/s MP3 or
# 8 kHz WAV), held once in memory while its base64 is decoded to the file.
MAX_RECORDING_JSON = 100_000_000
# A download is stalled when less than this arrives in a whole stall window (recording_timeout):
# a slow line still brings far more, a server dripping a byte a second far less.
STALL_PROGRESS = 16 * 1024
# Base64 is decoded to the file in blocks of this many characters, never held decoded whole.
_BASE64_BLOCK = 1 << 20
# urllib3 logs request lines and retry decisions with the full URL (key= included) at DEBUG.
_URL_LOGGERS = ("urllib3.connectionpool", "urllib3.poolmanager", "urllib3.util.retry")
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.IGNORECASE)


@dataclass(frozen=True)
class CallRequest:
    """One click-to-call: ring ``extension`` first, then dial ``destination``."""

    destination: str
    extension: str
    caller_id_number: str
    caller_id_name: str = ""
    contact_name: str = ""
    ringback: str = "us-ring"
    auto_answer: bool = False
    record: bool = False
    uuid: str = field(default_factory=lambda: str(uuidlib.uuid4()))


@dataclass(frozen=True)
class CallPlaced:
    """The PBX accepted the call: the rep's leg is set up. Not "connected" to the customer."""

    uuid: str
    server_uuid: str | None
    message: str
    # Why the call log could not be updated with this outcome ("" when it was): the call is
    # placed all the same, and the rep is told so beside the call id.
    log_problem: str = ""


def _bool(value: bool) -> str:
    return "true" if value else "false"


def originate_params(call: CallRequest, spelling: str = "both") -> dict[str, str]:
    """The originate query parameters (without the key), per the notes' Decisions 1 and 2."""
    params = {
        "origination_uuid": call.uuid,
        # The source leg rings the rep, so it shows the customer being called (their name when
        # the rep gave one, else the number, rather than a blank or the company's own name).
        "src_cid_name": caller_id_name(call.contact_name) or call.destination,
        "src_cid_number": call.destination,
        # The destination leg rings the customer, so it shows the company.
        "dst_cid_name": caller_id_name(call.caller_id_name),
        "des_cid_number": call.caller_id_number,
        "src": call.extension,
        "dest": call.destination,
        "auto_answer": _bool(call.auto_answer),
        "rec": _bool(call.record),
        "ringback": call.ringback,
    }
    if spelling == "both":
        params.update(
            dest_cid_name=params["dst_cid_name"],
            dest_cid_number=params["des_cid_number"],
            source=params["src"],
            destination=params["dest"],
        )
    return params


def _redact_url_logs() -> None:
    """Mask the key where urllib3 makes its log records, so no handler anywhere can show it."""
    for name in _URL_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactingFilter) for existing in logger.filters):
            logger.addFilter(RedactingFilter())


def recording_path(dest: Path, fmt: str) -> Path:
    """``dest`` with the suffix of the audio type: an audio suffix is replaced, others kept."""
    if dest.suffix.lower() in AUDIO_SUFFIXES:
        return dest.with_suffix("." + fmt)
    return dest.with_name(f"{dest.name}.{fmt}")


class PbxClient:
    """Talks to one A1PBX. Thread-safe enough for one call and one download at a time."""

    def __init__(
        self,
        server: str,
        api_key: str,
        *,
        ca_bundle: str = "",
        allow_insecure_http: bool = False,
        parameter_spelling: str = "both",
        connect_timeout: float = 5.0,
        originate_timeout: float = 90.0,
        recording_timeout: float = 30.0,
    ) -> None:
        self.address = parse_server(server)
        check_transport(self.address, allow_insecure_http=allow_insecure_http)
        if not api_key.strip():
            raise LocalProblem("No API key is set: enter it in Settings.")
        if parameter_spelling not in PARAMETER_SPELLINGS:
            raise BadInput(
                f"The parameter spelling must be one of {', '.join(PARAMETER_SPELLINGS)}: "
                "fix it in Settings."
            )
        self._key = api_key.strip()
        register_secret(self._key)
        _redact_url_logs()
        self._allow_insecure_http = allow_insecure_http
        self._spelling = parameter_spelling
        self._connect_timeout = connect_timeout
        self._originate_timeout = originate_timeout
        self._recording_timeout = recording_timeout
        if ca_bundle:
            path = Path(ca_bundle).expanduser()
            if not path.is_file():
                raise BadInput(f"The CA bundle {path} does not exist: fix it in Settings.")
        self._session = requests.Session()
        self._session.headers["User-Agent"] = f"A1Dialer/{__version__} (+python-requests)"
        # Environment proxies and .netrc must not see or alter the key-bearing URLs.
        self._session.trust_env = False
        self._session.verify = str(Path(ca_bundle).expanduser()) if ca_bundle else True
        # Never resend a request: not on connect errors, not on reads, not on redirects, and not
        # the silent resend urllib3 would otherwise do when a kept-alive connection turns out to
        # be closed. ``read=False`` re-raises read errors as they are (a read timeout stays a
        # ReadTimeout, not a "Max retries exceeded" ConnectionError), so a slow originate is
        # reported as "your phone may still ring", not as "cannot reach the PBX".
        no_retry = Retry(
            total=0,
            connect=0,
            read=False,
            redirect=0,
            status=0,
            other=0,
            raise_on_redirect=False,
            raise_on_status=False,
        )
        adapter = WatchedAdapter(max_retries=no_retry)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)

    @classmethod
    def from_settings(cls, settings: Settings, api_key: str) -> PbxClient:
        return cls(
            settings.server,
            api_key,
            ca_bundle=settings.ca_bundle,
            allow_insecure_http=settings.allow_insecure_http,
            parameter_spelling=settings.parameter_spelling,
        )

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> PbxClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- requests ----------------------------------------------------------------------------
    def _get(
        self,
        url: str,
        params: dict[str, str] | None,
        window: float,
        *,
        min_progress: int | None = None,
        headers: dict[str, str] | None = None,
        extension: str | None = None,
    ) -> _Reply:
        """One GET, never redirected or retried, its reply watched from now on (see ``ReplyWatch``).

        Network errors become a ``DialerError``, raised outside the ``except`` block so that it
        carries no ``__context__``: requests' exception (and the request inside it) holds the URL
        with the key.
        """
        watch = ReplyWatch(window, min_progress)
        try:
            with watching(watch):
                response = self._session.get(
                    url,
                    params=params,
                    timeout=(self._connect_timeout, window),
                    allow_redirects=False,
                    stream=True,
                    headers=headers,
                )
        except requests.RequestException as exc:
            watch.stop()
            error = self._reply_error(exc, watch, extension)
        except BaseException:  # Ctrl+C: the watch has nothing left to cut
            watch.stop()
            raise
        else:
            if not watch.expired:
                return _Reply(response, watch)
            # Cut while the headers came: http.client takes the end of the stream for the end
            # of the headers, so what arrived is not a reply to go by.
            response.close()
            error = self._too_slow(watch, extension)
        raise error

    def _api_get(
        self,
        endpoint: str,
        params: dict[str, str],
        window: float,
        *,
        min_progress: int | None = None,
        headers: dict[str, str] | None = None,
        extension: str | None = None,
    ) -> _Reply:
        return self._get(
            self.address.base_url + endpoint,
            {"key": self._key, **params},
            window,
            min_progress=min_progress,
            headers=headers,
            extension=extension,
        )

    def _reply_error(
        self, exc: BaseException, watch: ReplyWatch, extension: str | None = None
    ) -> DialerError:
        """The error for a failed request or read: the time limit's when the watch cut it."""
        if watch.expired:
            return self._too_slow(watch, extension)
        return self._network_error(exc, watch.window, extension)

    def _too_slow(self, watch: ReplyWatch, extension: str | None) -> DialerError:
        """The reply did not come within its deadline, or a download stalled."""
        details = (
            f"given up after {watch.window:g} s; {watch.total} body bytes had arrived"
            f"{'' if watch.headers_arrived else ', no headers'}"
        )
        if extension is not None:
            return OutcomeUnknown(
                f"The PBX did not answer within {watch.window:g} s; your phone (ext {extension}) "
                "may still ring: check it before calling again.",
                details,
            )
        if watch.min_progress is not None and watch.headers_arrived:
            return NetworkFailure(
                f"The download from the PBX at {self.address.host} stalled: try again.", details
            )
        return NetworkFailure(
            f"The PBX at {self.address.host} did not answer within {watch.window:g} s: try again.",
            details,
        )

    def _network_error(
        self, exc: BaseException, read_timeout: float, extension: str | None = None
    ) -> DialerError:
        """One sentence per kind of network failure; ``extension`` marks an originate in flight."""
        host = self.address.host
        details = redact(f"{type(exc).__name__}: {exc}")
        may_ring = f"; your phone (ext {extension}) may still ring: check it before calling again."
        if isinstance(exc, requests.exceptions.SSLError):
            return NetworkFailure(
                f"The certificate of {host} could not be verified: if your PBX uses a private "
                "certificate, set its CA bundle in Settings.",
                details,
            )
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return NetworkFailure(
                f"The PBX at {host} did not respond within {self._connect_timeout:g} s: check "
                "your network connection and the server address.",
                details,
            )
        args = getattr(exc, "args", ())
        if isinstance(exc, requests.exceptions.ReadTimeout) or any(
            isinstance(arg, ReadTimeoutError) for arg in args
        ):
            if extension is not None:
                return OutcomeUnknown(
                    f"The PBX did not answer within {read_timeout:g} s{may_ring}",
                    details,
                )
            return NetworkFailure(
                f"The PBX at {host} did not answer within {read_timeout:g} s: try again.",
                details,
            )
        # A connection that breaks after the request went out (reset, closed, cut-off reply), as
        # opposed to one that could not be opened at all.
        sent = isinstance(
            exc,
            requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError,
        ) or any(isinstance(arg, ProtocolError) for arg in args)
        if sent and extension is not None:
            return OutcomeUnknown(
                f"The PBX dropped the connection before answering{may_ring}", details
            )
        if sent:
            return NetworkFailure(f"The connection to the PBX at {host} broke: try again.", details)
        return NetworkFailure(
            f"Cannot reach the PBX at {host}: check your network connection and the server "
            "address.",
            details,
        )

    def _read(
        self,
        reply: _Reply,
        limit: int,
        *,
        into: bytearray | None = None,
        extension: str | None = None,
    ) -> tuple[bytearray, bool]:
        """Read a reply to its end or to ``limit`` bytes in all, then close it.

        Returns the bytes (``into`` extended, if given) and whether the reply ended within them.
        """
        body = into if into is not None else bytearray()
        try:
            with reply:
                complete = reply.read_into(body, limit)
        except requests.RequestException as exc:
            error = self._reply_error(exc, reply.watch, extension)
        else:
            if not (complete and reply.watch.expired):
                return body, complete
            # The watch cut a reply that had no length: what ended it was the time limit.
            error = self._too_slow(reply.watch, extension)
        raise error

    # -- originate ---------------------------------------------------------------------------
    def originate(self, call: CallRequest) -> CallPlaced:
        """Ask the PBX to ring the rep's phone, then the customer. Sends exactly one request.

        The whole reply must come within ``originate_timeout`` and be at most 1 MB.
        """
        if not call.destination.strip():
            raise BadInput("Enter the number to call.")
        if not call.extension.strip():
            raise LocalProblem("Your extension is not set: enter it in Settings.")
        if not call.caller_id_number.strip():
            raise LocalProblem(
                "The caller-ID number your customers see is not set: enter it in Settings."
            )
        reply = self._api_get(
            "originate",
            originate_params(call, self._spelling),
            self._originate_timeout,
            extension=call.extension,
        )
        body, complete = self._read(reply, MAX_ORIGINATE_REPLY + 1, extension=call.extension)
        server_uuid = replies.originate_outcome(
            reply.status, reply.headers, bytes(body), call.extension, complete=complete
        )
        return CallPlaced(
            call.uuid,
            server_uuid,
            f"The PBX accepted the call: your phone (ext {call.extension}) rings or is "
            "connecting to the customer.",
        )

    # -- connection test ---------------------------------------------------------------------
    def check_connection(self) -> str:
        """Check server, TLS and key without placing a call: ask for a random call's recording."""
        reply = self._api_get(
            "call_recording",
            {"uuid": str(uuidlib.uuid4())},
            self._recording_timeout,
            headers=_IDENTITY,
        )
        status = reply.status
        headers = reply.headers
        head = bytes(self._read(reply, 4096)[0])
        error = replies.auth_or_redirect_error(status, headers)
        if error is not None:
            raise error
        details = f"HTTP {status}: {replies.excerpt(head)}"
        if replies.looks_like_html(replies.header(headers, "Content-Type"), head):
            if status == 404:
                raise PbxRefused(replies.NO_API, details)
            if status < 500:
                raise AuthRejected(replies.HTML_REPLY, details)
        if status >= 500:
            raise PbxRefused(replies.SERVER_ERROR, details)
        value = replies.parse_json(head)
        if value is None and replies.is_denial(head.decode("utf-8", errors="replace")):
            raise AuthRejected(replies.BAD_KEY, details)
        if status == 404 and value is None and head.strip():
            raise PbxRefused(replies.NO_API, details)
        # A 404 JSON error, an empty 200 or a JSON "no such recording": the key was accepted.
        return f"Connected to {self.address.host}: the API key was accepted."

    # -- recordings --------------------------------------------------------------------------
    def download_recording(
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
            raise BadInput("That is not a call id: paste the id shown for the call.")
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
                error = self._network_error(exc, self._recording_timeout)
            else:
                error = LocalProblem(
                    f"The recording could not be saved in {dest.parent}: "
                    f"{exc.strerror or exc}. Choose another folder or free some disk space.",
                    redact(repr(exc)),
                )
        raise error

    def _fetch_recording(self, uuid: str, download: _Download) -> str:
        def fetch(offset: int) -> _Reply:
            return self._api_get(
                "call_recording",
                {"uuid": uuid},
                self._recording_timeout,
                min_progress=STALL_PROGRESS,
                headers={**_IDENTITY, "Range": f"bytes={offset}-"} if offset else _IDENTITY,
            )

        reply = fetch(0)
        status = reply.status
        headers = reply.headers
        if status != 200:
            body, _ = self._read(reply, _REPLY_HEAD)
            return self._recording_from_reply(status, headers, body, download)
        # Decide by the bytes, not the Content-Type: audio is streamed to disk, anything else is
        # a reply to read (a JSON link or base64 audio, an error, an empty "not yet").
        head = self._read_start(reply)
        if sniff_audio(bytes(head[:SNIFF_BYTES])) is not None:
            return self._stream_to(reply, bytes(head), download, fetch)
        json_like = bytes(head.lstrip()[:1]) in (b"", b"{")
        body, complete = self._read(
            reply, MAX_RECORDING_JSON + 1 if json_like else _REPLY_HEAD, into=head
        )
        if json_like and not complete:
            raise UnexpectedReply(
                f"The PBX sent a recording reply of more than {MAX_RECORDING_JSON // 1_000_000} "
                "MB, which A1 Dialer does not read: tell your admin.",
                f"HTTP {status}: {replies.excerpt(bytes(body[:200]))}",
            )
        return self._recording_from_reply(status, headers, body, download)

    def _read_start(self, reply: _Reply) -> bytearray:
        """The first bytes of a reply, enough to tell audio (or the whole reply if shorter)."""
        head = bytearray()
        try:
            reply.read_start(head, SNIFF_BYTES)
        except requests.RequestException as exc:
            reply.close()
            error = self._reply_error(exc, reply.watch)
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
            raise PbxRefused(replies.SERVER_ERROR, details)
        found = replies.parse_recording_json(body)
        if found is not None:
            value, payload = found
            message = str(value.get("message") or value.get("error") or "")
            if replies.is_denial(message):
                raise AuthRejected(replies.BAD_KEY, details)
            data = value.get("data") or value.get("audio") or value.get("base64")
            url = value.get("url") or value.get("download_url") or value.get("link")
            if status == 200 and isinstance(data, str) and data:
                span = payload.get(data)
                base64_text = memoryview(body)[span[0] : span[1]] if span else data.encode()
                return self._write_base64(base64_text, download)
            if status == 200 and isinstance(url, str) and url:
                return self._follow_url(url, download)
            raise NotAvailable(NO_RECORDING, details)
        head = bytes(body[:_REPLY_HEAD])
        if replies.looks_like_html(replies.header(headers, "Content-Type"), head):
            if replies.is_login_page(head):
                raise AuthRejected(replies.HTML_REPLY, details)
        elif replies.is_denial(head[:256].decode("utf-8", errors="replace").strip()):
            raise AuthRejected(replies.BAD_KEY, details)
        raise NotAvailable(NO_RECORDING, details)

    def _write_base64(self, text: memoryview | bytes, download: _Download) -> str:
        """Decode base64 audio block by block straight into the .part file."""
        expected = len(text) * 3 // 4
        written = 0
        error: UnexpectedReply | None = None
        with download.part.open("wb") as out:
            try:
                for audio in _base64_blocks(text):
                    if written == 0 and sniff_audio(audio[:SNIFF_BYTES]) is None:
                        raise NotAvailable(NO_RECORDING, "the base64 data is not audio")
                    download.check_cancelled()
                    out.write(audio)
                    written += len(audio)
                    download.report(written, max(expected, written))
            except (binascii.Error, ValueError):
                error = UnexpectedReply(
                    "The PBX sent a recording A1 Dialer cannot read: tell your admin.",
                    "invalid base64",
                )
        if error is not None:
            raise error
        if written == 0:
            raise NotAvailable(NO_RECORDING, "the base64 data is empty")
        download.report(written, written)
        return download.check_audio()

    def _follow_url(self, url: str, download: _Download) -> str:
        url = urljoin(self.address.base_url, url)
        parts = urlsplit(url)
        host = parts.hostname or ""
        secure = parts.scheme == "https" or (
            parts.scheme == "http" and (is_loopback_host(host) or self._allow_insecure_http)
        )
        if not secure:
            raise UnexpectedReply(
                "The PBX pointed to the recording over an insecure link, which A1 Dialer does "
                "not follow: tell your admin.",
                redact(url),
            )

        def fetch(offset: int) -> _Reply:
            # A plain GET with no key: the link is the server's own (pre-signed) address, maybe
            # on another host, which must not learn the key.
            headers = {**_IDENTITY, "Range": f"bytes={offset}-"} if offset else _IDENTITY
            return self._get(
                url,
                None,
                self._recording_timeout,
                min_progress=STALL_PROGRESS,
                headers=headers,
            )

        reply = fetch(0)
        if reply.status != 200:
            status, headers = reply.status, reply.headers
            body, _ = self._read(reply, _REPLY_HEAD)
            error = replies.auth_or_redirect_error(status, headers)
            raise error or NotAvailable(
                NO_RECORDING, f"HTTP {status}: {replies.excerpt(bytes(body))}"
            )
        return self._stream_to(reply, b"", download, fetch)

    def _stream_to(
        self,
        reply: _Reply,
        head: bytes,
        download: _Download,
        fetch: Callable[[int], _Reply],
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
                                    NO_RECORDING,
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
                        f"The connection to the PBX at {self.address.host} kept breaking during "
                        "the download: try again later.",
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
            raise self._too_slow(reply.watch, None)
        if received == 0:
            raise NotAvailable(NO_RECORDING, "empty reply")
        return download.check_audio()


class _Reply:
    """One streamed reply and the watch on it: reading counts progress, closing ends the watch."""

    def __init__(self, response: requests.Response, watch: ReplyWatch) -> None:
        self.response = response
        self.watch = watch
        self.status = response.status_code
        self.headers = dict(response.headers)

    @property
    def content_length(self) -> int | None:
        value = self.response.headers.get("Content-Length")
        if value and value.isdigit():
            return int(value)
        return None

    def chunks(self, size: int, head: bytes = b"") -> Iterator[bytes]:
        """``head`` (already read), then the rest of the body as it arrives, at most ``size``
        bytes at a time; urllib3's errors are raised as requests' (as ``iter_content`` does)."""
        if head:
            yield head
        raw = self.response.raw
        while True:
            try:
                # read1, not read: read(size) waits until ``size`` bytes have come, which a slow
                # line may take longer than a stall window for, so progress would go unseen.
                chunk = raw.read1(size)
            except ProtocolError as exc:
                raise requests.exceptions.ChunkedEncodingError(exc) from exc
            except DecodeError as exc:
                raise requests.exceptions.ContentDecodingError(exc) from exc
            except ReadTimeoutError as exc:
                raise requests.exceptions.ConnectionError(exc) from exc
            except Urllib3SSLError as exc:
                raise requests.exceptions.SSLError(exc) from exc
            except Urllib3Error as exc:
                raise requests.exceptions.ConnectionError(exc) from exc
            if not chunk:
                self.watch.stop()
                # A body read to its end leaves the connection to be used again (keep-alive).
                if not self.watch.expired:
                    self.response.raw.release_conn()
                return
            self.watch.received(len(chunk))
            yield chunk

    def read_into(self, body: bytearray, limit: int) -> bool:
        """Extend ``body`` until the reply ends (True) or ``body`` holds ``limit`` bytes."""
        while len(body) < limit:
            chunk = next(self.chunks(limit - len(body)), None)
            if chunk is None:
                return True
            body += chunk
        return False

    def read_start(self, body: bytearray, size: int) -> bytearray:
        """Extend ``body`` until it holds ``size`` bytes or the reply ends."""
        self.read_into(body, size)
        return body

    def close(self) -> None:
        self.watch.stop()
        self.response.close()

    def __enter__(self) -> _Reply:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


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
            raise Cancelled(CANCELLED)

    def report(self, received: int, total: int | None) -> None:
        if self.progress is not None:
            self.progress(received, total)

    def check_audio(self) -> str:
        """The audio type of the finished .part file, from its first bytes."""
        with self.part.open("rb") as handle:
            fmt = sniff_audio(handle.read(SNIFF_BYTES))
        if fmt is None:
            raise NotAvailable(NO_RECORDING, "the reply is not audio")
        return fmt


def _resumed_total(reply: _Reply, offset: int, total: int | None) -> int | None:
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
        "The PBX could not resume the recording download: try again.",
        f"HTTP {reply.status} from byte {offset}, Content-Range {content_range or '(none)'}",
    )


def _never() -> bool:
    return False
