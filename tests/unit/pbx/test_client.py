"""The PBX client's originate and connection test, over real HTTP against the bundled simulator.

Every reply shape in ``reference/A1PBX-API-NOTES.md`` is produced by the simulator (or, for the
few it never sends, such as another server's call id or a redirect elsewhere, by the scripted
``canned_server``); each failure must give its one sentence, never retry the originate, and never
show the API key.
"""

from __future__ import annotations

import logging
import re
import socket
import ssl
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

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
    UnexpectedReply,
    UntrustedCertificate,
)
from a1dialer.pbx import replies
from a1dialer.pbx.causes import cause_sentence, known_causes
from a1dialer.pbx.client import CallPlaced, CallRequest, PbxClient
from a1dialer.pbx.simulator import MAGIC_DESTINATIONS, MAGIC_EXTENSIONS, PbxSimulator
from tests.conftest import CannedReply, CannedServer

EXTENSION = "1007"
CUSTOMER = "12085551234"
COMPANY_NUMBER = "12085550100"
REPLY_MODES = ("text", "json", "json-code", "json-status")
# A wrong key with characters that URL encoding changes, so every spelling of it is checked.
WRONG_KEY = "wrong-Zx81&q=+/%key"
TABLE_NAMES = {
    "key",
    "origination_uuid",
    "src_cid_name",
    "dst_cid_name",
    "src_cid_number",
    "des_cid_number",
    "src",
    "dest",
    "auto_answer",
    "rec",
    "ringback",
}
OTHER_SPELLINGS = {
    "dest_cid_name": "dst_cid_name",
    "dest_cid_number": "des_cid_number",
    "source": "src",
    "destination": "dest",
}


def make_call(
    destination: str = CUSTOMER,
    *,
    extension: str = EXTENSION,
    contact_name: str = "",
    caller_id_name: str = "Acme Sales",
    auto_answer: bool = False,
    record: bool = False,
    ringback: str = "us-ring",
) -> CallRequest:
    return CallRequest(
        destination=destination,
        extension=extension,
        caller_id_number=COMPANY_NUMBER,
        caller_id_name=caller_id_name,
        options=CallOptions(contact_name, ringback, auto_answer, record),
    )


def magic_destination(cause: str) -> str:
    suffix = next(s for s, c in MAGIC_DESTINATIONS.items() if c == cause)
    return "1208" + suffix


def originates_seen(sim: PbxSimulator) -> int:
    return sum(1 for request in sim.requests if request.endpoint == "originate")


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port bound but not listening: every connection to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


# -- success: every "ok" reply shape ------------------------------------------------------------


@pytest.mark.parametrize("reply_mode", REPLY_MODES)
def test_accepted_call_in_every_reply_shape(simulator: PbxSimulator, reply_mode: str) -> None:
    simulator.reply_mode = reply_mode
    call = make_call()
    with PbxClient(simulator.server_url, simulator.key) as client:
        placed = client.originate(call)
    assert isinstance(placed, CallPlaced)
    assert placed.uuid == call.uuid
    assert placed.server_uuid == call.uuid  # the simulator echoes our origination_uuid
    assert EXTENSION in placed.message
    # "+OK" only means the rep's leg is set up: the message must not claim a connection.
    assert "connected" not in placed.message.lower()
    assert originates_seen(simulator) == 1


@pytest.mark.parametrize(
    ("reply", "server_uuid"),
    [
        (b"+OK 0b5e7c1e-1111-4222-8333-944455556666\n", "0b5e7c1e-1111-4222-8333-944455556666"),
        (b'{"success": true, "call_uuid": "srv-42"}', "srv-42"),
        (b'{"code": 0, "message": "+OK srv-43"}', "srv-43"),
        (b'{"status": "success"}', None),
        (b"+OK", None),
    ],
)
def test_call_id_is_ours_whatever_the_server_echoes(
    canned_server: CannedServer, reply: bytes, server_uuid: str | None
) -> None:
    canned_server.reply("/app/api/7/originate", CannedReply(body=reply))
    call = make_call()
    with PbxClient(canned_server.url, "other-server-key") as client:
        placed = client.originate(call)
    assert placed.uuid == call.uuid
    assert placed.server_uuid == server_uuid
    assert len(canned_server.requests) == 1


