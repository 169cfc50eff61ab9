"""/health/live (the process answers) and /health/ready (its dependencies are usable)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from chassis.health import Readiness, readiness


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


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
