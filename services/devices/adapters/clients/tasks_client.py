"""The tasks service, as devices needs it: open the maintenance task of an alarm."""

from __future__ import annotations

from chassis.http import DownstreamClient, DownstreamSettings, TokenProvider
from devices.service.alarms import Alarm


class TasksClient(DownstreamClient):
    def __init__(self, settings: DownstreamSettings, *, token_provider: TokenProvider) -> None:
        super().__init__("tasks-api", settings, token_provider=token_provider)

    async def open_alarm_task(self, alarm: Alarm) -> int:
        """The id of the alarm's task. Idempotency-Key = alarm id: tasks opens it at most once,
        however many times (or replicas) ask."""
        body = {
            "title": f"{alarm.metric} alarm on device {alarm.device_id}",
            "description": (
                f"{alarm.metric} read {alarm.value:g} at {alarm.raised_at.isoformat()}, "
                f"past its threshold {alarm.threshold:g}."
            ),
            "priority": "high",
            "source": "alarm",
            "device_id": str(alarm.device_id),
            "alarm_id": str(alarm.id),
        }
        response = await self.post("/v1/tasks", json=body, idempotency_key=str(alarm.id))
        return int(response.json()["id"])
