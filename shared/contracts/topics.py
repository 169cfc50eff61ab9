"""Every MQTT topic Fleet uses, built in one place so producers and consumers agree.

>>> telemetry(42)
'fleet/devices/42/telemetry'
>>> shared("devices", telemetry("+"))
'$share/devices/fleet/devices/+/telemetry'
"""

from __future__ import annotations

ROOT = "fleet"


def _segment(value: int | str, what: str) -> str:
    text = str(value)
    # Ids become topic levels: a '/', '+' or '#' in one would route messages elsewhere.
    if not text or any(c in text for c in "/#\0") or ("+" in text and text != "+"):
        raise ValueError(f"{what} {text!r} cannot be a topic level")
    return text


def device(device_id: int | str) -> str:
    """`fleet/devices/{device_id}`, the root of one device's topics (`+` for any device)."""
    return f"{ROOT}/devices/{_segment(device_id, 'device id')}"


def telemetry(device_id: int | str) -> str:
    """Device -> devices service: readings (`contracts.devices.Telemetry`)."""
    return f"{device(device_id)}/telemetry"


def status(device_id: int | str) -> str:
    """Retained presence: `online` on connect, `offline` as the device's last will."""
    return f"{device(device_id)}/status"


def commands(device_id: int | str) -> str:
    """Devices service -> device: `contracts.devices.Command`."""
    return f"{device(device_id)}/commands"


def command_ack(device_id: int | str, command_id: int | str) -> str:
    """Device -> devices service: `contracts.devices.CommandAck` for one command (`+` for any)."""
    return f"{commands(device_id)}/{_segment(command_id, 'command id')}/ack"


def event(service: str, event_type: str) -> str:
    """Domain events: `fleet/events/tasks/task.completed` (`+` or `#` as wildcards)."""
    if event_type == "#":
        return f"{ROOT}/events/{_segment(service, 'service')}/#"
    return f"{ROOT}/events/{_segment(service, 'service')}/{_segment(event_type, 'event type')}"


def state(service: str, name: str) -> str:
    """Retained state a service keeps on the broker, not an event: the last message is it."""
    return f"{ROOT}/state/{_segment(service, 'service')}/{_segment(name, 'state name')}"


ACCESS_REVOCATIONS = state("users", "access-revocations")
"""Users -> every service, retained: `contracts.auth.AccessRevocations`."""


def dead_letters(service: str) -> str:
    """Where a service puts messages it could not handle, with the reason."""
    return f"{ROOT}/dlq/{_segment(service, 'service')}"


def shared(group: str, topic_filter: str) -> str:
    """A shared subscription: the group's subscribers split the messages of `topic_filter`."""
    return f"$share/{_segment(group, 'group')}/{topic_filter}"
