"""The one error hierarchy: every failure a rep can see is one sentence plus optional details.

Each kind carries the command-line exit code from DESIGN.md, so the CLI and the GUI map errors the
same way.
"""

from __future__ import annotations

from a1dialer.core.redaction import redact


class DialerError(Exception):
    """A failure with a sentence for the rep and redacted technical details."""

    exit_code = 1

    def __init__(self, sentence: str, details: str = "") -> None:
        self.sentence = redact(sentence)
        self.details = redact(details)
        super().__init__(self.sentence)

    def __str__(self) -> str:
        return self.sentence


class BadInput(DialerError):
    """What the rep typed or configured cannot be used (bad number, bad setting value)."""

    exit_code = 2


class AuthRejected(DialerError):
    """The PBX did not accept the API key (401/403, login redirect, HTML instead of the API)."""

    exit_code = 3


class PbxRefused(DialerError):
    """The PBX answered but refused the call or request (``-ERR CAUSE``, 4xx, 5xx).

    ``cause`` is the hang-up cause of a ``-ERR`` reply ("USER_BUSY"), "" otherwise: the call
    lists retry a busy or unanswered number by it.
    """

    exit_code = 4

    def __init__(self, sentence: str, details: str = "", cause: str = "") -> None:
        super().__init__(sentence, details)
        self.cause = cause.strip().upper()


class NotAvailable(PbxRefused):
    """The thing asked for is not there (yet): typically a recording before the call has ended."""


class UnexpectedReply(PbxRefused):
    """The PBX answered something we cannot read; the details hold a short sanitised excerpt."""


class NetworkFailure(DialerError):
    """The PBX could not be reached, the connection broke, or it did not answer in time."""

    exit_code = 5


class OutcomeUnknown(NetworkFailure):
    """The originate may have reached the PBX without a definite answer: the PBX may be calling.

    A read timeout, a connection dropped after the request went out, a reply cut off or too slow,
    Ctrl+C while the PBX held the request. The call's state is ``unknown``: never retried, never
    called failed, and the rep is told to check the phone before calling again.
    """


class NotHttps(NetworkFailure):
    """The server answered the HTTPS handshake with something else, most often plain HTTP.

    ``plain_http`` is set once a keyless plain-HTTP request to the same address was answered.
    """

    plain_http = False


class UntrustedCertificate(NetworkFailure):
    """The server's certificate could not be verified; ``self_signed`` when it signed itself."""

    def __init__(self, sentence: str, details: str = "", *, self_signed: bool = False) -> None:
        super().__init__(sentence, details)
        self.self_signed = self_signed


class LocalProblem(DialerError):
    """Something on this computer is missing: no keyring, not configured, disk trouble."""

    exit_code = 6


class NoApiKey(LocalProblem):
    """No API key was typed, set in the environment or stored for the server."""


class Cancelled(DialerError):
    """The rep cancelled the operation."""

    exit_code = 1