@pytest.mark.parametrize(
    ("reply", "error", "fragment"),
    [
        # A 2xx reply that cannot be read: the PBX took the request and may be calling.
        (b"+OKAY", OutcomeUnknown, "reply could not be read"),
        (b"-ERR SOMETHING_NEW", PbxRefused, "(something new)"),
        (b"-ERR", PbxRefused, "no reason given"),
        (b'{"success": false}', PbxRefused, replies.REFUSED_NO_REASON),
        (b'{"status": "failed"}', PbxRefused, replies.REFUSED_NO_REASON),
        (b'{"result": "queued"}', OutcomeUnknown, "reply could not be read"),
        (b'{"status": "error", "message": "invalid key"}', AuthRejected, "API key"),
        (b'{"code": 1, "message": "-ERR USER_BUSY"}', PbxRefused, "busy"),
        (b"[1, 2, 3]", OutcomeUnknown, "reply could not be read"),
    ],
)
def test_odd_replies_are_never_taken_for_success(
    canned_server: CannedServer, reply: bytes, error: type[DialerError], fragment: str
) -> None:
    canned_server.reply("/app/api/7/originate", CannedReply(body=reply))
    with (
        PbxClient(canned_server.url, "other-server-key") as client,
        pytest.raises(DialerError) as caught,
    ):
        client.originate(make_call())
    assert type(caught.value) is error
    assert fragment in caught.value.sentence


def test_every_call_request_gets_a_fresh_uuid4() -> None:
    ids = {make_call().uuid for _ in range(20)}
    assert len(ids) == 20
    assert all(uuid.UUID(value).version == 4 for value in ids)


# -- refusals: every magic -ERR cause, in every reply shape ---------------------------------------


@pytest.mark.parametrize("cause", sorted(set(MAGIC_DESTINATIONS.values())))
def test_destination_cause_gives_its_sentence(simulator: PbxSimulator, cause: str) -> None:
    with PbxClient(simulator.server_url, simulator.key) as client:
        for sent, reply_mode in enumerate(REPLY_MODES, start=1):
            simulator.reply_mode = reply_mode
            with pytest.raises(PbxRefused) as caught:
                client.originate(make_call(magic_destination(cause)))
            assert type(caught.value) is PbxRefused, reply_mode
            assert caught.value.sentence == cause_sentence(cause, EXTENSION), reply_mode
            assert cause in caught.value.details
            assert caught.value.cause == cause, reply_mode  # what the call lists retry by
            assert originates_seen(simulator) == sent


@pytest.mark.parametrize(("extension", "cause"), sorted(MAGIC_EXTENSIONS.items()))
def test_rep_phone_cause_names_the_extension(
    simulator: PbxSimulator, extension: str, cause: str
) -> None:
    with PbxClient(simulator.server_url, simulator.key) as client:
        for sent, reply_mode in enumerate(REPLY_MODES, start=1):
            simulator.reply_mode = reply_mode
            with pytest.raises(PbxRefused) as caught:
                client.originate(make_call(extension=extension))
            assert caught.value.sentence == cause_sentence(cause, extension), reply_mode
            assert f"ext {extension}" in caught.value.sentence
            assert originates_seen(simulator) == sent


