"""Creates at a set rate through wrk (on core 1), noting when each 201 arrived and for which task.

wrk has no rate option; its Lua `delay()` hook is asked before every request, and answers from a
schedule of one request every 1/rate seconds shared by all connections (open loop: a slow answer
does not slow the schedule; past a second behind, it starts again from now instead of bursting).
`response()` writes `<task id> <epoch seconds>` per 201, stamped by LuaJIT's FFI `clock_gettime`
(Lua's own clocks count whole seconds or CPU time).
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

_SCRIPT = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now()
  ffi.C.clock_gettime(0, ts)  -- CLOCK_REALTIME: the subscriber stamps with time.time()
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end
local headers = %(headers)s
local body = %(body)s
local interval = %(interval)s
local prefix, log, counter, due, written = "", nil, 0, nil, 0
init = function(args)
  prefix = args[1]
  log = io.open(args[2], "w")
end
delay = function()
  if interval <= 0 then return 0 end
  local t = now()
  if due == nil or t - due > 1 then due = t end
  local slot = due
  due = due + interval
  local wait = (slot - t) * 1000
  if wait < 0 then return 0 end
  return wait
end
request = function()
  counter = counter + 1
  headers["Idempotency-Key"] = prefix .. "-" .. counter
  return wrk.format("POST", nil, headers, body)
end
response = function(status, _, answer)
  if status == 201 then
    local id = string.match(answer, '"id":"(%%d+)"')
    log:write(id, " ", string.format("%%.6f", now()), "\\n")
    written = written + 1
    if written %% 500 == 0 then log:flush() end
  end
end
"""


@dataclass
class Creates:
    """What one paced run did: its rate, latency, and when each created task's 201 came."""

    rate_asked: float | None
    creates_per_s: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    answered: dict[int, float] = field(repr=False)  # task id -> epoch seconds of its 201


def paced_creates(
    url: str,
    *,
    seconds: int,
    connections: int,
    rate: float | None,
    body: object,
    headers: dict[str, str],
) -> Creates:
    """POST `body` to `url` for `seconds` at `rate` per second (None: as fast as it answers)."""
    sent = {**headers, "Content-Type": "application/json"}
    script = _SCRIPT % {
        "headers": "{" + ", ".join(f'["{k}"] = {json.dumps(v)}' for k, v in sent.items()) + "}",
        "body": json.dumps(json.dumps(body)),
        "interval": repr(1.0 / rate if rate else 0.0),
    }
    with tempfile.TemporaryDirectory(prefix="bench-paced-") as folder:
        path, log = Path(folder) / "paced.lua", Path(folder) / "answered.txt"
        path.write_text(script)
        command = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
                   "--latency", "-s", str(path), url, "--", uuid.uuid4().hex, str(log)]  # fmt: skip
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        lines = (line.split() for line in log.read_text().splitlines() if line)
        answered = {int(task_id): float(when) for task_id, when in lines}
    return Creates(
        rate_asked=rate,
        creates_per_s=len(answered) / seconds,
        p50_ms=_latency(out, "50%"),
        p99_ms=_latency(out, "99%"),
        non_2xx=int(_find(r"Non-2xx or 3xx responses:\s+(\d+)", out, "0")),
        answered=answered,
    )


def _find(pattern: str, text: str, default: str) -> str:
    match = re.search(pattern, text)
    return default if match is None else match.group(1)


def _latency(out: str, percentile: str) -> float:
    match = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", out)
    if match is None:
        raise RuntimeError(f"wrk output lacks the {percentile} latency:\n{out}")
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
