"""Load a server (benchmarks.server, on core 0) with wrk on core 1."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Result:
    variant: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    non_2xx: int


_SCRIPT = """
local counter = 0
local headers = %(headers)s
local body = %(body)s
local method = "%(method)s"
local unique = %(unique)s
local prefix = ""
init = function(args)
  prefix = args[1]
end
request = function()
  if unique then
    counter = counter + 1
    headers["Idempotency-Key"] = prefix .. "-" .. counter
  end
  return wrk.format(method, nil, headers, body)
end
"""


def wrk(
    variant: str,
    url: str,
    seconds: int,
    connections: int,
    *,
    method: str = "GET",
    body: object = None,
    headers: dict[str, str] | None = None,
    unique_key: bool = False,
) -> Result:
    """Warm up for 2 s, then measure; every request may carry a fresh Idempotency-Key."""
    sent = dict(headers or {})
    if body is not None:
        sent["Content-Type"] = "application/json"
    lua_headers = "{" + ", ".join(f'["{k}"] = {json.dumps(v)}' for k, v in sent.items()) + "}"
    lua_body = json.dumps(json.dumps(body)) if body is not None else "nil"
    script = _SCRIPT % {
        "headers": lua_headers,
        "body": lua_body,
        "method": method,
        "unique": "true" if unique_key else "false",
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "request.lua"
        path.write_text(script)
        base = ["taskset", "-c", "1", "wrk", "-t1", "-s", str(path)]
        # A fresh key prefix per wrk run: the measurement must not replay the warm-up's keys.
        warm_up = [*base, "-c8", "-d2s", url, "--", uuid.uuid4().hex]
        subprocess.run(warm_up, check=True, capture_output=True)
        out = subprocess.run(
            [*base, f"-c{connections}", f"-d{seconds}s", "--latency", url, "--", uuid.uuid4().hex],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    rps = float(_find(r"Requests/sec:\s+([\d.]+)", out))
    non_2xx = int(_find(r"Non-2xx or 3xx responses:\s+(\d+)", out, "0"))
    return Result(variant, rps, _latency(out, "50%"), _latency(out, "99%"), non_2xx)


def _find(pattern: str, text: str, default: str | None = None) -> str:
    match = re.search(pattern, text)
    if match is None:
        if default is None:
            raise RuntimeError(f"wrk output lacks {pattern!r}:\n{text}")
        return default
    return match.group(1)


def _latency(out: str, percentile: str) -> float:
    match = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", out)
    if match is None:
        raise RuntimeError(f"wrk output lacks the {percentile} latency:\n{out}")
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
