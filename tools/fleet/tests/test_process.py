import asyncio
import itertools
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fleet import process as process_module
from fleet.backoff import RestartBackoff
from fleet.control import stop_leftovers
from fleet.process import ServiceProcess, run_once, signal_group
from fleet.state import FleetState, is_alive


class Captured:
    def __init__(self, expected_lines: int = 1) -> None:
        self.lines: list[str] = []
        self.reports: list[str] = []
        self.enough = asyncio.Event()
        self._expected = expected_lines

    def emit(self, name: str, line: str) -> None:
        self.lines.append(f"{name}: {line.strip()}")
        if len(self.lines) >= self._expected:
            self.enough.set()

    def report(self, text: str) -> None:
        self.reports.append(text)

    def process(self, name: str, code: str, folder: Path, **options: Any) -> ServiceProcess:
        """`python -c code` kept running as service `name`, its lines and reports captured."""
        return ServiceProcess(
            name,
            _python(code),
            {},
            log_path=folder / f"{name}.log",
            emit=self.emit,
            report=self.report,
            cwd=folder,
            **options,
        )


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


async def test_a_crashed_service_is_reported_and_restarted_with_backoff(tmp_path: Path) -> None:
    seen = Captured(expected_lines=3)
    process = seen.process(
        "tasks",
        "print('up', flush=True); raise SystemExit(3)",
        tmp_path,
        backoff=RestartBackoff(initial=0.05, maximum=0.1),
    )
    run = asyncio.create_task(process.run())
    await asyncio.wait_for(seen.enough.wait(), 5)
    await process.stop(grace=1)
    await asyncio.wait_for(run, 5)
    assert "CRASHED (exit code 3)" in seen.reports[0]
    assert seen.lines[:2] == ["tasks: up", "tasks: up"]
    assert (tmp_path / "tasks.log").read_text().startswith("up\nup\n")


async def test_stop_kills_a_service_that_ignores_sigterm_after_the_grace(tmp_path: Path) -> None:
    seen = Captured()
    stubborn = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('ready', flush=True); time.sleep(60)"
    )
    process = seen.process("users", stubborn, tmp_path)
    run = asyncio.create_task(process.run())
    await asyncio.wait_for(seen.enough.wait(), 5)
    pid = process.pid
    assert pid is not None
    await process.stop(grace=0.3)
    await asyncio.wait_for(run, 5)
    assert not is_alive(pid)
    assert "did not stop within 0.3 s" in seen.reports[-1]


async def test_a_one_off_command_returns_its_exit_code_and_output(tmp_path: Path) -> None:
    seen = Captured()
    code, output = await run_once(
        "users",
        _python("print('already registered'); raise SystemExit(1)"),
        {},
        log_path=tmp_path / "users.log",
        emit=seen.emit,
        cwd=tmp_path,
    )
    assert (code, output) == (1, "already registered\n")


def test_down_stops_what_a_killed_runner_left_behind(tmp_path: Path) -> None:
    orphan = subprocess.Popen(_python("import time; time.sleep(60)"), start_new_session=True)
    state = FleetState(runner_pid=2**22 + 1, broker="mqtt://x", pids={"tasks": orphan.pid})
    state.save(tmp_path / "fleet.json")
    assert FleetState.load(tmp_path / "fleet.json") is None  # its runner is gone
    read = FleetState.read(tmp_path / "fleet.json")
    assert read is not None
    assert stop_leftovers(read) == ["tasks"]
    assert orphan.wait(timeout=5) != 0


async def test_a_held_service_stays_down_until_released_then_starts_at_once(
    tmp_path: Path,
) -> None:
    seen = Captured()
    held = tmp_path / "held"
    process = seen.process(
        "users", "import time; print('up', flush=True); time.sleep(60)", tmp_path, held=held.exists
    )
    run = asyncio.create_task(process.run())
    try:
        await asyncio.wait_for(seen.enough.wait(), 5)
        held.touch()
        pid = process.pid
        assert pid is not None
        signal_group(pid, signal.SIGTERM)
        await asyncio.sleep(1.0)
        assert (process.starts, process.pid) == (1, None)
        assert seen.reports == ["users stopped on request: ./fleet start users"]

        held.unlink()
        for _ in range(50):
            if process.pid is not None:
                break
            await asyncio.sleep(0.1)
    finally:
        await process.stop(grace=1)
        await asyncio.wait_for(run, 5)
    assert process.starts == 2
    assert not any("CRASHED" in r for r in seen.reports)


