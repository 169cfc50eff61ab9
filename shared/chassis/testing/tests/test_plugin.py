"""The pytest plugin: real servers when configured, embedded defaults otherwise, clear failures."""

import os

import psycopg
import pytest
import sqlalchemy as sa

from chassis.local import PrivateBroker, wait_for_port
from chassis.testing import BrokerAddress, EmbeddedBroker, TestDatabase, free_port
from chassis.testing.tests.mqtt_roundtrip import roundtrip

_USES_DATABASE = """
def test_uses_database(database_url):
    print("URL=" + database_url)
"""
_USES_BROKER = """
def test_uses_broker(mqtt_broker):
    pass
"""


def test_database_url_is_an_empty_database_that_keeps_writes(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        assert sa.inspect(conn).get_table_names() == []
        conn.execute(sa.text("CREATE TABLE probe (id INTEGER PRIMARY KEY)"))
        conn.execute(sa.text("INSERT INTO probe (id) VALUES (7)"))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT id FROM probe")).scalar_one() == 7
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE probe"))
    engine.dispose()


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs a PostgreSQL server")
def test_each_test_database_is_new_and_dropped_after_use() -> None:
    server = os.environ["DATABASE_URL"]
    first, second = TestDatabase(server).create(), TestDatabase(server).create()
    try:
        assert first.name != second.name
        assert _database_exists(server, first.name)
    finally:
        first.drop()
        second.drop()
    assert not _database_exists(server, first.name)


def test_without_database_url_tests_run_on_sqlite(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = _run_inner(pytester, _USES_DATABASE, "-s")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*URL=sqlite:///*/test.sqlite3"])


def test_unreachable_database_fails_naming_the_server_and_how_to_start_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{port}/postgres")
    result = _run_inner(pytester, _USES_DATABASE)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [f"*PostgreSQL on 127.0.0.1:{port}, which did not answer*pg_ctlcluster*unset DATABASE_URL*"]
    )


def test_unreachable_broker_fails_naming_the_server_and_how_to_start_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    monkeypatch.setenv("MQTT_URL", f"mqtt://127.0.0.1:{port}")
    result = _run_inner(pytester, _USES_BROKER)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [f"*broker on 127.0.0.1:{port}, which did not answer*mosquitto -d*unset MQTT_URL*"]
    )


def test_broker_delivers_within_the_test_namespace(
    mqtt_broker: BrokerAddress, mqtt_namespace: str, mqtt_client_id: str
) -> None:
    topic = f"{mqtt_namespace}/hello"
    assert roundtrip(mqtt_broker, topic, b"ping", mqtt_client_id) == b"ping"


def test_private_broker_stops_and_starts_again_on_the_same_port(
    private_broker: PrivateBroker, mqtt_client_id: str
) -> None:
    address = private_broker.address
    private_broker.stop()
    assert not wait_for_port(address.host, address.port, timeout=0.5)
    private_broker.start()
    assert roundtrip(address, "restart/check", b"back", mqtt_client_id) == b"back"


def test_in_process_broker_serves_when_mosquitto_is_missing(mqtt_client_id: str) -> None:
    broker = EmbeddedBroker()
    broker.start()
    try:
        assert roundtrip(broker.address, "embedded/check", b"hi", mqtt_client_id) == b"hi"
    finally:
        broker.stop()


def test_broker_url_is_parsed_with_defaults_and_credentials() -> None:
    assert BrokerAddress.parse("mqtt://broker") == BrokerAddress("broker", 1883)
    assert BrokerAddress.parse("mqtt://svc:s3cret@10.0.0.5:1884") == BrokerAddress(
        "10.0.0.5", 1884, "svc", "s3cret"
    )
    with pytest.raises(ValueError, match="mqtt://host:1883"):
        BrokerAddress.parse("http://broker")


def _run_inner(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    """Run `source` as a test file in a pytest session of its own, with only the Fleet plugin."""
    pytester.makepyfile(source)
    # A config of its own, so the session does not pick up the repository's (found upwards).
    pytester.makeini("[pytest]\n")
    return pytester.runpytest_inprocess("-p", "chassis.testing.plugin", "-p", "no:asyncio", *args)


def _database_exists(server: str, name: str) -> bool:
    url = sa.make_url(server)
    with psycopg.connect(
        host=url.host, port=url.port or 5432, user=url.username, dbname=url.database or "postgres"
    ) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        return row is not None
