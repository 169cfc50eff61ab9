"""Device topics under the configured prefix (empty in production; per test in tests)."""

from __future__ import annotations

from dataclasses import dataclass

from contracts import topics
from contracts.ids import parse_id


@dataclass(frozen=True)
class DeviceTopics:
    prefix: str = ""
    share_group: str = "devices"

    def telemetry_filter(self) -> str:
        """The shared subscription replicas split: `$share/devices/fleet/devices/+/telemetry`;
        without a group, a plain one (a single replica)."""
        return self._split(self.prefix + topics.telemetry("+"))

    def status_filter(self) -> str:
        # Not shared: retained presence is never sent to shared subscriptions.
        return self.prefix + topics.status("+")

    def ack_filter(self) -> str:
        return self._split(self.prefix + topics.command_ack("+", "+"))

    def _split(self, topic_filter: str) -> str:
        # Mosquitto restores a plain subscription from its persistence file, but not a shared
        # one: a lone replica loses nothing across a broker restart without the group.
        return topics.shared(self.share_group, topic_filter) if self.share_group else topic_filter

    def telemetry(self, device_id: int | str) -> str:
        return self.prefix + topics.telemetry(device_id)

    def status(self, device_id: int | str) -> str:
        return self.prefix + topics.status(device_id)

    def commands(self, device_id: int | str) -> str:
        return self.prefix + topics.commands(device_id)

    def command_ack(self, device_id: int | str, command_id: int | str) -> str:
        return self.prefix + topics.command_ack(device_id, command_id)

    def device_of(self, topic: str) -> int | None:
        """The device id in `<prefix>fleet/devices/{id}/...`, or None if it is not one."""
        levels = topic.removeprefix(self.prefix).split("/")
        return parse_id(levels[2]) if len(levels) >= 3 else None

    def event(self, service: str, event_type: str) -> str:
        return self.prefix + topics.event(service, event_type)