async def test_a_service_held_while_waiting_out_a_crash_is_not_restarted(tmp_path: Path) -> None:
    seen = Captured()
    held = tmp_path / "held"
    process = seen.process(
        "tasks",
        "print('up', flush=True); raise SystemExit(3)",
        tmp_path,
        backoff=RestartBackoff(initial=0.5, maximum=0.5),
        held=held.exists,
    )
    run = asyncio.create_task(process.run())
    try:
        await asyncio.wait_for(seen.enough.wait(), 5)
        held.touch()  # `fleet stop tasks` during the backoff
        await asyncio.sleep(1.5)
        assert process.starts == 1
    finally:
        await process.stop(grace=1)
        await asyncio.wait_for(run, 5)


async def test_a_restart_starts_a_running_service_again_at_once_without_a_crash_report(
    tmp_path: Path,
) -> None:
    seen = Captured(expected_lines=2)
    process = seen.process(
        "tasks", "import time; print('up', flush=True); time.sleep(60)", tmp_path
    )
    run = asyncio.create_task(process.run())
    try:
        await _lines(seen, 1)
        first = process.pid
        await process.restart(grace=1)
        await asyncio.wait_for(seen.enough.wait(), 5)
        second = process.pid
    finally:
        await process.stop(grace=1)
        await asyncio.wait_for(run, 5)
    assert first is not None
    assert second is not None
    assert first != second
    assert not is_alive(first)
    assert (process.starts, seen.reports) == (2, [])


async def test_a_restart_cuts_a_crash_backoff_short(tmp_path: Path) -> None:
    seen = Captured(expected_lines=2)
    flag = tmp_path / "fixed"
    crashes_until_fixed = (
        f"import pathlib, time; print('up', flush=True)\n"
        f"if not pathlib.Path({str(flag)!r}).exists(): raise SystemExit(1)\n"
        "time.sleep(60)"
    )
    process = seen.process(
        "tasks", crashes_until_fixed, tmp_path, backoff=RestartBackoff(initial=30, maximum=30)
    )
    run = asyncio.create_task(process.run())
    try:
        await _lines(seen, 1)
        await asyncio.sleep(0.5)  # crashed: 30 s to wait
        flag.touch()  # the next good save
        await process.restart(grace=1)
        await asyncio.wait_for(seen.enough.wait(), 5)
    finally:
        await process.stop(grace=1)
        await asyncio.wait_for(run, 5)
    assert process.starts == 2
    assert len(seen.reports) == 1
    assert "restarting in 30 s" in seen.reports[0]


async def _lines(seen: Captured, count: int) -> None:
    for _ in range(50):
        if len(seen.lines) >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"fewer than {count} lines: {seen.lines}")


async def test_a_restart_hands_over_to_the_spare_made_ready_beforehand_and_stop_ends_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(process_module, "_SPARE_AFTER", 0.1)
    seen = Captured(expected_lines=2)
    service = (
        "import os, pathlib, sys, time\n"
        "if os.environ.get('SPARE'):\n"
        f"    pathlib.Path({str(tmp_path)!r}, f'spare-{{os.getpid()}}').touch()\n"
        "    if not sys.stdin.readline(): raise SystemExit(0)\n"
        "print('up', os.getpid(), flush=True); time.sleep(60)"
    )
    process = seen.process("tasks", service, tmp_path, spare_env={"SPARE": "1"})
    run = asyncio.create_task(process.run())
    try:
        await _lines(seen, 1)
        first = process.pid or 0  # itself started as a spare, told to go at once
        spare = await _spare_pid(tmp_path, seen={first})
        await process.restart(grace=1)
        await asyncio.wait_for(seen.enough.wait(), 5)
        next_spare = await _spare_pid(tmp_path, seen={first, spare})
    finally:
        await process.stop(grace=1)
        await asyncio.wait_for(run, 5)
    assert seen.lines[1] == f"tasks: up {spare}"
    assert not is_alive(next_spare)


async def _spare_pid(folder: Path, seen: set[int], within: float = 10) -> int:
    """The pid of a spare that marked itself ready in `folder`, other than those `seen`."""

    def ready() -> set[int]:
        return {int(p.name.removeprefix("spare-")) for p in folder.glob("spare-*")} - seen

    async with asyncio.timeout(within):
        for _ in itertools.count():
            if found := await asyncio.to_thread(ready):
                return found.pop()
            await asyncio.sleep(0.05)
    raise AssertionError("unreachable")
