"""Fleet's pytest plugin: the servers a test needs, real when configured, embedded otherwise.

- `DATABASE_URL` (e.g. postgresql://postgres@127.0.0.1:5432/postgres): each test session gets a
  database of its own on that server, created at first use and dropped at the end. Unset: SQLite.
- `MQTT_URL` (e.g. mqtt://127.0.0.1:1883): tests use that broker, each under a topic namespace and
  client id of its own. Unset: a private broker on a free port (Mosquitto from PATH, else amqtt).

`service_apps` makes a service's apps on those servers (`chassis.testing.apps`): the one way every
service's tests build, start and serve their app.

`trace_receiver` is a real OTLP/HTTP receiver of spans; `traced` also points this process's tracer
at it (an app built with `tracing=trace_receiver.settings` exports there as well).

`flaky_server` is a real HTTP server on a free port that fails, stalls or drops on purpose, for
retry and circuit-breaker tests.

With a variable set and its server unreachable, the tests that need it fail with a message naming
the server and how to start it: CI never silently falls back to the embedded defaults.

A folder whose tests use these fixtures loads the plugin in its conftest.py (pytest allows
`pytest_plugins` in the root conftest alone), and only there depends on the chassis:

    from chassis.testing.plugin import *  # noqa: F403  (the fixtures below, by `__all__`)
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from chassis.db import DatabaseSettings, create_engine
from chassis.local import BrokerAddress, PrivateBroker, ServerUnreachable, start_embedded_broker
from chassis.local import free_port as _free_port
from chassis.testing.apps import ServiceAppsFactory
from chassis.testing.flaky import FlakyServer
from chassis.testing.postgres import TestDatabase
from chassis.testing.private_postgres import PrivatePostgres, find_postgres_bin
from chassis.testing.sessions import isolated_session
from chassis.testing.tokens import TokenIssuer
from chassis.testing.traces import TraceReceiver
from chassis.tracing import configure_tracing, shutdown_tracing

# What `from chassis.testing.plugin import *` brings into a conftest: every fixture (the plugin
# has no pytest_* hooks; one added here belongs in this list too).
__all__ = [
    "database_url",
    "db_engine",
    "db_metadata",
    "db_session",
    "flaky_server",
    "free_port",
    "mqtt_broker",
    "mqtt_client_id",
    "mqtt_namespace",
    "private_broker",
    "private_postgres",
    "service_apps",
    "token_issuer",
    "trace_receiver",
    "traced",
]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLAlchemy URL of a database for this test session alone."""
    server = os.environ.get("DATABASE_URL")
    if not server:
        path: Path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        yield f"sqlite:///{path}"
        return
    try:
        database = TestDatabase(server).create()
    except ServerUnreachable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield database.url
    database.drop()


@pytest.fixture(scope="session")
def db_engine(database_url: str) -> Iterator[sa.Engine]:
    """An engine on this session's database, configured as the chassis configures services'."""
    engine = create_engine(DatabaseSettings(url=database_url))
    yield engine
    engine.dispose()


@pytest.fixture
def db_metadata() -> sa.MetaData:
    """The tables `db_session` creates; override it in a conftest to narrow them."""
    return SQLModel.metadata


@pytest.fixture
def db_session(db_engine: sa.Engine, db_metadata: sa.MetaData) -> Iterator[Session]:
    """A session whose writes (commits included) are undone after the test."""
    with isolated_session(db_engine, db_metadata) as session:
        yield session


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    """A PostgreSQL server of this test's own, started, to stop and restart at will."""
    if find_postgres_bin() is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    server = PrivatePostgres()
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def mqtt_broker() -> Iterator[BrokerAddress]:
    """The broker this session's tests talk to: MQTT_URL's, or a private one."""
    url = os.environ.get("MQTT_URL")
    if url:
        address = BrokerAddress.parse(url)
        try:
            address.probe()
        except ServerUnreachable as exc:
            pytest.fail(str(exc), pytrace=False)
        yield address
        return
    broker = start_embedded_broker()
    yield broker.address
    broker.stop()


@pytest.fixture
def private_broker() -> Iterator[PrivateBroker]:
    """A broker of this test's own, to stop and start (never stop the shared one)."""
    broker = start_embedded_broker()
    yield broker
    broker.stop()


@pytest.fixture
def mqtt_namespace() -> str:
    """A topic prefix of this test's own: tests sharing a broker never see each other's messages."""
    return f"test/{uuid.uuid4().hex[:12]}"


@pytest.fixture
def mqtt_client_id() -> str:
    """A client id no other test uses (a broker disconnects the older of two equal ids)."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def free_port() -> int:
    """A free TCP port on 127.0.0.1, for servers a test starts."""
    return _free_port()


@pytest.fixture
def flaky_server() -> Iterator[FlakyServer]:
    """A real HTTP server of this test's own: script failures with .fail/.stall/.drop."""
    with FlakyServer() as server:
        yield server


@pytest.fixture
def token_issuer() -> Iterator[TokenIssuer]:
    """Signs tokens like the users service and serves its JWKS on a free port.

    `JwksKeySet(token_issuer.auth_settings())` trusts it; `token_issuer.mint("42", role="admin")`.
    """
    with TokenIssuer() as issuer:
        yield issuer


@pytest.fixture
def service_apps(
    request: pytest.FixtureRequest, token_issuer: TokenIssuer, mqtt_client_id: str
) -> Iterator[ServiceAppsFactory]:
    """A service's apps on this session's database and broker, trusting `token_issuer`:
    `service_apps(build, TasksSettings, users={...})`; what they started stops after the test."""
    with ExitStack() as stack:
        yield ServiceAppsFactory(request, stack, token_issuer, mqtt_client_id)


@pytest.fixture
def trace_receiver() -> Iterator[TraceReceiver]:
    receiver = TraceReceiver()
    receiver.start()
    yield receiver
    receiver.stop()


@pytest.fixture
def traced(trace_receiver: TraceReceiver) -> Iterator[TraceReceiver]:
    """This process traced (every span), exporting to `trace_receiver`; untraced afterwards."""
    configure_tracing(trace_receiver.settings, service="test")
    yield trace_receiver
    shutdown_tracing()