# The causes the notes list (and a few more FreeSWITCH gives for failed originates).
DOCUMENTED_CAUSES = (
    "USER_BUSY",
    "NO_ANSWER",
    "NO_USER_RESPONSE",
    "SUBSCRIBER_ABSENT",
    "USER_NOT_REGISTERED",
    "CALL_REJECTED",
    "UNALLOCATED_NUMBER",
    "NO_ROUTE_DESTINATION",
    "INVALID_NUMBER_FORMAT",
    "NORMAL_TEMPORARY_FAILURE",
    "ORIGINATOR_CANCEL",
    "GATEWAY_DOWN",
    "RECOVERY_ON_TIMER_EXPIRE",
    "DESTINATION_OUT_OF_ORDER",
    "NETWORK_OUT_OF_ORDER",
    "NORMAL_CIRCUIT_CONGESTION",
    "SWITCH_CONGESTION",
    "MANDATORY_IE_MISSING",
    "INCOMPATIBLE_DESTINATION",
    "EXCHANGE_ROUTING_ERROR",
    "ALLOTTED_TIMEOUT",
    "MEDIA_TIMEOUT",
    "PROGRESS_TIMEOUT",
    "NORMAL_CLEARING",
)
REP_PHONE_CAUSES = ("USER_NOT_REGISTERED", "NO_USER_RESPONSE", "ORIGINATOR_CANCEL")


@pytest.mark.parametrize("cause", DOCUMENTED_CAUSES)
def test_every_documented_cause_has_its_own_sentence(cause: str) -> None:
    assert cause in known_causes()
    sentence = cause_sentence(cause, "1007")
    generic = cause_sentence("NO_SUCH_CAUSE_EVER", "1007")
    assert sentence != generic
    assert cause not in sentence  # a rep reads words, not FreeSWITCH codes
    assert sentence[0].isupper()
    assert sentence.endswith(".")
    assert "{" not in sentence
    assert ("ext 1007" in sentence) == (cause in REP_PHONE_CAUSES)


def test_an_unknown_cause_is_named_in_words() -> None:
    sentence = cause_sentence("brand_new_cause", "1007")
    assert "(brand new cause)" in sentence
    assert "tell your admin" in sentence


def test_the_cause_sentence_ignores_case_and_spaces() -> None:
    assert cause_sentence(" user_busy\n", "1007") == cause_sentence("USER_BUSY", "1007")


# -- every failure mode: its error, one request only, and the key never shown --------------------


@dataclass(frozen=True)
class Failure:
    """One way an originate (or connection test) can fail, and what the rep must be told."""

    name: str
    error: type[DialerError]
    sentence: str = ""  # a fragment the sentence must contain
    auth_mode: str | None = None  # set: the client sends WRONG_KEY and the server has this mode
    fault: str | None = None
    down: bool = False


FAILURES = [
    Failure("401", AuthRejected, replies.BAD_KEY, auth_mode="401"),
    Failure("302", AuthRejected, replies.LOGIN_REDIRECT, auth_mode="302"),
    Failure("html200-login", AuthRejected, replies.HTML_REPLY, auth_mode="html200"),
    Failure("html200-fault", AuthRejected, replies.HTML_REPLY, fault="html200"),
    Failure("html500", PbxRefused, replies.SERVER_ERROR, fault="html500"),
    Failure("garbage", OutcomeUnknown, "reply could not be read", fault="garbage"),
    Failure("empty", OutcomeUnknown, "empty answer", fault="empty"),
    Failure("access-denied", AuthRejected, replies.BAD_KEY, fault="access-denied"),
    Failure("json-error", PbxRefused, "Simulated server error", fault="json-error"),
    Failure("http404", PbxRefused, replies.NO_API, fault="http404"),
    Failure("slow", OutcomeUnknown, "did not answer within 0.5 s", fault="delay"),
    Failure("reset", OutcomeUnknown, "dropped the connection", fault="reset"),
    Failure("down", NetworkFailure, "Cannot reach", down=True),
]


def fail_originate(sim: PbxSimulator, failure: Failure, closed_port: int) -> DialerError:
    """Set ``sim`` up for ``failure``, place one call, and return the error it raised."""
    key = sim.key
    url = sim.server_url
    if failure.auth_mode:
        sim.auth_mode = failure.auth_mode
        key = WRONG_KEY
    if failure.fault:
        sim.set_fault(failure.fault, delay=2.0)
    if failure.down:
        url = f"http://127.0.0.1:{closed_port}"
    with (
        PbxClient(url, key, originate_timeout=0.5) as client,
        pytest.raises(DialerError) as caught,
    ):
        client.originate(make_call())
    return caught.value


