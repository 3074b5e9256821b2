"""The A1PBX REST client: strict about what it sends, forgiving but honest about what it receives.

One ``requests.Session`` per server, HTTPS with verification (plain HTTP only to loopback unless the
admin allowed it), redirects never followed, and an originate sent exactly once: no automatic
retry, because a retry can ring the customer twice. Recording downloads are idempotent and are
resumed with HTTP Range after a broken connection. Every reply is streamed and bounded: in time
(a deadline for the whole reply, or for a download a least progress per stall window, see
``reply_watch``) and in size (an originate reply over 1 MB is not read).
"""

from __future__ import annotations

import logging
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import requests
from urllib3.exceptions import ProtocolError, ReadTimeoutError
from urllib3.util.retry import Retry

from a1dialer import __version__
from a1dialer.core.call_options import CallOptions
from a1dialer.core.errors import (
    AuthRejected,
    BadInput,
    DialerError,
    LocalProblem,
    NetworkFailure,
    NotHttps,
    OutcomeUnknown,
    PbxRefused,
    UntrustedCertificate,
)
from a1dialer.core.plain_text import caller_id_name
from a1dialer.core.redaction import RedactingFilter, redact, register_secret
from a1dialer.core.server_address import check_transport, parse_server
from a1dialer.core.translation import _
from a1dialer.pbx import replies
from a1dialer.pbx.reply_watch import ReplyWatch, WatchedAdapter, watching

if TYPE_CHECKING:
    from a1dialer.core.settings import Settings

from a1dialer.pbx.recording_download import IDENTITY, Progress, RecordingDownloader
from a1dialer.pbx.streamed_reply import StreamedReply

PARAMETER_SPELLINGS = ("both", "table")
# An originate reply is a line or a small JSON object: anything bigger is not read to its end.
MAX_ORIGINATE_REPLY = 1_000_000
# urllib3 logs request lines and retry decisions with the full URL (key= included) at DEBUG.
_URL_LOGGERS = ("urllib3.connectionpool", "urllib3.poolmanager", "urllib3.util.retry")


@dataclass(frozen=True)
class CallRequest:
    """One click-to-call: ring ``extension`` first, then dial ``destination``.

    ``extension`` is sent as ``src``: the rep's extension, or the number of the phone they
    asked to ring first (in the destination's digits format); ``caller_id_number`` and
    ``caller_id_name`` are what the customer sees.
    """

    destination: str
    extension: str
    caller_id_number: str
    caller_id_name: str = ""
    options: CallOptions = field(default_factory=CallOptions)
    uuid: str = field(default_factory=lambda: str(uuidlib.uuid4()))
    # The outside number ringing first as the rep reads it ("+1 208-555-0199"); "" for an
    # extension, which sentences call "ext 1007".
    phone: str = ""


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
        "src_cid_name": caller_id_name(call.options.contact_name) or call.destination,
        "src_cid_number": call.destination,
        # The destination leg rings the customer, so it shows the company.
        "dst_cid_name": caller_id_name(call.caller_id_name),
        "des_cid_number": call.caller_id_number,
        "src": call.extension,
        "dest": call.destination,
        "auto_answer": _bool(call.options.auto_answer),
        "rec": _bool(call.options.record),
        "ringback": call.options.ringback,
    }
    if spelling == "both":
        params.update(
            dest_cid_name=params["dst_cid_name"],
            dest_cid_number=params["des_cid_number"],
            source=params["src"],
            destination=params["dest"],
        )
    return params


# What OpenSSL says when the other end answers a TLS handshake with something else (an HTTP
# reply read as a TLS record).
_NOT_TLS_SIGNS = (
    "wrong_version_number",
    "wrong version number",
    "record_layer_failure",
    "packet length too long",
    "http_request",
)


