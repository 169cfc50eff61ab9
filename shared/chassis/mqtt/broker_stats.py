"""The broker's own counts of what it holds and what it dropped, as gauges on /metrics.

Mosquitto 2.0 cannot refuse a publisher: past `max_queued_messages` it acknowledges a message
and drops it, and says so only in its `$SYS` tree. A service that owns the broker's biggest
backlog (devices) exports those counts, so Prometheus can alert on them (docs/capacity.md):

>>> bus = Bus(settings.mqtt, service="devices", handlers=export_broker_stats(settings.mqtt))

The account needs read access to both topics (the broker's ACL file).
"""

from __future__ import annotations

from prometheus_client import Gauge

from chassis.logging import tagged_logger
from chassis.metrics import fleet_metrics
from chassis.mqtt.routing import Handler, Subscription
from chassis.mqtt.settings import MqttSettings

DROPPED_TOPIC = "$SYS/broker/publish/messages/dropped"
STORED_TOPIC = "$SYS/broker/store/messages/count"

_log = tagged_logger("MQTT")


def export_broker_stats(settings: MqttSettings) -> list[Subscription]:
    """The subscriptions, for the bus on `settings`, that export the broker's dropped and stored
    message counts as `fleet_mqtt_broker_dropped_messages` and
    `fleet_mqtt_broker_stored_messages` (label `broker`: host:port)."""
    metrics = fleet_metrics()
    broker = f"{settings.host}:{settings.port}"
    dropped = metrics.broker_dropped.labels(broker)
    # Mosquitto republishes a count only when it changes, and its retained copy expires after
    # 60 s: a service that subscribes later hears nothing until the next drop. Starting from 0
    # makes that drop an increase the alert sees (as large as the broker's total, at worst).
    dropped.set(0)
    stored = metrics.broker_stored.labels(broker)
    return [
        Subscription(DROPPED_TOPIC, _recorder(DROPPED_TOPIC, dropped), name="broker-dropped"),
        Subscription(STORED_TOPIC, _recorder(STORED_TOPIC, stored), name="broker-stored"),
    ]


def _recorder(topic: str, gauge: Gauge) -> Handler:
    async def record(payload: bytes) -> None:
        # The broker's own numbers as text: a bad one is the broker's problem, not a dead letter.
        try:
            value = int(payload)
        except ValueError:
            _log.warning("ignoring %s: %r is not a count", topic, payload[:64])
            return
        gauge.set(value)

    return record
