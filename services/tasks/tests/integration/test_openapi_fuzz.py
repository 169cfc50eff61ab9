"""Schemathesis against the app's own OpenAPI: no input, valid or not, makes a server error,
and every client error is answered as problem+json."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from chassis.testing.fuzz import misanswered


def test_no_generated_request_makes_a_server_error_or_a_bare_4xx(
    app: TestClient, as_user: Callable[..., dict[str, str]]
) -> None:
    assert misanswered(app, as_user("100", "operator"), examples=15) == []