def _redact_url_logs() -> None:
    """Mask the key where urllib3 makes its log records, so no handler anywhere can show it."""
    for name in _URL_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactingFilter) for existing in logger.filters):
            logger.addFilter(RedactingFilter())


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
            raise LocalProblem(_("No API key is set: enter it in Settings."))
        if parameter_spelling not in PARAMETER_SPELLINGS:
            raise BadInput(
                # Translators: {choices} are keywords to keep as they are.
                _("The parameter spelling must be one of {choices}: fix it in Settings.").format(
                    choices=", ".join(PARAMETER_SPELLINGS)
                )
            )
        self._key = api_key.strip()
        register_secret(self._key)
        _redact_url_logs()
        self.allow_insecure_http = allow_insecure_http
        self._spelling = parameter_spelling
        self._connect_timeout = connect_timeout
        self._originate_timeout = originate_timeout
        self.recording_timeout = recording_timeout
        if ca_bundle:
            path = Path(ca_bundle).expanduser()
            if not path.is_file():
                raise BadInput(
                    _("The CA bundle {file} does not exist: fix it in Settings.").format(file=path)
                )
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
    def get(
        self,
        url: str,
        params: dict[str, str] | None,
        window: float,
        *,
        min_progress: int | None = None,
        headers: dict[str, str] | None = None,
        phone: str | None = None,
    ) -> StreamedReply:
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
            error = self.reply_error(exc, watch, phone)
        except BaseException:  # Ctrl+C: the watch has nothing left to cut
            watch.stop()
            raise
        else:
            if not watch.expired:
                return StreamedReply(response, watch)
            # Cut while the headers came: http.client takes the end of the stream for the end
            # of the headers, so what arrived is not a reply to go by.
            response.close()
            error = self.too_slow(watch, phone)
        raise error

    def api_get(
        self,
        endpoint: str,
        params: dict[str, str],
        window: float,
        *,
        min_progress: int | None = None,
        headers: dict[str, str] | None = None,
        phone: str | None = None,
    ) -> StreamedReply:
        return self.get(
            self.address.base_url + endpoint,
            {"key": self._key, **params},
            window,
            min_progress=min_progress,
            headers=headers,
            phone=phone,
        )

    def reply_error(
        self, exc: BaseException, watch: ReplyWatch, phone: str | None = None
    ) -> DialerError:
        """The error for a failed request or read: the time limit's when the watch cut it."""
        if watch.expired:
            return self.too_slow(watch, phone)
        return self.network_error(exc, watch.window, phone)

    def too_slow(self, watch: ReplyWatch, phone: str | None) -> DialerError:
        """The reply did not come within its deadline, or a download stalled."""
        details = (
            f"given up after {watch.window:g} s; {watch.total} body bytes had arrived"
            f"{'' if watch.headers_arrived else ', no headers'}"
        )
        if phone is not None:
            return OutcomeUnknown(_may_ring(watch.window, phone), details)
        if watch.min_progress is not None and watch.headers_arrived:
            return NetworkFailure(
                _("The download from the PBX at {host} stalled: try again.").format(
                    host=self.address.host
                ),
                details,
            )
        return NetworkFailure(_no_answer(self.address.host, watch.window), details)

    def tls_error(self, details: str) -> DialerError:
        """The HTTPS handshake failed: a server that does not speak HTTPS, or a certificate."""
        host = self.address.host
        lowered = details.lower()
        if any(sign in lowered for sign in _NOT_TLS_SIGNS):
            return NotHttps(
                _(
                    "The server at {address} does not answer HTTPS: check the address and its "
                    "port in Settings (a PBX without HTTPS needs http://)."
                ).format(address=self.address.netloc),
                details,
            )
        if "certificate_verify_failed" in lowered:
            self_signed = "self-signed" in lowered or "self signed" in lowered
            if self_signed:
                sentence = _(
                    "{host} uses a self-signed certificate this computer does not trust: if your "
                    "PBX uses a private certificate, set its CA bundle in Settings."
                )
            else:
                sentence = _(
                    "{host} uses a certificate this computer does not trust: if your PBX uses a "
                    "private certificate, set its CA bundle in Settings."
                )
            return UntrustedCertificate(
                sentence.format(host=host), details, self_signed=self_signed
            )
        return NetworkFailure(
            _(
                "The secure connection to {host} failed: check the server address in Settings."
            ).format(host=host),
            details,
        )

    def network_error(
        self, exc: BaseException, read_timeout: float, phone: str | None = None
    ) -> DialerError:
        """One sentence per kind of network failure; ``phone`` ("ext 1007") marks an originate
        in flight and names the phone that may still ring."""
        host = self.address.host
        details = redact(f"{type(exc).__name__}: {exc}")
        if isinstance(exc, requests.exceptions.SSLError):
            return self.tls_error(details)
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return NetworkFailure(
                _(
                    "The PBX at {host} did not respond within {seconds} s: check your network "
                    "connection and the server address."
                ).format(host=host, seconds=f"{self._connect_timeout:g}"),
                details,
            )
        args = getattr(exc, "args", ())
        if isinstance(exc, requests.exceptions.ReadTimeout) or any(
            isinstance(arg, ReadTimeoutError) for arg in args
        ):
            if phone is not None:
                return OutcomeUnknown(_may_ring(read_timeout, phone), details)
            return NetworkFailure(_no_answer(host, read_timeout), details)
        # A connection that breaks after the request went out (reset, closed, cut-off reply), as
        # opposed to one that could not be opened at all.
        sent = isinstance(
            exc,
            requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError,
        ) or any(isinstance(arg, ProtocolError) for arg in args)
        if sent and phone is not None:
            return OutcomeUnknown(
                _(
                    "The PBX dropped the connection before answering; your phone ({phone}) may "
                    "still ring: check it before calling again."
                ).format(phone=phone),
                details,
            )
        if sent:
            return NetworkFailure(
                _("The connection to the PBX at {host} broke: try again.").format(host=host),
                details,
            )
        return NetworkFailure(
            _(
                "Cannot reach the PBX at {host}: check your network connection and the server "
                "address."
            ).format(host=host),
            details,
        )

    def read(
        self,
        reply: StreamedReply,
        limit: int,
        *,
        into: bytearray | None = None,
        phone: str | None = None,
    ) -> tuple[bytearray, bool]:
        """Read a reply to its end or to ``limit`` bytes in all, then close it.

        Returns the bytes (``into`` extended, if given) and whether the reply ended within them.
        """
        body = into if into is not None else bytearray()
        try:
            with reply:
                complete = reply.read_into(body, limit)
        except requests.RequestException as exc:
            error = self.reply_error(exc, reply.watch, phone)
        else:
            if not (complete and reply.watch.expired):
                return body, complete
            # The watch cut a reply that had no length: what ended it was the time limit.
            error = self.too_slow(reply.watch, phone)
        raise error

    # -- originate ---------------------------------------------------------------------------
    def originate(self, call: CallRequest) -> CallPlaced:
        """Ask the PBX to ring the rep's phone, then the customer. Sends exactly one request.

        The whole reply must come within ``originate_timeout`` and be at most 1 MB.
        """
        if not call.destination.strip():
            raise BadInput(_("Enter the number to call."))
        if not call.extension.strip():
            raise LocalProblem(_("Your extension is not set: enter it in Settings."))
        if not call.caller_id_number.strip():
            raise LocalProblem(
                _("The caller-ID number your customers see is not set: enter it in Settings.")
            )
        # How sentences name the phone that rings first: the extension, or the outside number.
        # Translators: the rep's own desk phone, named by its extension number.
        phone = call.phone or _("ext {extension}").format(extension=call.extension)
        reply = self.api_get(
            "originate",
            originate_params(call, self._spelling),
            self._originate_timeout,
            phone=phone,
        )
        body, complete = self.read(reply, MAX_ORIGINATE_REPLY + 1, phone=phone)
        server_uuid = replies.originate_outcome(
            reply.status, reply.headers, bytes(body), phone, complete=complete
        )
        return CallPlaced(
            call.uuid,
            server_uuid,
            _(
                "The PBX accepted the call: your phone ({phone}) rings or is connecting to the "
                "customer."
            ).format(phone=phone),
        )

    # -- connection test ---------------------------------------------------------------------
    def check_connection(self) -> str:
        """Check server, TLS and key without placing a call: ask for a random call's recording."""
        reply = self.api_get(
            "call_recording",
            {"uuid": str(uuidlib.uuid4())},
            self.recording_timeout,
            headers=IDENTITY,
        )
        status = reply.status
        headers = reply.headers
        head = bytes(self.read(reply, 4096)[0])
        error = replies.auth_or_redirect_error(status, headers)
        if error is not None:
            raise error
        details = f"HTTP {status}: {replies.excerpt(head)}"
        if replies.looks_like_html(replies.header(headers, "Content-Type"), head):
            if status == 404:
                raise PbxRefused(_(replies.NO_API), details)
            if status < 500:
                raise AuthRejected(_(replies.HTML_REPLY), details)
        if status >= 500:
            raise PbxRefused(_(replies.SERVER_ERROR), details)
        value = replies.parse_json(head)
        if value is None and replies.is_denial(head.decode("utf-8", errors="replace")):
            raise AuthRejected(_(replies.BAD_KEY), details)
        if status == 404 and value is None and head.strip():
            raise PbxRefused(_(replies.NO_API), details)
        # A 404 JSON error, an empty 200 or a JSON "no such recording": the key was accepted.
        return _("Connected to {host}: the API key was accepted.").format(host=self.address.host)

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
        """Download a call's recording to ``dest``; see ``RecordingDownloader.download``."""
        return RecordingDownloader(self).download(
            uuid, dest, progress=progress, cancelled=cancelled, chunk_size=chunk_size
        )


def _may_ring(seconds: float, phone: str) -> str:
    """The sentence for an originate whose reply did not come in time: the phone may ring."""
    # Translators: {phone} names the phone that rings first ("ext 1007", or an outside number).
    return _(
        "The PBX did not answer within {seconds} s; your phone ({phone}) may still ring: check it "
        "before calling again."
    ).format(seconds=f"{seconds:g}", phone=phone)


def _no_answer(host: str, seconds: float) -> str:
    return _("The PBX at {host} did not answer within {seconds} s: try again.").format(
        host=host, seconds=f"{seconds:g}"
    )
