"""The MQTT bus: typed handlers, acknowledgement after success, dead letters, awaited publishes.

>>> async def on_completed(event: Event[TaskCompleted]) -> None:  # contracts.tasks
...     await alarms.resolve_for_task(event.data.task_id)   # commits, then the bus acks
>>> bus = Bus(settings.mqtt, service="devices",
...           handlers={topics.event("tasks", "task.completed"): on_completed})
>>> app = create_app(settings, components=[database, bus])
>>> await bus.publish(topics.event("devices", event.type), event)   # returns on PUBACK

What a service listens to is fixed when its bus is built: `handlers` maps topic filters to
handlers, or lists `Subscription(filter, handler, model=, concurrency=, name=, dedicated=)`s
for those that want options. Handlers declare the model they take (or name it as `model`):
`Event[TaskCompleted]`, or `Event[A] | Event[B]` for several events on one filter. A payload
that is not JSON, does not fit the model or names an event the handler does not take goes to
`fleet/dlq/<service>` with the reason, and the service carries on. Envelope events are
deduplicated by id. Handlers run with the message's correlation id in
`chassis.context.correlation_id`; publishes carry the current one in the envelope and as the
MQTT 5 user property `correlation_id`. `export_broker_stats(settings)` gives the subscriptions
that export the broker's own dropped and stored message counts as metrics.
"""

from chassis.mqtt.bridge import BusUnavailable
from chassis.mqtt.broker_stats import export_broker_stats
from chassis.mqtt.bus import Bus
from chassis.mqtt.deadletter import DeadLetter, DeadLetterRecord
from chassis.mqtt.dedupe import DedupeStore, MemoryDedupe
from chassis.mqtt.routing import Delivery, Handler, Subscription
from chassis.mqtt.settings import Announcement, DedicatedConnection, MqttSettings
from chassis.mqtt.wire import CORRELATION_PROPERTY

__all__ = [
    "CORRELATION_PROPERTY",
    "Announcement",
    "Bus",
    "BusUnavailable",
    "DeadLetter",
    "DeadLetterRecord",
    "DedicatedConnection",
    "DedupeStore",
    "Delivery",
    "Handler",
    "MemoryDedupe",
    "MqttSettings",
    "Subscription",
    "export_broker_stats",
]
