"""The A1PBX REST client: strict about what it sends, forgiving but honest about what it receives.

One ``requests.Session`` per server, HTTPS with verification (plain HTTP only to loopback unless the
admin allowed it), redirects never followed, and an originate sent exactly once: no automatic
retry, because a retry can ring the customer twice. Recording downloads are idempotent and are
resumed with HTTP Range after a broken connection.
"""

from __future__ import annotations

import base64
import binascii
import os
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
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
    PbxRefused,
    UnexpectedReply,
)
from a1dialer.core.redaction import redact, register_secret
from a1dialer.core.server import check_transport, is_loopback_host, parse_server
from a1dialer.pbx import replies

if TYPE_CHECKING:
    from a1dialer.core.settings import Settings

Progress = Callable[[int, int | None], None]
NO_RECORDING = (
    "There is no recording for this call (yet): it appears a little after the call ends, and only "
    "for recorded calls."
)
MAX_RESUMES = 5


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


def _bool(value: bool) -> str:
    return "true" if value else "false"


def originate_params(call: CallRequest, spelling: str = "both") -> dict[str, str]:
    """The originate query parameters (without the key), per the notes' Decisions 1 and 2."""
    params = {
        "origination_uuid": call.uuid,
        # The source leg rings the rep, so it shows the customer being called.
        "src_cid_name": call.contact_name or call.destination,
        "src_cid_number": call.destination,
        # The destination leg rings the customer, so it shows the company.
        "dst_cid_name": call.caller_id_name,
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
        self._key = api_key.strip()
        register_secret(self._key)
        self._allow_insecure_http = allow_insecure_http
        self._spelling = parameter_spelling
        self._connect_timeout = connect_timeout
        self._originate_timeout = originate_timeout
        self._recording_timeout = recording_timeout
        self._session = requests.Session()
        self._session.headers["User-Agent"] = f"A1Dialer/{__version__} (+python-requests)"
        # Environment proxies and .netrc must not see or alter the key-bearing URLs.
        self._session.trust_env = False
        if ca_bundle:
            path = Path(ca_bundle).expanduser()
            if not path.is_file():
                raise BadInput(f"The CA bundle {path} does not exist: fix it in Settings.")
            self._session.verify = str(path)
        else:
            self._session.verify = True
        # Never resend a request: not on connect errors, not on reads, not on redirects.
        no_retry = Retry(
            total=0,
            connect=0,
            read=0,
            redirect=0,
            status=0,
            other=0,
            raise_on_redirect=False,
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=no_retry)
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
        endpoint: str,
        params: dict[str, str],
        read_timeout: float,
        *,
        stream: bool = False,
        headers: dict[str, str] | None = None,
        extension: str | None = None,
    ) -> requests.Response:
        url = self.address.base_url + endpoint
        try:
            return self._session.get(
                url,
                params={"key": self._key, **params},
                timeout=(self._connect_timeout, read_timeout),
                allow_redirects=False,
                stream=stream,
                headers=headers,
            )
        except requests.RequestException as exc:
            raise self._network_error(exc, read_timeout, extension) from None

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
        if isinstance(exc, requests.exceptions.ReadTimeout):
            if extension is not None:
                return NetworkFailure(
                    f"The PBX did not answer within {read_timeout:g} s{may_ring}", details
                )
            return NetworkFailure(
                f"The PBX at {host} did not answer within {read_timeout:g} s: try again.", details
            )
        sent = "aborted" in str(exc).lower() or "RemoteDisconnected" in str(exc)
        if extension is not None and sent:
            return NetworkFailure(
                f"The PBX dropped the connection before answering{may_ring}", details
            )
        if sent:
            return NetworkFailure(f"The connection to the PBX at {host} broke: try again.", details)
        return NetworkFailure(
            f"Cannot reach the PBX at {host}: check your network connection and the server "
            "address.",
            details,
        )

    # -- originate ---------------------------------------------------------------------------
    def originate(self, call: CallRequest) -> CallPlaced:
        """Ask the PBX to ring the rep's phone, then the customer. Sends exactly one request."""
        response = self._get(
            "originate",
            originate_params(call, self._spelling),
            self._originate_timeout,
            extension=call.extension,
        )
        with response:
            body = response.content
        server_uuid = replies.originate_outcome(
            response.status_code, dict(response.headers), body, call.extension
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
        response = self._get(
            "call_recording", {"uuid": str(uuidlib.uuid4())}, self._recording_timeout, stream=True
        )
        with response:
            status = response.status_code
            content_type = response.headers.get("Content-Type", "")
            head = response.raw.read(4096, decode_content=True) or b""
        error = replies.auth_or_redirect_error(status, dict(response.headers))
        if error is not None:
            raise error
        value = replies.parse_json(head)
        text = head.decode("utf-8", errors="replace")
        if replies.looks_like_html(content_type, head):
            if status == 404:
                raise PbxRefused(replies.NO_API, f"HTTP 404: {replies.excerpt(head)}")
            if status < 500:
                raise AuthRejected(replies.HTML_REPLY, f"HTTP {status}: {replies.excerpt(head)}")
        if status >= 500:
            raise PbxRefused(replies.SERVER_ERROR, f"HTTP {status}: {replies.excerpt(head)}")
        if value is None and replies._DENIED.search(text) and len(text) < 200:
            raise AuthRejected(replies.BAD_KEY, f"HTTP {status}: {replies.excerpt(head)}")
        if status == 404 and value is None and head.strip():
            raise PbxRefused(replies.NO_API, f"HTTP 404: {replies.excerpt(head)}")
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
        """Download a call's recording to ``dest`` (suffix set from the audio type); return the path.

        Streams to ``<dest>.part`` and renames only a complete audio file; a cancel or failure
        leaves no partial file behind.
        """
        uuid = uuid.strip()
        if not uuid or any(ch.isspace() for ch in uuid) or len(uuid) > 100:
            raise BadInput("That is not a call id: paste the id shown for the call.")
        dest = Path(dest)
        part = dest.with_name(dest.name + ".part")
        try:
            fmt = self._fetch_recording(uuid, part, progress, cancelled or _never, chunk_size)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        final = dest.with_suffix("." + fmt)
        os.replace(part, final)
        return final

    def _fetch_recording(
        self,
        uuid: str,
        part: Path,
        progress: Progress | None,
        cancelled: Callable[[], bool],
        chunk_size: int,
    ) -> str:
        response = self._get("call_recording", {"uuid": uuid}, self._recording_timeout, stream=True)
        content_type = response.headers.get("Content-Type", "").lower()
        if response.status_code == 200 and (
            "json" in content_type or "html" in content_type or "text" in content_type
        ):
            with response:
                body = response.content
            return self._recording_from_reply(
                response.status_code,
                dict(response.headers),
                body,
                part,
                progress,
                cancelled,
                chunk_size,
            )
        if response.status_code != 200:
            with response:
                body = response.raw.read(64 * 1024, decode_content=True) or b""
            return self._recording_from_reply(
                response.status_code,
                dict(response.headers),
                body,
                part,
                progress,
                cancelled,
                chunk_size,
            )
        return self._stream_to(
            response,
            part,
            progress,
            cancelled,
            chunk_size,
            resume=lambda offset: self._get(
                "call_recording",
                {"uuid": uuid},
                self._recording_timeout,
                stream=True,
                headers={"Range": f"bytes={offset}-"},
            ),
        )

    def _recording_from_reply(
        self,
        status: int,
        headers: dict[str, str],
        body: bytes,
        part: Path,
        progress: Progress | None,
        cancelled: Callable[[], bool],
        chunk_size: int,
    ) -> str:
        error = replies.auth_or_redirect_error(status, headers)
        if error is not None:
            raise error
        details = f"HTTP {status}: {replies.excerpt(body)}"
        if status >= 500:
            raise PbxRefused(replies.SERVER_ERROR, details)
        value = replies.parse_json(body)
        if isinstance(value, dict) and status == 200:
            data = value.get("data") or value.get("audio") or value.get("base64")
            url = value.get("url") or value.get("download_url") or value.get("link")
            if isinstance(data, str) and data:
                return self._write_base64(data, part, progress)
            if isinstance(url, str) and url:
                return self._follow_url(url, part, progress, cancelled, chunk_size)
            raise NotAvailable(NO_RECORDING, details)
        if replies.looks_like_html(headers.get("Content-Type", ""), body) and (
            replies.is_login_page(body)
        ):
            raise AuthRejected(replies.HTML_REPLY, details)
        if (
            status == 200
            and body.strip()
            and replies._DENIED.search(body[:200].decode("utf-8", errors="replace"))
            and len(body) < 200
        ):
            raise AuthRejected(replies.BAD_KEY, details)
        if status == 200 and sniff_audio(body[:SNIFF_BYTES]) is not None:
            part.write_bytes(body)
            return self._check_audio(part)
        raise NotAvailable(NO_RECORDING, details)

    def _write_base64(self, data: str, part: Path, progress: Progress | None) -> str:
        try:
            audio = base64.b64decode(data, validate=False)
        except (binascii.Error, ValueError):
            raise UnexpectedReply(
                "The PBX sent a recording A1 Dialer cannot read.", "invalid base64"
            ) from None
        part.write_bytes(audio)
        if progress:
            progress(len(audio), len(audio))
        return self._check_audio(part)

    def _follow_url(
        self,
        url: str,
        part: Path,
        progress: Progress | None,
        cancelled: Callable[[], bool],
        chunk_size: int,
    ) -> str:
        parts = urlsplit(url)
        host = parts.hostname or ""
        secure = parts.scheme == "https" or (
            parts.scheme == "http" and (is_loopback_host(host) or self._allow_insecure_http)
        )
        if not secure:
            raise UnexpectedReply(
                "The PBX pointed to a recording over an insecure link; "
                "A1 Dialer did not follow it.",
                redact(url),
            )

        def fetch(offset: int) -> requests.Response:
            headers = {"Range": f"bytes={offset}-"} if offset else None
            try:
                # A plain GET with no key: the URL is the server's own (pre-signed) link.
                return self._session.get(
                    url,
                    timeout=(self._connect_timeout, self._recording_timeout),
                    allow_redirects=False,
                    stream=True,
                    headers=headers,
                )
            except requests.RequestException as exc:
                raise self._network_error(exc, self._recording_timeout) from None

        response = fetch(0)
        if response.status_code != 200:
            with response:
                body = response.raw.read(4096, decode_content=True) or b""
            error = replies.auth_or_redirect_error(response.status_code, dict(response.headers))
            raise error or NotAvailable(
                NO_RECORDING, f"HTTP {response.status_code}: {replies.excerpt(body)}"
            )
        return self._stream_to(response, part, progress, cancelled, chunk_size, resume=fetch)

    def _stream_to(
        self,
        response: requests.Response,
        part: Path,
        progress: Progress | None,
        cancelled: Callable[[], bool],
        chunk_size: int,
        resume: Callable[[int], requests.Response],
    ) -> str:
        total = _content_length(response)
        received = 0
        resumes = 0
        with part.open("wb") as out:
            while True:
                try:
                    with response:
                        for chunk in response.iter_content(chunk_size):
                            if cancelled():
                                raise Cancelled("The download was cancelled.")
                            if received == 0 and sniff_audio(chunk[:SNIFF_BYTES]) is None:
                                raise NotAvailable(
                                    NO_RECORDING,
                                    "the reply is not audio: " + replies.excerpt(chunk),
                                )
                            out.write(chunk)
                            received += len(chunk)
                            if progress:
                                progress(received, total)
                    if total is None or received >= total:
                        break
                    broken: Exception = NetworkFailure("The recording arrived incomplete.")
                except (
                    requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ConnectionError,
                ) as exc:
                    broken = exc
                if resumes >= MAX_RESUMES:
                    raise self._network_error(broken, self._recording_timeout) from None
                resumes += 1
                response = resume(received)
                if response.status_code == 200:  # the server ignored Range: start over
                    out.seek(0)
                    out.truncate()
                    received = 0
                    total = _content_length(response)
                elif response.status_code != 206 or not response.headers.get(
                    "Content-Range", ""
                ).startswith(f"bytes {received}-"):
                    response.close()
                    raise UnexpectedReply(
                        "The PBX could not resume the recording download: try again.",
                        f"HTTP {response.status_code}",
                    )
        if received == 0:
            raise NotAvailable(NO_RECORDING, "empty reply")
        return self._check_audio(part)

    @staticmethod
    def _check_audio(part: Path) -> str:
        with part.open("rb") as handle:
            fmt = sniff_audio(handle.read(SNIFF_BYTES))
        if fmt is None:
            raise NotAvailable(NO_RECORDING, "the reply is not audio")
        return fmt


def _content_length(response: requests.Response) -> int | None:
    value = response.headers.get("Content-Length")
    if value and value.isdigit():
        return int(value)
    return None


def _never() -> bool:
    return False
