"""Server addresses: what admins type becomes the API base URL; plain HTTP only where safe."""

from __future__ import annotations

import pytest

from a1dialer.core.errors import BadInput
from a1dialer.core.server_address import check_transport, is_loopback_host, parse_server


@pytest.mark.parametrize(
    ("typed", "base_url"),
    [
        ("pbx.example.com", "https://pbx.example.com/app/api/7/"),
        ("  PBX.Example.com  ", "https://pbx.example.com/app/api/7/"),
        ("https://pbx.example.com/", "https://pbx.example.com/app/api/7/"),
        ("https://pbx.example.com//app/api/7/", "https://pbx.example.com/app/api/7/"),
        (
            "https://pbx.example.com/app/api/7/originate?key=abc",
            "https://pbx.example.com/app/api/7/",
        ),
        ("https://pbx.example.com:8443", "https://pbx.example.com:8443/app/api/7/"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765/app/api/7/"),
        ("http://[::1]:8765", "http://[::1]:8765/app/api/7/"),
    ],
)
def test_typed_server_becomes_the_api_base(typed: str, base_url: str) -> None:
    assert parse_server(typed).base_url == base_url


@pytest.mark.parametrize(
    "typed", ["", "   ", "ftp://pbx.example.com", "https://", "https://bad host"]
)
def test_unusable_server_is_refused(typed: str) -> None:
    with pytest.raises(BadInput):
        parse_server(typed)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.3.4.5", True),
        ("localhost", True),
        ("[::1]", True),
        ("10.0.0.1", False),
        ("pbx.example.com", False),
        ("localhost.example.com", False),
    ],
)
def test_loopback_detection(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_plain_http_to_a_remote_host_needs_explicit_permission() -> None:
    remote = parse_server("http://pbx.example.com")
    with pytest.raises(BadInput, match="unencrypted"):
        check_transport(remote, allow_insecure_http=False)
    check_transport(remote, allow_insecure_http=True)
    check_transport(parse_server("http://127.0.0.1:9"), allow_insecure_http=False)
    check_transport(parse_server("pbx.example.com"), allow_insecure_http=False)
