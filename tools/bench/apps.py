"""The apps the HTTP benchmark compares: bare FastAPI and the same route through the chassis."""

import os

from fastapi import APIRouter, FastAPI

from chassis.app import create_app
from chassis.config import LoggingSettings, ServiceSettings, TracingSettings

# Where the traced variant exports its spans: the benchmark's own OTLP receiver.
OTLP_ENDPOINT = "BENCH_OTLP_ENDPOINT"

ITEM = {"id": "7", "name": "pump", "status": "ok"}


def _router() -> APIRouter:
    router = APIRouter(prefix="/v1")

    @router.get("/items/{item_id}")
    async def get_item(item_id: int) -> dict[str, str]:
        return ITEM

    return router


def bare() -> FastAPI:
    app = FastAPI()
    app.include_router(_router())
    return app


def chassis() -> FastAPI:
    # JSON logs with one access line per request: what production runs.
    settings = ServiceSettings(name="bench", logging=LoggingSettings(format="json"))
    return create_app(settings, routers=[_router()])


def chassis_no_monitor() -> FastAPI:
    settings = ServiceSettings(
        name="bench", logging=LoggingSettings(format="json"), monitor={"enabled": False}
    )
    return create_app(settings, routers=[_router()])


def chassis_traced() -> FastAPI:
    # Every request sampled, spans exported in batches to a local OTLP/HTTP receiver.
    return _traced(sampling_ratio=1.0)


def chassis_traced_tenth() -> FastAPI:
    # What prod runs (deploy/overlays/prod): one new trace in ten recorded.
    return _traced(sampling_ratio=0.1)


def _traced(sampling_ratio: float) -> FastAPI:
    endpoint = os.environ[OTLP_ENDPOINT]
    tracing = TracingSettings(enabled=True, endpoint=endpoint, sampling_ratio=sampling_ratio)
    settings = ServiceSettings(
        name="bench", logging=LoggingSettings(format="json"), tracing=tracing
    )
    return create_app(settings, routers=[_router()])
