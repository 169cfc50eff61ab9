"""/health/live (the process answers) and /health/ready (its dependencies are usable)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from chassis.lifecycle import Components
from chassis.metrics import fleet_metrics


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


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


health_router = APIRouter(prefix="/health", tags=["operations"])

_LIVE = b'{"status":"ok"}'


@health_router.get("/live", response_model=Liveness, operation_id="health_live")
async def live() -> Response:
    # Pre-encoded: liveness must stay the cheapest route of the service.
    return Response(_LIVE, media_type="application/json")


@health_router.get(
    "/ready",
    response_model=Readiness,
    operation_id="health_ready",
    responses={503: {"model": Readiness, "description": "A required dependency is down"}},
)
async def ready(request: Request) -> JSONResponse:
    state = readiness(request.app.state.components)
    return JSONResponse(state.model_dump(), status_code=200 if state.status == "ready" else 503)
