"""The monitor's OTLP/HTTP trace receiver (`POST /v1/traces`) and the traces as JSON.

What a collector's OTLP/HTTP endpoint answers, for the protobuf encoding the OpenTelemetry SDK's
exporter sends (gzip or deflate compressed, or not): 200 with an empty ExportTraceServiceResponse,
400 when the body is no export, 415 for OTLP/JSON, which the fleet's services never send.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from chassis.tracing.received import decode_export
from fleet_monitor.traces import TraceStore

PROTOBUF = "application/x-protobuf"
_DECOMPRESS: dict[str, Callable[[bytes], bytes]] = {
    "identity": bytes,
    "gzip": gzip.decompress,
    "deflate": zlib.decompress,
}


def traces_router(store: TraceStore) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.post("/v1/traces")
    async def receive(request: Request) -> Response:
        media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if media_type != PROTOBUF:
            return _problem(
                415,
                "Unsupported Media Type",
                f"send OTLP/HTTP protobuf (Content-Type: {PROTOBUF}); "
                f"got {media_type or 'no Content-Type'}",
            )
        encoding = request.headers.get("content-encoding", "identity").strip().lower()
        decompress = _DECOMPRESS.get(encoding)
        if decompress is None:
            return _problem(415, "Unsupported Media Type", f"unknown Content-Encoding {encoding}")
        try:
            spans = decode_export(decompress(await request.body()))
        except (ValueError, OSError, EOFError, zlib.error) as exc:
            return _problem(400, "Bad Request", str(exc))
        store.add(spans)
        return Response(status_code=200, media_type=PROTOBUF)  # an empty export response

    @router.get("/traces.json")
    async def traces_json() -> dict[str, Any]:
        # The trace list, for scripts and `curl`; one trace's spans at /traces/<id>.json.
        return {
            "traces": [{**asdict(s), "started_at": s.started_at} for s in store.summaries()],
            "kept": {"traces": len(store), "spans": store.span_count, "dropped": store.dropped},
            "limits": {"traces": store.max_traces, "spans": store.max_spans},
        }

    @router.get("/traces/{trace_id}.json", response_model=None)
    async def trace_json(trace_id: str) -> dict[str, Any] | JSONResponse:
        spans = store.spans(trace_id)
        if not spans:
            return _problem(404, "Not Found", f"no trace {trace_id} (never received, or evicted)")
        return {"trace_id": trace_id, "spans": [asdict(s) for s in spans]}

    return router


def _problem(status: int, title: str, detail: str) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")
