"""What the monitor shows, as data: readiness, per-second rates and the last log lines."""

from __future__ import annotations

import time
from collections.abc import Iterable

from prometheus_client import REGISTRY
from pydantic import BaseModel

from chassis.health import Readiness, readiness
from chassis.lifecycle import Components
from chassis.logging import recent_lines
from chassis.monitor.redaction import redact

# Counter families (without the _total suffix) whose sums become per-second rates.
_RATES = {
    "requests": "fleet_http_requests",
    "mqtt_in": "fleet_mqtt_messages_received",
    "mqtt_out": "fleet_mqtt_messages_published",
    "dead_lettered": "fleet_mqtt_messages_dead_lettered",
    "retries": "fleet_http_client_retries",
}


class MonitorSnapshot(BaseModel):
    service: str
    environment: str
    readiness: Readiness
    rates: dict[str, float]
    outbox_backlog: float
    log_lines: list[str]  # credentials redacted (chassis.monitor.redaction)


class Rates:
    """Per-second rates of the fleet counters, from the change since the previous sample."""

    def __init__(self) -> None:
        self._last: tuple[float, dict[str, float]] | None = None

    def sample(self) -> dict[str, float]:
        now, totals = time.monotonic(), _totals(_RATES.values())
        previous, self._last = self._last, (now, totals)
        if previous is None or now <= previous[0]:
            return dict.fromkeys(_RATES, 0.0)
        elapsed = now - previous[0]
        return {
            key: max(0.0, (totals[family] - previous[1].get(family, 0.0)) / elapsed)
            for key, family in _RATES.items()
        }


def take_snapshot(
    service: str, environment: str, components: Components, rates: Rates, lines: int = 30
) -> MonitorSnapshot:
    return MonitorSnapshot(
        service=service,
        environment=environment,
        readiness=readiness(components),
        rates=rates.sample(),
        outbox_backlog=_totals(["fleet_outbox_backlog"])["fleet_outbox_backlog"],
        log_lines=[redact(line) for line in recent_lines().snapshot()[-lines:]],
    )


def _totals(families: Iterable[str]) -> dict[str, float]:
    wanted = set(families)
    totals = dict.fromkeys(wanted, 0.0)
    for metric in REGISTRY.collect():
        if metric.name in wanted:
            totals[metric.name] = sum(
                s.value for s in metric.samples if s.name in (metric.name, f"{metric.name}_total")
            )
    return totals
