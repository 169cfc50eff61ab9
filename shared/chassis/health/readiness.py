"""Readiness: each component's health, and whether the service can take work."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from chassis.lifecycle import Components
from chassis.metrics import fleet_metrics


class DependencyState(BaseModel):
    status: Literal["up", "down"]
    required: bool
    detail: str | None = None
    info: dict[str, Any] = {}


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    dependencies: dict[str, DependencyState]


def readiness(components: Components) -> Readiness:
    """Each component's health; not ready when a required one is down (or its breaker open)."""
    states: dict[str, DependencyState] = {}
    gauge = fleet_metrics().dependency_up
    for component in components:
        health = component.health()
        states[component.name] = DependencyState(
            status=health.status,
            required=component.required,
            detail=health.detail,
            info=health.info,
        )
        gauge.labels(component.name).set(1 if health.status == "up" else 0)
    ready = all(s.status == "up" for s in states.values() if s.required)
    return Readiness(status="ready" if ready else "not_ready", dependencies=states)