@pytest.mark.parametrize("failure", FAILURES, ids=lambda f: f.name)
def test_failed_originate_is_reported_and_never_retried(
    simulator: PbxSimulator, failure: Failure, closed_port: int
) -> None:
    error = fail_originate(simulator, failure, closed_port)
    assert type(error) is failure.error, error.details
    assert failure.sentence in error.sentence
    if failure.fault in ("delay", "reset", "garbage", "empty"):
        # The request was taken: the rep's phone may ring although we got no answer we can read.
        assert f"your phone (ext {EXTENSION})" in error.sentence
        assert "before calling again" in error.sentence
    # A retry could ring the customer twice: exactly one originate reaches a server that is up.
    assert originates_seen(simulator) == (0 if failure.down else 1)
    # The login page is never fetched: redirects are not followed.
    assert all(request.endpoint != "/" for request in simulator.requests)


def test_login_redirect_is_not_followed(simulator: PbxSimulator) -> None:
    simulator.auth_mode = "302"
    with PbxClient(simulator.server_url, WRONG_KEY) as client, pytest.raises(AuthRejected):
        client.originate(make_call())
    assert [request.endpoint for request in simulator.requests] == ["originate"]


def test_reset_on_a_kept_alive_connection_is_not_resent(simulator: PbxSimulator) -> None:
    # urllib3 would silently resend a request whose reused connection broke: the second call
    # goes out on the first one's kept-alive connection and must reach the PBX exactly once.
    with PbxClient(simulator.server_url, simulator.key) as client:
        client.originate(make_call())
        simulator.set_fault("reset", count=1, endpoint="originate")
        with pytest.raises(NetworkFailure) as caught:
            client.originate(make_call())
        assert "may still ring" in caught.value.sentence
        assert originates_seen(simulator) == 2
        client.originate(make_call())
    assert originates_seen(simulator) == 3


@pytest.mark.parametrize(
    ("location", "error", "sentence"),
    [
        ("/?path=/app/api/7/originate", AuthRejected, replies.LOGIN_REDIRECT),
        ("/login.php", AuthRejected, replies.LOGIN_REDIRECT),
        ("https://sso.example.com/auth?next=x", AuthRejected, replies.LOGIN_REDIRECT),
        ("", AuthRejected, replies.LOGIN_REDIRECT),
        ("https://pbx.example.com/app/api/7/originate", UnexpectedReply, replies.REDIRECTED),
        ("/app/api/8/originate", UnexpectedReply, replies.REDIRECTED),
    ],
)
def test_a_redirect_is_reported_not_followed(
    canned_server: CannedServer, location: str, error: type[DialerError], sentence: str
) -> None:
    headers = {"Location": location} if location else {}
    canned_server.reply("/app/api/7/originate", CannedReply(302, headers=headers))
    canned_server.reply("/app/api/8/originate", CannedReply(body=b"+OK followed"))
    with (
        PbxClient(canned_server.url, "redirected-key") as client,
        pytest.raises(DialerError) as caught,
    ):
        client.originate(make_call())
    assert type(caught.value) is error
    assert caught.value.sentence == sentence
    assert [request.path for request in canned_server.requests] == ["/app/api/7/originate"]


def test_server_down_cannot_be_reached(closed_port: int) -> None:
    with (
        PbxClient(f"http://127.0.0.1:{closed_port}", "down-server-key") as client,
        pytest.raises(NetworkFailure) as caught,
    ):
        client.originate(make_call())
    assert caught.value.sentence.startswith("Cannot reach the PBX at 127.0.0.1")


def _key_spellings(key: str) -> list[str]:
    return [key, quote(key, safe=""), quote_plus(key)]


