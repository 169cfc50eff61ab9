"""Service processes: run one to completion, or keep one running (restarted with backoff, held
down while `fleet stop <service>` asks, or restarted at once on new code: `fleet up --reload`).

Each process gets its own session (process group): Ctrl-C in the terminal reaches the runner
only, which then stops the services in order, and a stop signals the whole group, so nothing a
service spawned is left behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO

from fleet.backoff import RestartBackoff
from fleet.logs import strip_colors

Emit = Callable[[str, str], None]  # (service, line): a line of a service's output
Report = Callable[[str], None]  # something the runner says loudly about a service
Held = Callable[[], bool]  # whether the service is to stay down (`fleet stop`) for now

_LINE_LIMIT = 1 << 20  # a traceback or a JSON log line may be long; readline's default is 64 KiB
_SPARE_AFTER = 5.0  # seconds after a start before its spare is made: the start has the CPU first


class ServiceProcess:
    """One service kept running: its output goes to `emit` and to its log file; when it
    crashes it is reported and started again after the backoff's delay. When it exits while
    `held` says so, it stays down until `held` says otherwise, then starts at once."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        env: Mapping[str, str],
        *,
        log_path: Path,
        emit: Emit,
        report: Report,
        cwd: Path,
        backoff: RestartBackoff | None = None,
        held: Held = lambda: False,
        on_start: Callable[[], None] = lambda: None,
        spare_env: Mapping[str, str] | None = None,
    ) -> None:
        """`spare_env`: keep a spare process ready, started with these variables added, that
        does what takes time and then waits for a line on its stdin to go on (a restart then
        costs only what follows; `fleet up --reload`)."""
        self.name = name
        self._argv = list(argv)
        self._env = dict(env)
        self._emit = emit
        self._report = report
        self._cwd = cwd
        self._backoff = backoff or RestartBackoff()
        self._log_path = log_path
        self._held = held
        self._on_start = on_start
        self._process: asyncio.subprocess.Process | None = None
        self._spare_env = spare_env
        self._spare: asyncio.subprocess.Process | None = None
        self._sparing: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._renewing = False  # restart() stopped it: start again at once, no crash to report
        self._renewed = asyncio.Event()  # cuts a crash's backoff short
        self.starts = 0

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.returncode is None else None

    async def run(self) -> None:
        """Run until stop(): start, wait, report a crash, wait the backoff, start again."""
        loop = asyncio.get_running_loop()
        with self._log_path.open("a", buffering=1) as log:
            while not self._stopping.is_set():
                if self._held():  # held while down (crashed, waiting out its backoff)
                    await self._while_held()
                    continue
                started = loop.time()
                self._process = await self._launch()
                self.starts += 1
                self._on_start()
                await _pump(self._process, self.name, self._emit, log)
                code = await self._process.wait()
                if self._stopping.is_set():
                    return
                if self._renewing:
                    self._renewing = False
                    continue
                if self._held():
                    self._report(f"{self.name} stopped on request: ./fleet start {self.name}")
                    continue
                uptime = loop.time() - started
                delay = self._backoff.next_delay(uptime)
                self._report(
                    f"{self.name} CRASHED (exit code {code}) after {uptime:.1f} s; restarting in "
                    f"{delay:g} s (crash {self._backoff.crashes} in a row; "
                    f"log: {self._log_path})"
                )
                await self._wait_out(delay)

    async def _launch(self) -> asyncio.subprocess.Process:
        if self._spare_env is None:
            return await _spawn(self._argv, self._env, self._cwd)
        if self._sparing is not None:
            self._sparing.cancel()
        process, self._spare = self._spare, None
        if process is None or process.returncode is not None:
            process = await self._spawn_spare()
        assert process.stdin is not None  # spawned with stdin=PIPE
        process.stdin.write(b"go\n")
        process.stdin.close()
        self._sparing = asyncio.create_task(self._prepare_spare())
        return process

    async def _spawn_spare(self) -> asyncio.subprocess.Process:
        env = {**self._env, **(self._spare_env or {})}
        return await _spawn(self._argv, env, self._cwd, spare=True)

    async def _prepare_spare(self) -> None:
        await asyncio.sleep(_SPARE_AFTER)
        if not self._stopping.is_set():
            self._spare = await self._spawn_spare()

    async def _drop_spare(self) -> None:
        if self._sparing is not None:
            self._sparing.cancel()
        spare, self._spare = self._spare, None
        if spare is not None and spare.returncode is None:
            signal_group(spare.pid, signal.SIGKILL)
            await spare.wait()

    async def _wait_out(self, delay: float) -> None:
        """The backoff after a crash, ended early by stop() or restart()."""
        self._renewed.clear()
        waits = [asyncio.ensure_future(e.wait()) for e in (self._stopping, self._renewed)]
        await asyncio.wait(waits, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
        for wait in waits:
            wait.cancel()

    async def restart(self, grace: float) -> None:
        """Start it again now, on the code as it is now: the running process is stopped as
        stop() stops one; one waiting out a crash's backoff starts at once, its crashes
        forgotten (new code deserves a first try)."""
        self._backoff.reset()
        process = self._process
        if process is not None and process.returncode is None:
            self._renewing = True
            await self._terminate(process, grace)
        self._renewed.set()

    async def _while_held(self, interval: float = 0.2) -> None:
        while self._held() and not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), interval)

    async def stop(self, grace: float) -> None:
        """SIGTERM, `grace` seconds to drain, then SIGKILL; no restart afterwards."""
        self._stopping.set()
        await self._drop_spare()
        process = self._process
        if process is not None and process.returncode is None:
            await self._terminate(process, grace)

    async def _terminate(self, process: asyncio.subprocess.Process, grace: float) -> None:
        signal_group(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), grace)
        except TimeoutError:
            self._report(f"{self.name} did not stop within {grace:g} s: killing it")
            signal_group(process.pid, signal.SIGKILL)
            await process.wait()


async def run_once(
    name: str,
    argv: Sequence[str],
    env: Mapping[str, str],
    *,
    log_path: Path,
    emit: Emit,
    cwd: Path,
) -> tuple[int, str]:
    """Run a one-off command of a service (migrate, create-admin): exit code and output."""
    lines: list[str] = []

    def collect(service: str, line: str) -> None:
        lines.append(line)
        emit(service, line)

    with log_path.open("a", buffering=1) as log:
        process = await _spawn(argv, env, cwd)
        try:
            await _pump(process, name, collect, log)
            code = await process.wait()
        except asyncio.CancelledError:  # Ctrl-C during startup: leave nothing behind
            signal_group(process.pid, signal.SIGKILL)
            await process.wait()
            raise
    return code, "".join(lines)


def signal_group(pid: int, signum: signal.Signals) -> None:
    """Signal the process group `pid` leads (its own session), ignoring one already gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


async def _spawn(
    argv: Sequence[str], env: Mapping[str, str], cwd: Path, *, spare: bool = False
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *argv,
        env=dict(env),
        cwd=cwd,
        # A spare waits for its go on stdin; a process running for real reads nothing.
        stdin=asyncio.subprocess.PIPE if spare else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
        limit=_LINE_LIMIT,
    )


async def _pump(process: asyncio.subprocess.Process, name: str, emit: Emit, log: IO[str]) -> None:
    assert process.stdout is not None  # spawned with stdout=PIPE
    while line := await process.stdout.readline():
        text = line.decode(errors="replace")
        emit(name, text)
        # A line-buffered local file: a short write, not worth a thread per line.
        log.write(strip_colors(text))
