"""Runs locust headless, in a process of its own, against the fleet: gevent's monkey-patching
stays there, never in the process (or test) that starts it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from load.target import FleetTarget

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
_DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


class LocustFailed(Exception):
    """Locust did not run to the end; the message holds the tail of its log."""


@dataclass(frozen=True)
class LoadRun:
    users: int
    spawn_rate: float
    seconds: int
    out: Path

    @property
    def stats_csv(self) -> Path:
        return self.out / "load_stats.csv"

    @property
    def exceptions_csv(self) -> Path:
        return self.out / "load_exceptions.csv"

    @property
    def html_report(self) -> Path:
        return self.out / "report.html"

    @property
    def log(self) -> Path:
        return self.out / "locust.log"

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
            "-u", str(self.users), "-r", f"{self.spawn_rate:g}", "-t", f"{self.seconds}s",
            "--csv", str(self.out / "load"), "--html", str(self.html_report), "--only-summary",
        ]  # fmt: skip


def parse_duration(text: str) -> int:
    """Seconds in `90`, `20s`, `5m`, `1h30m` (locust's forms); ValueError unless positive."""
    text = text.strip()
    match = _DURATION.fullmatch(text)
    if text.isdigit():
        seconds = int(text)
    elif text and match:
        hours, minutes, secs = (int(part or 0) for part in match.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    else:
        raise ValueError(f"{text!r} is not a duration like 30s, 5m or 1h30m")
    if seconds <= 0:
        raise ValueError("the duration must be at least 1s")
    return seconds


def run_locust(run: LoadRun, target: FleetTarget) -> bool:
    """Run locust for `run.seconds` (its output in `run.log`); whether Ctrl-C cut it short.
    LocustFailed unless it ran to the end (or the Ctrl-C) and wrote its stats."""
    run.out.mkdir(parents=True, exist_ok=True)
    for earlier in (run.stats_csv, run.exceptions_csv):
        earlier.unlink(missing_ok=True)  # never judge an earlier run's figures
    # The locust process imports exactly what this one can (from a pex, a sandbox or a checkout).
    path = os.pathsep.join(os.path.abspath(p) for p in sys.path if p)
    env = {**os.environ, **target.as_env(), "PYTHONPATH": path}
    with run.log.open("w") as log:
        process = subprocess.Popen(run.command(), env=env, stdout=log, stderr=subprocess.STDOUT)
        code, interrupted = _wait(process, run)
    # 1 means "some requests failed", which the verdict judges; anything else, a crash.
    if code not in (0, 1) or not run.stats_csv.exists():
        raise LocustFailed(f"locust exited with code {code}\n{_tail(run.log)}")
    return interrupted


def _wait(process: subprocess.Popen[bytes], run: LoadRun) -> tuple[int, bool]:
    """Locust's exit code, and whether Ctrl-C stopped it."""
    try:
        try:
            # Locust stops itself after run.seconds; the margin covers its start and shutdown.
            return process.wait(timeout=run.seconds + 60), False
        except KeyboardInterrupt:
            # The Ctrl-C reached locust too: let it write its stats, then judge what it has.
            return process.wait(timeout=30), True
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        process.kill()
        process.wait()
        raise LocustFailed(f"locust did not stop in time\n{_tail(run.log)}") from None


def _tail(log: Path, lines: int = 20) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
