"""Requests/s of a JSON route: bare FastAPI vs the whole chassis stack, and /health/live.

uvicorn (uvloop, httptools, one worker) is pinned to core 0 and wrk to core 1; every variant is
measured in the same run, so the ratios hold whatever the machine. Loopback only, bounded.

    ./pants run tools/bench/http_stack.py -- --seconds 10 --connections 32

Targets (issue 3): chassis /v1 route >= 0.75x bare; chassis /health/live >= 0.9x bare.
Tracing (issue 16): off (the variants above) no regression; on, every request sampled and its
spans exported to a local OTLP/HTTP receiver run by this script, >= 0.55x bare (and, for the
record, with 10% of requests sampled, as prod runs).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.apps import OTLP_ENDPOINT
from chassis.local import free_port, wait_for_port
from chassis.testing.traces import TraceReceiver


class ServerFailed(RuntimeError):
    """A variant's server did not start; the message holds what it printed."""


@dataclass
class Result:
    variant: str
    path: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float


VARIANTS = [
    ("bare FastAPI", "bench.apps:bare", "/v1/items/7"),
    ("chassis /v1 route", "bench.apps:chassis", "/v1/items/7"),
    ("chassis /health/live", "bench.apps:chassis", "/health/live"),
    ("chassis, no monitor", "bench.apps:chassis_no_monitor", "/v1/items/7"),
    ("chassis, traced 10%", "bench.apps:chassis_traced_tenth", "/v1/items/7"),
    ("chassis, traced", "bench.apps:chassis_traced", "/v1/items/7"),
]


def measure(factory: str, path: str, seconds: int, connections: int) -> tuple[float, float, float]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            ["taskset", "-c", "0", sys.executable, "-m", "uvicorn", factory, "--factory",
             "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level",
             "warning", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            if not _listening(server, port, within=30):
                log.seek(0)
                said = log.read().decode(errors="replace").strip()
                raise ServerFailed(f"{factory} did not start; it said:\n{said}")
            url = f"http://127.0.0.1:{port}{path}"
            subprocess.run(
                ["taskset", "-c", "1", "wrk", "-t1", "-c8", "-d2s", url],
                check=True,
                capture_output=True,
            )  # fmt: skip  (warm-up)
            wrk = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
            out = subprocess.run(
                ["taskset", "-c", "1", *wrk], check=True, capture_output=True, text=True
            ).stdout
        finally:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=15)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return rps, _latency(out, "50%"), _latency(out, "99%")


def _listening(server: subprocess.Popen[bytes], port: int, within: float) -> bool:
    """Whether the server listens on `port` within `within` seconds; False once it exits."""
    deadline = time.monotonic() + within
    while server.poll() is None and time.monotonic() < deadline:
        if wait_for_port("127.0.0.1", port, timeout=0.5):
            return True
    return False


def _latency(out: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--out", type=Path, default=Path("reports/bench-http-stack.json"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    receiver = TraceReceiver()
    receiver.start()
    os.environ[OTLP_ENDPOINT] = receiver.url
    results = []
    try:
        for variant, factory, path in VARIANTS:
            rps, p50, p99 = measure(factory, path, args.seconds, args.connections)
            results.append(Result(variant, path, rps, p50, p99))
            time.sleep(1)
    finally:
        receiver.stop()
    bare = results[0].requests_per_s
    print(f"{'variant':<24}{'req/s':>10}{'x bare':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for r in results:
        print(f"{r.variant:<24}{r.requests_per_s:>10.0f}{r.requests_per_s / bare:>9.2f}"
              f"{r.p50_ms:>9.2f}{r.p99_ms:>9.2f}")  # fmt: skip
    untraced, traced = results[1].requests_per_s, results[-1].requests_per_s
    per_request_us = (1 / traced - 1 / untraced) * 1e6
    print(f"tracing: {len(receiver.spans):,} spans received; {per_request_us:.0f} us per traced "
          "request (one server span each)")  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()
