"""The real client's address, for rate limits and the audit log.

Behind a reverse proxy every request arrives from the proxy, so ``REMOTE_ADDR`` alone would
put every client in one bucket. ``X-Forwarded-For`` is believed only when the request comes
from a trusted proxy (``TRUSTED_PROXIES``), and then only as far as the chain of trusted
proxies goes: the answer is the rightmost address that is not a trusted proxy. Anything a
client writes further left is its own claim and is ignored.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def parse_networks(entries: list[str]) -> tuple[Network, ...]:
    """``TRUSTED_PROXIES`` entries as networks; a clear error names a bad entry."""
    try:
        return _networks(tuple(entries))
    except ValueError as exc:
        raise ValueError(f"TRUSTED_PROXIES: {exc}") from None


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, nets: tuple[Network, ...]
) -> bool:
    return any(address.version == net.version and address in net for net in nets)


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent ``request``, as text ("unknown" if none)."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return "unknown"
    trusted = parse_networks(settings.TRUSTED_PROXIES)
    if not trusted or not _trusted(remote, trusted):
        return str(remote)
    # Repeated headers arrive joined by commas, in order, like one list.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = remote
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            break  # a garbled hop: stop at the last address a trusted proxy vouched for
        client = address
        if not _trusted(address, trusted):
            break
    return str(client)
