"""`fleet up --debug tasks` on a copy of the checkout: tasks runs under debugpy on the port it
prints, an editor's Debug Adapter Protocol client attaches there, and a breakpoint in the
checkout's code stops a request on that line."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from fleet.tests.checkout import copy_checkout
from fleet.tests.dap import DapClient
from fleet.tests.running import NAMES, RunningFleet, free_ports, running_fleet

LIVENESS = Path("shared/chassis/app/health.py")  # GET /health/live answers here
ANSWER = 'return Response(_LIVE, media_type="application/json")'


def test_with_debug_wait_the_service_starts_once_a_debugger_attached(
    dist: Path, tmp_path: Path
) -> None:
    copy_checkout(tmp_path, "services/tasks", "shared")
    port, services = _ports()
    with running_fleet(
        dist, tmp_path, "--debug", "tasks", "--debug-wait", "--debug-port", str(port), env=services
    ) as fleet:
        printed = _printed_port(fleet)
        waiting = _live(fleet)

        with _attached(printed) as debugger:
            serving = _live_within(fleet, 60)

    assert printed == port
    assert waiting is None
    assert debugger.initialized["success"], debugger.initialized
    assert debugger.attached["success"], debugger.attached
    assert serving == 200


def test_a_breakpoint_in_the_checkout_stops_a_request_on_its_line(
    dist: Path, tmp_path: Path
) -> None:
    copy_checkout(tmp_path, "services/tasks", "shared")
    source = (tmp_path / LIVENESS).resolve()
    line = source.read_text().splitlines().index(f"    {ANSWER}") + 1
    port, services = _ports()
    with (
        running_fleet(
            dist, tmp_path, "--debug", "tasks", "--debug-port", str(port), env=services
        ) as fleet,
        _attached(_printed_port(fleet), breakpoints={source: line}) as debugger,
    ):
        assert debugger.attached["success"], debugger.attached
        answers: list[int | None] = []
        request = threading.Thread(target=lambda: answers.append(_live_within(fleet, 60)))
        request.start()
        stopped = debugger.client.event("stopped")["body"]
        frames = debugger.client.request("stackTrace", threadId=stopped["threadId"])
        top = frames["body"]["stackFrames"][0]
        # Let it go: no breakpoint left, the request answers.
        debugger.client.request("setBreakpoints", source={"path": str(source)}, breakpoints=[])
        debugger.client.request("continue", threadId=stopped["threadId"])
        request.join(60)

    assert stopped["reason"] == "breakpoint"
    assert (Path(top["source"]["path"]).resolve(), top["line"]) == (source, line)
    assert answers == [200]


def _ports() -> tuple[int, dict[str, str]]:
    """A debugpy port, and the services' ports, all different."""
    debug, *ports = free_ports(len(NAMES) + 1)
    return debug, {f"FLEET_{n.upper()}_PORT": str(p) for n, p in zip(NAMES, ports, strict=True)}


@dataclass
class Attachment:
    client: DapClient
    initialized: dict[str, Any]  # the response to `initialize`
    attached: dict[str, Any]  # the response to `attach`


@contextmanager
def _attached(port: int, breakpoints: dict[Path, int] | None = None) -> Iterator[Attachment]:
    """Attach as VS Code does: initialize; attach; on `initialized`, the breakpoints, then
    configurationDone, which debugpy answers the attach after."""
    client = DapClient("127.0.0.1", port)
    try:
        initialized = client.request("initialize", clientID="fleet-test", adapterID="debugpy")
        attach = client.send("attach", justMyCode=True)
        client.event("initialized")
        for source, line in (breakpoints or {}).items():
            client.request(
                "setBreakpoints", source={"path": str(source)}, breakpoints=[{"line": line}]
            )
        client.request("configurationDone")
        yield Attachment(client, initialized, client.response(attach))
        client.request("disconnect")
    finally:
        client.close()


def _printed_port(fleet: RunningFleet, within: float = 60) -> int:
    """The port tasks says debugpy listens on (`tasks | debugpy listening on 127.0.0.1:N`)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for line in list(fleet.output):
            found = re.match(r"tasks\s+\| debugpy listening on 127\.0\.0\.1:(\d+)", line)
            if found:
                return int(found.group(1))
        time.sleep(0.1)
    raise AssertionError("tasks printed no debugpy port:\n" + "".join(fleet.output[-30:]))


def _live(fleet: RunningFleet) -> int | None:
    try:
        return httpx.get(f"{fleet.url('tasks')}/health/live", timeout=60).status_code
    except httpx.ConnectError:
        return None


def _live_within(fleet: RunningFleet, seconds: float) -> int | None:
    deadline = time.monotonic() + seconds
    while (status := _live(fleet)) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    return status
