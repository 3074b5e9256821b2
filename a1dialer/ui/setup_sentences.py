"""What the setup wizard says when a test fails: its own fields, never Settings (out of reach)."""

from __future__ import annotations

from pathlib import Path

from a1dialer.core.errors import (
    BadInput,
    NoApiKey,
    NotHttps,
    UntrustedCertificate,
)
from a1dialer.core.server_address import parse_server
from a1dialer.core.translation import _
from a1dialer.pbx import replies
from a1dialer.pbx.causes import cause_sentence
from a1dialer.ui.tasks import error_sentence


def _wizard_sentences(host: str, ca_bundle: str) -> dict[str, str]:
    """The sentences that send the rep to Settings, each with the wizard's own whole sentence
    (the rep cannot reach Settings from here: the fields are on these pages).

    Keys are the very sentences the errors carry, translated and filled in the same way.
    """
    sentences = {
        _(replies.BAD_KEY): _(
            "The PBX did not accept the API key: paste it again in the API key field, exactly "
            "as your PBX administrator gave it."
        ),
        _(replies.LOGIN_REDIRECT): _(
            "The PBX sent A1 Dialer to its login page: check the PBX server and the API key "
            "fields on this page."
        ),
        _(replies.REDIRECTED): _(
            "The PBX redirected A1 Dialer to another address: check the PBX server field (it "
            "may need https://)."
        ),
        _(replies.HTML_REPLY): _(
            "The PBX answered with a web page instead of the API: check the PBX server and the "
            "API key fields on this page."
        ),
        _(replies.NO_API): _(
            "The PBX has no click-to-call API at this address: check the PBX server field."
        ),
        cause_sentence("INVALID_NUMBER_FORMAT", ""): _(
            "The PBX did not accept the number's format: check the number and the number format "
            "on these pages."
        ),
        cause_sentence("MANDATORY_IE_MISSING", ""): _(
            "The PBX says the request was incomplete: check your extension and caller-ID number "
            "on these pages."
        ),
        _("No API key is set: enter it in Settings."): _(
            "No API key is set: enter it on these pages."
        ),
        _("The secure connection to {host} failed: check the server address in Settings.").format(
            host=host
        ): _(
            "The secure connection to {host} failed: check the server address on these pages."
        ).format(host=host),
    }
    if ca_bundle:
        path = Path(ca_bundle).expanduser()
        sentences[
            _("The CA bundle {file} does not exist: fix it in Settings.").format(file=path)
        ] = _("The CA bundle {file} does not exist: fix it on these pages.").format(file=path)
    return sentences


def setup_sentence(error: BaseException, server: str, ca_bundle: str = "") -> str:
    """The one sentence the wizard shows for a failed connection test or test call, given the
    wizard's server and CA bundle fields."""
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
    sentence = error_sentence(error, _("The test failed unexpectedly"))
    return _wizard_sentences(address.host, ca_bundle).get(sentence, sentence)
