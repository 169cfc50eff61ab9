"""What a process that imports the chassis does not load: code it never runs costs memory in
every service."""

# The process below imports these: imported here too, so they are packed with this test.
import fastapi.testclient  # noqa: F401

import chassis.cli
import chassis.http  # noqa: F401
from chassis.testing import run_alone

_HTTP_CLIENT = """
import importlib.util
import sys
import chassis.cli  # a service's commands, on typer, which installs rich
import chassis.http  # the chassis's HTTP between services, on httpx
import httpx

print("rich installed:", importlib.util.find_spec("rich") is not None)

client = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(204)))
print("status:", client.get("http://users.test/v1/users/7").status_code)
print("loaded:", sorted(m for m in ("httpx._main", "rich", "pygments") if sys.modules.get(m)))
"""


def test_httpx_serves_the_chassis_without_its_command_line_client() -> None:
    # A process of its own: this test run may have loaded rich (pytest's plugins do). 4 MB.
    run = run_alone(_HTTP_CLIENT)
    assert run.returncode == 0, run.stderr
    assert "rich installed: True\nstatus: 204\nloaded: []" in run.stdout, run.stdout


_ROUTES = """
import sys
import chassis  # what every service imports before its routes
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel


class Reading(BaseModel):
    metric: str
    value: float


app = FastAPI()


@app.post("/readings", response_model=list[Reading])
def record(reading: Reading) -> list[Reading]:
    return [reading]


answer = TestClient(app).post("/readings", json={"metric": "temp", "value": 21.5})
print("answer:", answer.status_code, answer.json())
print("loaded:", sorted(m for m in ("pydantic.v1",) if sys.modules.get(m)))
"""


def test_routes_take_and_answer_models_without_pydantic_v1() -> None:
    # FastAPI asks pydantic.v1 about every route's models: 1.5 MB a service never uses.
    run = run_alone(_ROUTES)
    assert run.returncode == 0, run.stderr
    assert "answer: 200 [{'metric': 'temp', 'value': 21.5}]\nloaded: []" in run.stdout, run.stdout


_SERVER = """
import importlib.util
import sys
import chassis.cli  # a service's commands: `serve` runs uvicorn
import uvicorn.supervisors

print("watchfiles installed:", importlib.util.find_spec("watchfiles") is not None)
print("uvicorn would reload with:", uvicorn.supervisors.ChangeReload.__name__)
print("loaded:", sorted(m for m in ("watchfiles",) if sys.modules.get(m)))
"""


def test_a_service_serves_without_uvicorns_watchfiles_reloader() -> None:
    # watchfiles' Rust library: 0.6 MB a process that never reloads itself would hold.
    run = run_alone(_SERVER)
    assert run.returncode == 0, run.stderr
    expected = "watchfiles installed: True\nuvicorn would reload with: StatReload\nloaded: []"
    assert expected in run.stdout, run.stdout
