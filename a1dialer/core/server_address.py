"""Turn what an admin types as "server" into the API base URL, and decide whether it is safe."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from a1dialer.core.errors import BadInput
from a1dialer.core.translation import _

API_PATH = "/app/api/7/"
_HOST_RE = re.compile(r"^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$")


@dataclass(frozen=True)
class ServerAddress:
    """A PBX server: scheme, host (and port), and the API base URL ending in ``/app/api/7/``."""

    scheme: str
    host: str
    port: int | None
    base_url: str

    @property
    def is_loopback(self) -> bool:
        return is_loopback_host(self.host)

    @property
    def netloc(self) -> str:
        return f"{self.host}:{self.port}" if self.port else self.host


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_server(text: str) -> ServerAddress:
    """Accept ``pbx.example.com``, ``https://pbx.example.com``, ``https://pbx//app/api/7`` etc.

    A bare domain means HTTPS. Any path is replaced by the API path, so a pasted endpoint URL
    (``.../app/api/7/originate?key=...``) works too and its query string is dropped.
    """
    raw = text.strip()
    if not raw:
        raise BadInput(_("Enter the PBX server address, for example pbx.example.com."))
    if "://" not in raw:
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise BadInput(_("The server address is not a valid web address."), str(exc)) from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise BadInput(_("The server address must start with https:// (or be a plain domain)."))
    host = (parts.hostname or "").lower()
    if not host or not _HOST_RE.match(host if ":" not in host else f"[{host}]"):
        raise BadInput(_("The server address has no valid host name."))
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    return ServerAddress(scheme, host, port, f"{scheme}://{netloc}{API_PATH}")


def check_transport(address: ServerAddress, *, allow_insecure_http: bool) -> None:
    """Refuse plain HTTP to a non-loopback host unless the admin explicitly allowed it."""
    if address.scheme == "http" and not address.is_loopback and not allow_insecure_http:
        raise BadInput(
            _(
                "Refusing to send the API key unencrypted to {host}: use https://, "
                "or turn on 'Allow plain HTTP' if this network is trusted."
            ).format(host=address.host)
        )