@pytest.mark.parametrize("failure", FAILURES, ids=lambda f: f.name)
def test_key_never_shown_for_a_failed_originate(
    simulator: PbxSimulator,
    failure: Failure,
    closed_port: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Every logger, urllib3's request lines included (even if the app's setup quietened it).
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="urllib3")
    error = fail_originate(simulator, failure, closed_port)
    # requests' exception (holding the URL with the key) is not chained to what we raise.
    assert error.__cause__ is None
    assert error.__context__ is None
    # urllib3 did log the request: the check below is not vacuous.
    assert any(record.name.startswith("urllib3") for record in caplog.records)
    texts = [
        str(error),
        repr(error),
        error.sentence,
        error.details,
        "".join(traceback.format_exception(error)),
        caplog.text,
    ]
    for text in texts:
        for key in (simulator.key, WRONG_KEY):
            for spelling in _key_spellings(key):
                assert spelling not in text
        # requests' own messages carry the URL: its key= parameter must be masked.
        assert not re.search(r"key=(?!\*\*\*)", text), text
    if failure.down:
        assert "key=***" in error.details


def test_key_of_a_connection_failure_is_masked_even_if_short(closed_port: int) -> None:
    # Keys too short to register as secrets are still masked as the URL's key= parameter.
    with (
        PbxClient(f"http://127.0.0.1:{closed_port}", "Qz9x7") as client,
        pytest.raises(NetworkFailure) as caught,
    ):
        client.originate(make_call())
    assert "key=***" in caught.value.details
    assert "Qz9x7" not in caught.value.details
    assert "Qz9x7" not in "".join(traceback.format_exception(caught.value))


# -- what reaches the server ----------------------------------------------------------------------


def only_values(sim: PbxSimulator) -> dict[str, str]:
    """The single originate's parameters; each must have been sent exactly once."""
    (request,) = [r for r in sim.requests if r.endpoint == "originate"]
    assert all(len(values) == 1 for values in request.params.values()), request.params
    return {name: values[0] for name, values in request.params.items()}


def test_both_spellings_are_sent_with_identical_values(simulator: PbxSimulator) -> None:
    call = make_call(contact_name="Jane Roe", ringback="uk-ring")
    with PbxClient(simulator.server_url, simulator.key) as client:
        client.originate(call)
    sent = only_values(simulator)
    assert set(sent) == TABLE_NAMES | set(OTHER_SPELLINGS)
    for other, table in OTHER_SPELLINGS.items():
        assert sent[other] == sent[table]
    assert sent["key"] == simulator.key
    assert sent["origination_uuid"] == call.uuid
    assert sent["ringback"] == "uk-ring"


def test_table_spelling_sends_only_the_table_names(simulator: PbxSimulator) -> None:
    with PbxClient(simulator.server_url, simulator.key, parameter_spelling="table") as client:
        client.originate(make_call())
    assert set(only_values(simulator)) == TABLE_NAMES


def test_an_unknown_parameter_spelling_is_bad_input() -> None:
    with pytest.raises(BadInput):
        PbxClient("pbx.example.com", "remote-key-123", parameter_spelling="fusion")


@pytest.mark.parametrize(
    ("missing", "error"),
    [("destination", BadInput), ("extension", LocalProblem), ("caller_id_number", LocalProblem)],
)
def test_an_incomplete_call_is_refused_before_sending(
    simulator: PbxSimulator, missing: str, error: type[DialerError]
) -> None:
    call = {
        "destination": replace(make_call(), destination=" "),
        "extension": replace(make_call(), extension=""),
        "caller_id_number": replace(make_call(), caller_id_number=" "),
    }[missing]
    with PbxClient(simulator.server_url, simulator.key) as client, pytest.raises(error):
        client.originate(call)
    assert simulator.requests == []


@pytest.mark.parametrize(("auto_answer", "record"), [(True, True), (False, False), (True, False)])
def test_booleans_are_lowercase_words(
    simulator: PbxSimulator, auto_answer: bool, record: bool
) -> None:
    with PbxClient(simulator.server_url, simulator.key) as client:
        client.originate(make_call(auto_answer=auto_answer, record=record))
    sent = only_values(simulator)
    assert sent["auto_answer"] == ("true" if auto_answer else "false")
    assert sent["rec"] == ("true" if record else "false")


