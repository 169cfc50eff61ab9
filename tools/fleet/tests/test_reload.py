"""`fleet up --reload` on a copy of the checkout: a saved edit is served by the service it belongs
to within seconds, the other services untouched; a syntax error shows in that service's log and
the next good save brings it back. And which services a saved file touches."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from fleet.reload import touched
from fleet.tests.checkout import copy_checkout
from fleet.tests.running import RunningFleet, running_fleet

T = TypeVar("T")

ROUTE = Path("services/tasks/api/tasks.py")  # GET /v1/tasks, the list route, answers here
ANSWER = 'return Response(body.model_dump_json(), media_type="application/json")'


@pytest.fixture(scope="module")
def fleet(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFleet]:
    root = tmp_path_factory.mktemp("checkout")
    copy_checkout(root, "services", "shared")
    assert (root / ROUTE).read_text().count(ANSWER) == 1, "the list route's answer moved"
    with running_fleet(dist, root, "--reload") as running:
        yield running


def test_an_edited_route_answers_with_the_new_code_and_the_other_services_run_on(
    fleet: RunningFleet,
) -> None:
    before = fleet.state.pids
    headers = fleet.headers()

    _answer_with(fleet, "edited")
    answer = _within(60, lambda: _tasks_list(fleet, headers), lambda a: _marked(a) == "edited")

    assert answer is not None
    assert answer.status_code == 200
    after = fleet.state.pids
    assert after["tasks"] != before["tasks"]
    assert (after["users"], after["devices"]) == (before["users"], before["devices"])


def test_a_syntax_error_shows_in_the_service_log_and_the_next_good_save_brings_it_back(
    fleet: RunningFleet,
) -> None:
    headers = fleet.headers()
    route = fleet.root / ROUTE
    good = route.read_text()

    route.write_text(good + "\n\ndef broken(:\n")
    report = _within(60, lambda: _tasks_lines(fleet), lambda lines: "SyntaxError" in lines)
    _answer_with(fleet, "fixed", good)
    answer = _within(60, lambda: _tasks_list(fleet, headers), lambda a: _marked(a) == "fixed")

    assert "def broken(:" in report
    assert "SyntaxError: invalid syntax" in (fleet.root / ".fleet/logs/tasks.log").read_text()
    assert answer is not None
    assert answer.status_code == 200


def test_a_saved_service_file_touches_that_service_alone(tmp_path: Path) -> None:
    roots = _tree(tmp_path)

    assert touched([tmp_path / "services/tasks/api/routes.py"], _SERVICES, roots) == ["tasks"]


def test_a_saved_shared_file_touches_every_service_that_imports_it_directly_or_not(
    tmp_path: Path,
) -> None:
    roots = _tree(tmp_path)

    # users imports chassis, which imports contracts; devices imports contracts; tasks neither.
    assert touched([tmp_path / "shared/contracts/events.py"], _SERVICES, roots) == [
        "users",
        "devices",
    ]
    assert touched([tmp_path / "shared/chassis/app.py"], _SERVICES, roots) == ["users"]


_SERVICES = ["users", "tasks", "devices"]


def _tree(root: Path) -> list[Path]:
    files = {
        "shared/contracts/__init__.py": "",
        "shared/contracts/events.py": "",
        "shared/chassis/__init__.py": "from contracts import events\n",
        "shared/chassis/app.py": "",
        "services/users/main.py": "import chassis\n",
        "services/tasks/main.py": "from tasks.api import routes\n",
        "services/tasks/api/routes.py": "import json\n",
        "services/devices/main.py": "from contracts.events import Reading\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return [root / "shared", root / "services"]


def _answer_with(fleet: RunningFleet, mark: str, source: str | None = None) -> None:
    """Save the list route (`source`, else as it is) answering with an X-Edit header `mark`, in
    one write, as an editor saves."""
    route = fleet.root / ROUTE
    text = re.sub(r', headers=\{"X-Edit": "\w+"\}\)', ")", source or route.read_text())
    route.write_text(text.replace(ANSWER, f'{ANSWER[:-1]}, headers={{"X-Edit": "{mark}"}})'))


def _tasks_list(fleet: RunningFleet, headers: dict[str, str]) -> httpx.Response | None:
    try:
        return httpx.get(f"{fleet.url('tasks')}/v1/tasks?limit=1", headers=headers, timeout=5)
    except httpx.HTTPError:  # restarting
        return None


def _marked(answer: httpx.Response | None) -> str | None:
    return answer.headers.get("x-edit") if answer is not None else None


def _tasks_lines(fleet: RunningFleet) -> str:
    """What the runner printed of tasks' output (its prefix, `tasks | `)."""
    return "".join(line for line in list(fleet.output) if re.match(r"tasks\s+\| ", line))


def _within(seconds: float, probe: Callable[[], T], done: Callable[[T], bool]) -> T:
    deadline = time.monotonic() + seconds
    while True:
        value = probe()
        if done(value):
            return value
        assert time.monotonic() < deadline, f"not within {seconds} s: {value!r}"
        time.sleep(0.1)
