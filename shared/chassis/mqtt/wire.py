"""What goes on the wire: payload bytes, and the correlation id and trace context beside them.

Each travels twice: in the event envelope (every broker, MQTT 3.1.1 too) and as an MQTT 5 user
property, `correlation_id` and `traceparent` (readable without parsing the payload, and set on
non-events).
"""

from __future__ import annotations

from paho.mqtt.client import MQTTMessage
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from pydantic import BaseModel

from chassis.context import correlation_id
from chassis.tracing import TRACEPARENT, current_traceparent
from contracts import Event

CORRELATION_PROPERTY = "correlation_id"


def encode(message: BaseModel | bytes | str) -> tuple[bytes, str | None]:
    """The payload of `message` and its correlation id (the event's, else the current work's).

    An event without a correlation id or trace context gets the current one, so a chain of work
    stays linked.
    """
    rid = correlation_id.get()
    if isinstance(message, Event):
        missing: dict[str, str] = {}
        if message.correlation_id is None and rid:
            missing["correlation_id"] = rid
        if message.traceparent is None and (traceparent := current_traceparent()):
            missing[TRACEPARENT] = traceparent
        if missing:
            message = message.model_copy(update=missing)
        rid = message.correlation_id
    if isinstance(message, BaseModel):
        return message.model_dump_json().encode(), rid
    return (message.encode() if isinstance(message, str) else message), rid


def properties_of(packet_type: int) -> Properties:
    """Empty MQTT 5 properties for one packet type (paho's constructor is untyped)."""
    return Properties(packet_type)  # type: ignore[no-untyped-call]


def publish_properties(
    rid: str | None, expiry: int | None = None, traceparent: str | None = None
) -> Properties | None:
    """MQTT 5 properties carrying `rid`, the `traceparent` of the publish and the message's
    `expiry` in seconds, or None when there is nothing to carry."""
    if not rid and expiry is None and not traceparent:
        return None
    properties = properties_of(PacketTypes.PUBLISH)
    carried = [(CORRELATION_PROPERTY, rid), (TRACEPARENT, traceparent)]
    if user := [(key, value) for key, value in carried if value]:
        properties.UserProperty = user
    if expiry is not None:
        properties.MessageExpiryInterval = expiry
    return properties


def received_context(message: MQTTMessage) -> tuple[str | None, str | None]:
    """The MQTT 5 user properties `correlation_id` and `traceparent` of a received message."""
    rid = traceparent = None
    for key, value in getattr(message.properties, "UserProperty", None) or ():
        if key == CORRELATION_PROPERTY:
            rid = str(value)
        elif key == TRACEPARENT:
            traceparent = str(value)
    return rid, traceparent


def subscription_number(message: MQTTMessage) -> int | None:
    """MQTT 5: the identifier of the subscription that matched (we number them from 1)."""
    numbers = getattr(message.properties, "SubscriptionIdentifier", None)
    return int(numbers[0]) if numbers else None
