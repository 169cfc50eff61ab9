"""What every call carries to the downstream: correlation id, bearer token, quoted paths."""

from __future__ import annotations

from chassis.context import correlation_id
from chassis.http.tests.downstreams import ClientFactory
from chassis.testing import FlakyServer


async def test_forwards_the_current_correlation_id(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client()
    token = correlation_id.set("rid-0042")
    try:
        await client.get("/v1/things")
    finally:
        correlation_id.reset(token)

    assert flaky_server.requests[0].headers["x-request-id"] == "rid-0042"


async def test_keeps_one_request_id_across_retries_outside_a_request(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client()
    flaky_server.fail(503, times=1)

    await client.get("/v1/things")

    first, second = (r.headers["x-request-id"] for r in flaky_server.requests)
    assert first == second
    assert len(first) == 32


async def test_forwards_the_callers_token_as_bearer(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client()

    await client.get("/v1/things", token="caller-jwt")

    assert flaky_server.requests[0].headers["authorization"] == "Bearer caller-jwt"


async def test_uses_the_token_provider_when_no_token_is_passed(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    async def service_token() -> str:
        return "service-jwt"

    client = await make_client(tokens=service_token)

    await client.get("/v1/things")
    await client.get("/v1/things", token="caller-jwt")

    sent = [r.headers["authorization"] for r in flaky_server.requests]
    assert sent == ["Bearer service-jwt", "Bearer caller-jwt"]


async def test_path_parameters_are_quoted_into_one_segment(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client()

    await client.get("/v1/users/{id}", id="../admin?x=1", params={"limit": 5})

    assert flaky_server.requests[0].target == "/v1/users/..%2Fadmin%3Fx%3D1?limit=5"
