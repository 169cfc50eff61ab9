from ipaddress import ip_network
from typing import Any

from chassis.app.forwarded import use_forwarded_client

INGRESS = [ip_network("10.0.0.0/8")]


def _client(peer: str, forwarded: str | None) -> Any:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    scope: dict[str, Any] = {"client": (peer, 5000), "headers": headers}
    use_forwarded_client(scope, INGRESS)
    return scope["client"][0]


def test_an_untrusted_peer_is_the_client_whatever_it_forwards() -> None:
    assert _client("127.0.0.1", "192.0.2.7") == "127.0.0.1"


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() -> None:
    assert _client("10.1.1.1", "192.0.2.7, 198.51.100.4, 10.2.2.2") == "198.51.100.4"


def test_an_entry_that_is_not_an_address_stops_at_the_last_trusted_hop() -> None:
    assert _client("10.1.1.1", "192.0.2.7, garbage") == "10.1.1.1"


def test_a_trusted_proxy_without_the_header_is_the_client() -> None:
    assert _client("10.1.1.1", None) == "10.1.1.1"