def test_caller_ids_show_the_customer_to_the_rep_and_the_company_to_the_customer(
    simulator: PbxSimulator,
) -> None:
    with PbxClient(simulator.server_url, simulator.key) as client:
        client.originate(make_call(contact_name="Jane Roe", caller_id_name="Acme Sales"))
    named = only_values(simulator)
    # Decision 2: the source leg rings the rep and shows the customer ...
    assert named["src"] == EXTENSION
    assert named["dest"] == CUSTOMER
    assert named["src_cid_number"] == CUSTOMER
    assert named["src_cid_name"] == "Jane Roe"
    # ... the destination leg rings the customer and shows the company.
    assert named["des_cid_number"] == COMPANY_NUMBER
    assert named["dst_cid_name"] == "Acme Sales"


def test_without_a_contact_name_the_rep_sees_the_number(simulator: PbxSimulator) -> None:
    with PbxClient(simulator.server_url, simulator.key) as client:
        client.originate(make_call(contact_name=""))
    sent = only_values(simulator)
    assert sent["src_cid_name"] in ("", CUSTOMER)
    assert sent["src_cid_number"] == CUSTOMER


@pytest.mark.parametrize(
    ("contact", "company"),
    [
        ("Zoë & Co #1 =x", "Sales + Support 100% =ok #2 & more"),
        ("a=b&c=d", "?key=stolen&src=9999"),
        ("  spaced  out  ", "Ünïcødé 東京 +%20"),
    ],
)
def test_names_with_url_characters_arrive_intact(
    simulator: PbxSimulator, contact: str, company: str
) -> None:
    with PbxClient(simulator.server_url, simulator.key) as client:
        client.originate(make_call(contact_name=contact, caller_id_name=company))
    sent = only_values(simulator)
    assert set(sent) == TABLE_NAMES | set(OTHER_SPELLINGS)  # no parameter added or split
    assert sent["src_cid_name"] == contact
    assert sent["dst_cid_name"] == sent["dest_cid_name"] == company
    assert sent["key"] == simulator.key
    assert sent["src"] == EXTENSION


def test_user_agent_names_the_app_and_version(simulator: PbxSimulator) -> None:
    with PbxClient(simulator.server_url, simulator.key) as client:
        client.originate(make_call())
    agent = simulator.requests[0].headers["User-Agent"]
    assert "A1Dialer" in agent
    assert __version__ in agent


# -- transport safety -----------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any name lookup or connection attempt fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network I/O attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.usefixtures("no_network")
def test_plain_http_to_a_remote_host_is_refused_before_any_io() -> None:
    with pytest.raises(BadInput) as caught:
        PbxClient("http://pbx.example.com", "remote-key-123")
    assert "pbx.example.com" in caught.value.sentence
    assert "https" in caught.value.sentence


@pytest.mark.usefixtures("no_network")
def test_plain_http_to_a_remote_host_is_allowed_when_the_admin_says_so() -> None:
    with PbxClient("http://pbx.example.com", "remote-key-123", allow_insecure_http=True) as c:
        assert c.address.base_url == "http://pbx.example.com/app/api/7/"


@pytest.mark.usefixtures("no_network")
def test_missing_ca_bundle_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput):
        PbxClient("pbx.example.com", "remote-key-123", ca_bundle=str(tmp_path / "none.pem"))


# -- connection test ------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", [None, "empty", "json-error"])
def test_connection_check_succeeds_without_placing_a_call(
    simulator: PbxSimulator, fault: str | None
) -> None:
    # An unknown call's recording: 404 JSON, or an empty 200, or a JSON error all mean the key
    # was accepted.
    if fault:
        simulator.set_fault(fault)
    with PbxClient(simulator.server_url, simulator.key) as client:
        sentence = client.check_connection()
    assert sentence == "Connected to 127.0.0.1: the API key was accepted."
    assert [request.endpoint for request in simulator.requests] == ["call_recording"]
    assert simulator.originates == []


