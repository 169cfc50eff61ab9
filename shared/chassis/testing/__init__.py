"""Test helpers every service's tests share: real servers when configured, embedded otherwise.

The pytest plugin (`chassis.testing.plugin`, which the conftest.py of each folder whose tests use
it imports: `from chassis.testing.plugin import *`) provides the fixtures, `service_apps` among
them (a service's apps for its tests: `ServiceApps`); the classes here are for tests that need
more control, such as a private broker they may stop and start, a FlakyServer that fails and
stalls on purpose, or a TokenIssuer that mints access tokens and serves its JWKS. The brokers and
ports come from `chassis.local` (the fleet runner starts its broker with them too) and are here for
the tests' convenience.
"""

from chassis.local import (
    BrokerAddress,
    EmbeddedBroker,
    Mosquitto,
    ServerUnreachable,
    free_port,
    start_embedded_broker,
)
from chassis.testing.alone import run_alone
from chassis.testing.apps import ServedClient, ServiceApps, ServiceAppsFactory
from chassis.testing.burst import Burst
from chassis.testing.events import RecordedEvents
from chassis.testing.flaky import FlakyServer, ReceivedRequest
from chassis.testing.jwks_server import JwksServer
from chassis.testing.postgres import TestDatabase
from chassis.testing.private_postgres import PrivatePostgres
from chassis.testing.sessions import isolated_session
from chassis.testing.swap import swap
from chassis.testing.tokens import TokenIssuer
from chassis.testing.traces import TraceReceiver

__all__ = [
    "BrokerAddress",
    "Burst",
    "EmbeddedBroker",
    "FlakyServer",
    "JwksServer",
    "Mosquitto",
    "PrivatePostgres",
    "ReceivedRequest",
    "RecordedEvents",
    "ServedClient",
    "ServerUnreachable",
    "ServiceApps",
    "ServiceAppsFactory",
    "TestDatabase",
    "TokenIssuer",
    "TraceReceiver",
    "free_port",
    "isolated_session",
    "run_alone",
    "start_embedded_broker",
    "swap",
]
