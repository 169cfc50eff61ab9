"""What the page shows, as plain rows: built from the services' JSON, never from the page.

Every function here is pure and total: a service that is down, slow or answers nonsense becomes
a row that says so, because the page must keep rendering whatever the fleet does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from chassis.health import Readiness
from chassis.monitor import MonitorSnapshot

RATE_KEYS = ("requests", "mqtt_in", "mqtt_out", "dead_lettered", "retries")


@dataclass(frozen=True)
class Probe:
    """What one poll of a service returned: the two operational endpoints, or why not."""

    name: str
    url: str
    ready_status: int | None = None  # HTTP status of /health/ready; None when unreachable
    ready_body: Any = None
    snapshot: Any = None
    error: str | None = None


@dataclass(frozen=True)
class ServiceRow:
    name: str
    url: str
    health: Literal["up", "down"]
    readiness: Literal["ready", "not ready", "unknown"]
    environment: str = ""
    rates: dict[str, float] = field(default_factory=dict)
    outbox_backlog: float = 0.0
    detail: str = ""


@dataclass(frozen=True)
class DependencyRow:
    service: str
    dependency: str
    state: Literal["up", "down"]
    required: bool
    breaker: str  # "closed" / "open" / "half-open", or "" when the dependency has none
    detail: str


def service_row(probe: Probe) -> ServiceRow:
    """One service's line: up when /health/ready answered at all, ready when it said so."""
    if probe.ready_status is None:
        return ServiceRow(probe.name, probe.url, "down", "unknown", detail=probe.error or "")
    readiness = _readiness(probe.ready_body)
    snapshot = _snapshot(probe.snapshot)
    if readiness is None and snapshot is not None:
        readiness = snapshot.readiness
    if readiness is None:
        # Answered, but not the chassis's JSON (a proxy's error page, another app on the port).
        return ServiceRow(
            probe.name, probe.url, "down", "unknown", detail=f"HTTP {probe.ready_status}"
        )
    return ServiceRow(
        probe.name,
        probe.url,
        "up",
        "ready" if readiness.status == "ready" else "not ready",
        environment=snapshot.environment if snapshot else "",
        rates={k: snapshot.rates.get(k, 0.0) for k in RATE_KEYS} if snapshot else {},
        outbox_backlog=snapshot.outbox_backlog if snapshot else 0.0,
        detail=_down_required(readiness) or (probe.error or ""),
    )


def dependency_rows(probe: Probe) -> list[DependencyRow]:
    """Each dependency of one service with its breaker, from the freshest readiness we have."""
    readiness = _readiness(probe.ready_body)
    if readiness is None:
        snapshot = _snapshot(probe.snapshot)
        readiness = snapshot.readiness if snapshot else None
    if readiness is None:
        return []
    return [
        DependencyRow(
            service=probe.name,
            dependency=name,
            state=dep.status,
            required=dep.required,
            breaker=str(dep.info.get("breaker", "")),
            detail=dep.detail or "",
        )
        for name, dep in readiness.dependencies.items()
    ]


def fleet_rates(rows: list[ServiceRow]) -> dict[str, float]:
    """The whole fleet's per-second rates: the sum over the services that answered."""
    return {key: sum(row.rates.get(key, 0.0) for row in rows) for key in RATE_KEYS}


def _readiness(body: Any) -> Readiness | None:
    try:
        return Readiness.model_validate(body)
    except ValidationError:
        return None


def _snapshot(body: Any) -> MonitorSnapshot | None:
    try:
        return MonitorSnapshot.model_validate(body)
    except ValidationError:
        return None


def _down_required(readiness: Readiness) -> str:
    down = [n for n, d in readiness.dependencies.items() if d.required and d.status == "down"]
    return f"required down: {', '.join(down)}" if down else ""
