"""Servers on this machine for running the fleet locally: private brokers, free ports.

Not test code: the fleet runner (`./fleet up`) starts its private broker with these, and the
test helpers (`chassis.testing`) start theirs with the same classes. No service imports them.

>>> broker = Mosquitto()      # Mosquitto from PATH, on a free port, with the fleet's LIMITS
>>> broker.start()
>>> broker.address.url        # mqtt://127.0.0.1:<port>
>>> broker.stop()
"""

from chassis.local.broker import (
    LIMITS,
    BrokerAddress,
    EmbeddedBroker,
    Mosquitto,
    PrivateBroker,
    start_embedded_broker,
)
from chassis.local.ports import free_port, wait_for_port
from chassis.local.unreachable import ServerUnreachable

__all__ = [
    "LIMITS",
    "BrokerAddress",
    "EmbeddedBroker",
    "Mosquitto",
    "PrivateBroker",
    "ServerUnreachable",
    "free_port",
    "start_embedded_broker",
    "wait_for_port",
]
