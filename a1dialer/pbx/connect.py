"""The one way to a PBX client: the settings plus the API key (keyring or A1DIALER_API_KEY)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from a1dialer.core.errors import NoApiKey
from a1dialer.core.redaction import register_secret
from a1dialer.core.secrets import get_api_key
from a1dialer.core.server_address import parse_server
from a1dialer.core.translation import _
from a1dialer.pbx.client import PbxClient

if TYPE_CHECKING:
    from a1dialer.core.settings import Settings


def no_key_sentence(host: str) -> str:
    """What every front end says when no key is stored for ``host``."""
    return _(
        "No API key is stored for {host}: enter the key from your PBX administrator in "
        "Settings (or run 'a1dialer configure --api-key-stdin', or set A1DIALER_API_KEY)."
    ).format(host=host)


def api_key_for(settings: Settings, typed_key: str = "") -> str:
    """The key for the configured server: ``typed_key`` when given, else the stored one.

    Blocking (the keyring may ask a daemon): call it off the GUI thread. Raises ``NoApiKey``
    when there is none.
    """
    host = parse_server(settings.server).host
    key = typed_key or get_api_key(host)
    if not key:
        raise NoApiKey(no_key_sentence(host))
    register_secret(key)
    return key


def client_for(settings: Settings, typed_key: str = "") -> PbxClient:
    """A client for the configured server with its key (see ``api_key_for``)."""
    return PbxClient.from_settings(settings, api_key_for(settings, typed_key))


def speaks_plain_http(settings: Settings, timeout: float = 5.0) -> bool:
    """Whether the configured server answers plain HTTP at its host and port (blocking).

    Asked without the API key, to tell a server that does not speak HTTPS from other failures.
    """
    import requests

    address = parse_server(settings.server)
    with requests.Session() as session:
        session.trust_env = False  # no proxy, no .netrc: only the PBX is asked
        try:
            session.get(
                f"http://{address.netloc}/", timeout=timeout, allow_redirects=False, stream=True
            ).close()
        except requests.RequestException:
            return False
    return True
