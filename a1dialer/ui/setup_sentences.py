"""What the setup wizard says when a test fails: its own fields, never Settings (out of reach)."""

from __future__ import annotations

from a1dialer.core.errors import (
    BadInput,
    DialerError,
    NoApiKey,
    NotHttps,
    UntrustedCertificate,
)
from a1dialer.core.server_address import parse_server
from a1dialer.core.translation import _
from a1dialer.pbx import replies
from a1dialer.ui.tasks import error_sentence


def _known_replies() -> dict[str, str]:
    return {
        replies.BAD_KEY: _(
            "The PBX did not accept the API key: paste it again in the API key field, exactly "
            "as your PBX administrator gave it."
        ),
        replies.LOGIN_REDIRECT: _(
            "The PBX sent A1 Dialer to its login page: check the PBX server and the API key "
            "fields on this page."
        ),
        replies.REDIRECTED: _(
            "The PBX redirected A1 Dialer to another address: check the PBX server field (it "
            "may need https://)."
        ),
        replies.HTML_REPLY: _(
            "The PBX answered with a web page instead of the API: check the PBX server and the "
            "API key fields on this page."
        ),
        replies.NO_API: _(
            "The PBX has no click-to-call API at this address: check the PBX server field."
        ),
    }


def setup_sentence(error: BaseException, server: str) -> str:
    """The one sentence the wizard shows for a failed connection test or test call."""
    try:
        address = parse_server(server)
    except BadInput as exc:
        return exc.sentence
    if isinstance(error, NotHttps):
        if not error.plain_http:
            return _(
                "The server at {address} does not answer HTTPS: check the port in the PBX "
                "server field."
            ).format(address=address.netloc)
        if address.is_loopback:
            return _(
                "The server at {address} on this computer speaks plain HTTP, not HTTPS: click "
                "Use http:// to connect to it with http://."
            ).format(address=address.netloc)
        return _(
            "The server at {address} speaks only plain HTTP, which would send the API key "
            "unencrypted: ask your PBX administrator for its https:// address, or, on a network "
            "you trust, click Use http:// and tick Allow plain HTTP."
        ).format(address=address.netloc)
    if isinstance(error, UntrustedCertificate):
        if error.self_signed:
            return _(
                "The server at {host} uses a self-signed certificate: choose that certificate's "
                "file (your PBX administrator has it) in the Custom CA bundle field, then test "
                "again."
            ).format(host=address.host)
        return _(
            "The certificate of {host} is not signed by an authority this computer trusts: "
            "choose your company's certificate authority file in the Custom CA bundle field, "
            "then test again."
        ).format(host=address.host)
    if isinstance(error, NoApiKey):
        return _(
            "Paste the API key from your PBX administrator in the API key field, then test again."
        )
    if isinstance(error, DialerError) and error.sentence in _known_replies():
        return _known_replies()[error.sentence]
    sentence = error_sentence(error, _("The test failed unexpectedly"))
    # Any other sentence that points to Settings: the fields are on this wizard's pages.
    return sentence.replace(" in Settings", " on these pages").replace(
        "Open Settings, or run 'a1dialer configure'.", _("Fill in the fields on these pages.")
    )
