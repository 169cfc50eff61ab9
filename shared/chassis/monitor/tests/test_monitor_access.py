"""The monitor is behind the door: a login to read it, and no credentials in what it shows."""

from __future__ import annotations

import pytest

from chassis.app.tests.example_service import GreeterSettings, build
from chassis.logging import tagged_logger
from chassis.testing import ServiceApps, ServiceAppsFactory, TokenIssuer


@pytest.fixture
def greeter(service_apps: ServiceAppsFactory) -> ServiceApps[GreeterSettings]:
    """The example service with its monitor on, verifying `token_issuer`'s tokens."""
    return service_apps(build, GreeterSettings, monitor={"enabled": True})


def test_the_snapshot_without_a_token_is_refused(greeter: ServiceApps[GreeterSettings]) -> None:
    with greeter.started() as client:
        response = client.get("/monitor/snapshot")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_the_snapshot_is_refused_to_a_technician(
    greeter: ServiceApps[GreeterSettings], token_issuer: TokenIssuer
) -> None:
    token = token_issuer.mint(role="technician")
    with greeter.started() as client:
        response = client.get("/monitor/snapshot", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["operator", "admin", "service"])
def test_the_snapshot_is_served_to_operators_admins_and_services(
    greeter: ServiceApps[GreeterSettings], token_issuer: TokenIssuer, role: str
) -> None:
    token = token_issuer.mint(subject="devices" if role == "service" else "7", role=role)
    with greeter.started() as client:
        response = client.get("/monitor/snapshot", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["service"] == "greeter"


def test_log_lines_show_no_token_password_or_url_credentials(
    greeter: ServiceApps[GreeterSettings], token_issuer: TokenIssuer
) -> None:
    caller = token_issuer.mint(role="technician")
    operator = {"Authorization": f"Bearer {token_issuer.mint(subject='7', role='operator')}"}
    with greeter.started() as client:
        # A request whose path carries a token and a password, as a careless client sends them.
        client.get(
            f"/v1/greetings/{caller}/password=hunter2-Secret",
            headers={"Authorization": f"Bearer {caller}"},
        )
        # What adapters write: a header quoted in an error, a URL with its account, a secret.
        tagged_logger("HTTP").warning("refused: Authorization: Bearer %s", caller)
        tagged_logger("MQTT").warning("connecting to mqtt://devices:broker-Pass@mosquitto:1883")
        tagged_logger("APP").warning('account {"client_secret": "s3cret-Value"}')
        page = client.get("/monitor/snapshot", headers=operator).text
    assert "/v1/greetings/" in page  # the lines are there...
    for secret in (caller, caller.split(".")[1], "hunter2-Secret", "broker-Pass", "s3cret-Value"):
        assert secret not in page  # ...without what they carried
    assert "mqtt://[redacted]@mosquitto:1883" in page
