"""Logins/s per core (argon2 at library defaults), and GET /v1/users/me vs /health/live.

uvicorn (uvloop, httptools, one worker) on core 0, wrk on core 1; loopback only, bounded. Both
HTTP figures come from the same server in the same run, so their ratio holds on any machine.

    ./pants run benchmarks/users/login_and_me.py -- --seconds 10

Targets (issue 4): report logins/s per core; /v1/users/me >= 0.5x /health/live.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from benchmarks.server import Server
from benchmarks.users import app as bench_app  # imported so Pants packs it with this script

PASSWORD = "bench password 2024"  # noqa: S105 (a throwaway account on a temporary database)


def wrk(url: str, seconds: int, connections: int, *extra: str) -> tuple[float, str]:
    command = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", *extra]
    out = subprocess.run(
        [*command, "--latency", url], check=True, capture_output=True, text=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise RuntimeError(f"{url}: {non_2xx.group(1)} failed responses\n{out}")
    return rps, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--out", type=Path, default=Path("reports/bench-users.json"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="users-bench-") as folder:
        results = run(Path(folder), args.seconds, args.connections)
    live, me = results["health_live_rps"], results["users_me_rps"]
    print(f"logins/s (1 core, argon2 defaults): {results['logins_per_s']:.1f}")
    print(f"GET /health/live: {live:.0f} req/s")
    print(f"GET /v1/users/me: {me:.0f} req/s = {me / live:.2f}x /health/live (target >= 0.5x)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results | {"me_vs_live": me / live}, indent=2))


def run(folder: Path, seconds: int, connections: int) -> dict[str, float]:
    env = {
        "USERS__DATABASE__URL": f"sqlite:///{folder}/users.sqlite3",
        "USERS__TOKENS__KEYS_DIR": str(folder / "keys"),
        "USERS__MONITOR__ENABLED": "false",
        "USERS__LOGGING__LEVEL": "WARNING",
        "USERS__LOGGING__ACCESS_LOG": "false",
    }
    with Server(f"{bench_app.__name__}:create", env, start_within=30) as server:
        base = server.url("")
        body = {"username": "bench", "email": "bench@example.com", "password": PASSWORD}
        httpx.post(f"{base}/v1/users", json=body).raise_for_status()
        form = {"username": "bench", "password": PASSWORD}
        token = httpx.post(f"{base}/v1/auth/token", data=form).json()["access_token"]
        auth = ["-H", f"Authorization: Bearer {token}"]
        wrk(f"{base}/v1/users/me", 2, 8, *auth)  # warm-up
        live, _ = wrk(f"{base}/health/live", seconds, connections)
        me, _ = wrk(f"{base}/v1/users/me", seconds, connections, *auth)
        script = folder / "login.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            f'wrk.body = "username=bench&password={PASSWORD.replace(" ", "+")}"\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        )
        # Few connections: each login holds a worker thread for the whole hash.
        logins, _ = wrk(f"{base}/v1/auth/token", seconds, 4, "-s", str(script))
    return {"logins_per_s": logins, "health_live_rps": live, "users_me_rps": me}


if __name__ == "__main__":
    main()
