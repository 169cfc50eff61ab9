"""Schemathesis against the app's own OpenAPI: no input, valid or not, makes a server error,
and every client error is answered as problem+json."""

from fastapi.testclient import TestClient

from chassis.testing.fuzz import misanswered
from users.tests.integration.conftest import Accounts


def test_no_generated_request_makes_a_server_error_or_a_bare_4xx(
    client: TestClient, accounts: Accounts
) -> None:
    _, auth = accounts.bearer("admin")  # a real token from the service: routes past the 401
    assert misanswered(client, auth, examples=8) == []
