"""`service_apps`: a service's apps on the session's servers, started and stopped for the test."""

import pytest
from fastapi import FastAPI

from chassis.app.tests.example_service import GreeterSettings
from chassis.app.tests.example_service import build as build_greeter
from chassis.auth import AuthSettings
from chassis.testing import BrokerAddress, ServiceApps, ServiceAppsFactory, TokenIssuer
from chassis.testing.tests.probe_service import FakeLamp, Lamp, ProbeSettings, build

_STOPS_AFTER_THE_TEST = """
from chassis.testing.tests.probe_service import Lamp, ProbeSettings, build

LAMPS = []

def test_starts(service_apps):
    client = service_apps(build, ProbeSettings).client()
    LAMPS.append(client.app.state.components.get(Lamp))
    assert LAMPS[0].lit

def test_the_previous_tests_app_was_stopped():
    assert not LAMPS[0].lit
"""
_EMPTIES_TABLES = """
import sqlalchemy as sa
from chassis.testing.tests.probe_service import ProbeSettings, build

def _count(engine):
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM probe_rows")).scalar_one()

def test_writes_rows(service_apps, db_engine):
    with db_engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE probe_rows (id INTEGER PRIMARY KEY)"))
        conn.execute(sa.text("INSERT INTO probe_rows (id) VALUES (1), (2)"))
    service_apps(build, ProbeSettings, empty_tables=["probe_rows"]).client()
    assert _count(db_engine) == 2

def test_finds_them_gone(db_engine):
    assert _count(db_engine) == 0
"""


@pytest.fixture
def apps(service_apps: ServiceAppsFactory) -> ServiceApps[ProbeSettings]:
    return service_apps(build, ProbeSettings, mqtt={"session_expiry": 60})


def _lamp(app: FastAPI) -> Lamp:
    lamp: Lamp = app.state.components.get(Lamp)
    return lamp


def test_settings_point_at_the_sessions_database_and_broker_and_trust_the_token_issuer(
    apps: ServiceApps[ProbeSettings],
    database_url: str,
    mqtt_broker: BrokerAddress,
    token_issuer: TokenIssuer,
) -> None:
    settings = apps.settings()

    assert (settings.database.url, settings.database.migrate_at_start) == (database_url, True)
    assert settings.mqtt.url == mqtt_broker.url
    assert settings.auth == token_issuer.auth_settings()
    assert (settings.monitor.enabled, settings.outbox.poll_interval) == (False, 0.05)


def test_each_settings_has_a_broker_client_id_of_its_own(apps: ServiceApps[ProbeSettings]) -> None:
    assert apps.settings().mqtt.client_id != apps.settings().mqtt.client_id


def test_keyword_sections_merge_over_the_conftests_field_by_field(
    apps: ServiceApps[ProbeSettings], mqtt_broker: BrokerAddress
) -> None:
    settings = apps.settings(mqtt={"retry_delay": 0.5}, outbox={"poll_interval": 2})

    assert (settings.mqtt.url, settings.mqtt.session_expiry) == (mqtt_broker.url, 60)
    assert (settings.mqtt.retry_delay, settings.outbox.poll_interval) == (0.5, 2)


def test_a_section_given_as_none_keeps_the_services_default(
    service_apps: ServiceAppsFactory,
) -> None:
    apps = service_apps(build, ProbeSettings, auth=None)

    assert apps.settings().auth == AuthSettings()


def test_a_service_without_a_base_section_gets_only_those_it_has(
    service_apps: ServiceAppsFactory, token_issuer: TokenIssuer
) -> None:
    greeter = service_apps(build_greeter, GreeterSettings, greeting="Ahoy")

    settings = greeter.settings()

    assert (settings.greeting, settings.auth) == ("Ahoy", token_issuer.auth_settings())


def test_a_client_is_of_a_started_app(apps: ServiceApps[ProbeSettings]) -> None:
    client = apps.client()

    assert client.get("/health/live").status_code == 200
    assert _lamp(client.app).lit  # type: ignore[arg-type]


def test_fakes_are_swapped_into_every_app_before_it_starts(
    service_apps: ServiceAppsFactory,
) -> None:
    apps = service_apps(build, ProbeSettings, fakes={Lamp: FakeLamp})
    app = apps.app()

    apps.client(app)

    assert isinstance(_lamp(app), FakeLamp)
    assert _lamp(app).lit


def test_started_stops_the_app_when_the_block_ends(apps: ServiceApps[ProbeSettings]) -> None:
    app = apps.app()
    with apps.started(app):
        assert _lamp(app).lit
    assert not _lamp(app).lit


async def test_serving_gives_an_async_client_on_the_started_app(
    apps: ServiceApps[ProbeSettings],
) -> None:
    async with apps.serving() as client:
        response = await client.get("/health/live")
        lamp = _lamp(client.app)
        assert (response.status_code, lamp.lit) == (200, True)
    assert not lamp.lit


def test_clients_stop_when_the_test_ends(pytester: pytest.Pytester) -> None:
    _run_inner(pytester, _STOPS_AFTER_THE_TEST).assert_outcomes(passed=2)


def test_the_tables_named_are_emptied_after_the_test(pytester: pytest.Pytester) -> None:
    _run_inner(pytester, _EMPTIES_TABLES).assert_outcomes(passed=2)


def _run_inner(pytester: pytest.Pytester, source: str) -> pytest.RunResult:
    """Run `source` as a test file in a pytest session of its own, with only the Fleet plugin."""
    pytester.makepyfile(source)
    pytester.makeini("[pytest]\n")  # not the repository's (found upwards)
    return pytester.runpytest_inprocess("-p", "chassis.testing.plugin", "-p", "no:asyncio")