@pytest.mark.parametrize("auth_mode", ["401", "302", "html200"])
def test_connection_check_with_a_wrong_key_is_rejected(
    simulator: PbxSimulator, auth_mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="a1dialer")
    simulator.auth_mode = auth_mode
    with (
        PbxClient(simulator.server_url, WRONG_KEY) as client,
        pytest.raises(AuthRejected) as caught,
    ):
        client.check_connection()
    assert len(simulator.requests) == 1  # not followed, not retried
    for text in (str(caught.value), caught.value.details, caplog.text):
        for spelling in _key_spellings(WRONG_KEY):
            assert spelling not in text


def test_connection_check_with_the_server_down(closed_port: int) -> None:
    with (
        PbxClient(f"http://127.0.0.1:{closed_port}", "down-server-key") as client,
        pytest.raises(NetworkFailure) as caught,
    ):
        client.check_connection()
    assert "Cannot reach" in caught.value.sentence
    assert "down-server-key" not in caught.value.details
    assert "key=***" in caught.value.details


@pytest.mark.parametrize(
    ("fault", "error"),
    [("html500", PbxRefused), ("access-denied", AuthRejected), ("http404", PbxRefused)],
)
def test_connection_check_reports_a_misbehaving_server(
    simulator: PbxSimulator, fault: str, error: type[DialerError]
) -> None:
    simulator.set_fault(fault)
    with PbxClient(simulator.server_url, simulator.key) as client, pytest.raises(error):
        client.check_connection()


# -- HTTPS ----------------------------------------------------------------------------------------


@pytest.fixture
def tls_simulator(self_signed_certificate: tuple[Path, Path]) -> Iterator[PbxSimulator]:
    cert, key = self_signed_certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with PbxSimulator("tls-test-key", answer_delay=0.0, ssl_context=context) as sim:
        yield sim


def test_https_with_an_unknown_certificate_is_refused(tls_simulator: PbxSimulator) -> None:
    assert tls_simulator.server_url.startswith("https://127.0.0.1:")
    with (
        PbxClient(tls_simulator.server_url, tls_simulator.key) as client,
        pytest.raises(NetworkFailure) as caught,
    ):
        client.originate(make_call())
    assert "certificate" in caught.value.sentence
    assert tls_simulator.originates == []  # nothing was sent before the TLS check
    assert tls_simulator.key not in caught.value.details


def test_a_self_signed_certificate_is_named_as_such(tls_simulator: PbxSimulator) -> None:
    with (
        PbxClient(tls_simulator.server_url, tls_simulator.key) as client,
        pytest.raises(UntrustedCertificate) as caught,
    ):
        client.check_connection()
    assert caught.value.self_signed
    assert "uses a self-signed certificate this computer does not trust" in caught.value.sentence


def test_https_to_a_plain_http_server_is_not_blamed_on_a_certificate(
    simulator: PbxSimulator,
) -> None:
    address = simulator.server_url.removeprefix("http://")
    with PbxClient(address, simulator.key) as client, pytest.raises(NotHttps) as caught:
        client.check_connection()
    assert caught.value.sentence.startswith(f"The server at {address} does not answer HTTPS")
    assert "certificate" not in caught.value.sentence
    assert simulator.requests == []  # the key never went out unencrypted


def test_https_with_its_ca_bundle_works(
    tls_simulator: PbxSimulator, self_signed_certificate: tuple[Path, Path]
) -> None:
    cert, _ = self_signed_certificate
    call = make_call(auto_answer=True)
    with PbxClient(tls_simulator.server_url, tls_simulator.key, ca_bundle=str(cert)) as client:
        assert client.originate(call).uuid == call.uuid
        assert client.check_connection().startswith("Connected to 127.0.0.1")
    assert len(tls_simulator.originates) == 1
    assert tls_simulator.originates[0]["origination_uuid"] == call.uuid
