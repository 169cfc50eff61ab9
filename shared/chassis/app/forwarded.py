"""The client's address when the service sits behind proxies it trusts.

`X-Forwarded-For` is anyone's to write: each proxy appends the address it saw, so only the
entries added by proxies the service trusts are facts. Walking the list from the right, the
first address that is not a trusted proxy is the client (the right-most untrusted address); what
lies left of it was written by the client and is ignored. A request whose peer is not a trusted
proxy keeps the socket peer, whatever its headers say. Trusted proxies come from
`http.trusted_proxies` (CIDRs, none by default); uvicorn's own proxy-header handling is off
(`chassis.cli`), so this is the one place that decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

from starlette.types import Scope

Network = IPv4Network | IPv6Network
_FORWARDED_FOR = b"x-forwarded-for"


def use_forwarded_client(scope: Scope, trusted: Sequence[Network]) -> None:
    """Replace `scope["client"]` by the forwarded client when the peer is a trusted proxy."""
    peer = scope.get("client")
    if not peer or not _is_trusted(peer[0], trusted):
        return
    hops = [
        hop.strip()
        for name, value in scope["headers"]
        if name == _FORWARDED_FOR
        for hop in value.decode("latin-1").split(",")
    ]
    client = peer[0]
    for hop in reversed(hops):
        if _address(hop) is None:
            break  # not an address: no trusted proxy wrote it, so the last good hop is the client
        client = hop
        if not _is_trusted(hop, trusted):
            break
    scope["client"] = (client, 0 if client != peer[0] else peer[1])


def _is_trusted(host: str, trusted: Sequence[Network]) -> bool:
    address = _address(host)
    return address is not None and any(address in network for network in trusted)


def _address(host: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(host)
    except ValueError:
        return None
