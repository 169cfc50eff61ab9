"""Components start in order, stop in reverse, and a failed start unwinds what had started."""

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient

from chassis.app import component, create_app
from chassis.app.tests.example_service import GreeterSettings
from chassis.lifecycle import Component, Components, Health
from chassis.testing import swap


class Recorder(Component):
    def __init__(self, name: str, log: list[str], fail: bool = False) -> None:
        self.name = name
        self.log = log
        self.fail = fail

    async def start(self) -> None:
        if self.fail:
            raise RuntimeError(f"{self.name} cannot start")
        self.log.append(f"start {self.name}")

    async def stop(self) -> None:
        self.log.append(f"stop {self.name}")


class Broken(Component):
    def __init__(self, name: str, required: bool) -> None:
        self.name = name
        self.required = required

    def health(self) -> Health:
        return Health.down("connection refused")


def test_components_start_in_order_and_stop_in_reverse() -> None:
    log: list[str] = []
    app = create_app(GreeterSettings(), components=[Recorder("db", log), Recorder("bus", log)])
    with TestClient(app):
        assert log == ["start db", "start bus"]
    assert log == ["start db", "start bus", "stop bus", "stop db"]


async def test_a_failed_start_stops_the_components_already_started() -> None:
    log: list[str] = []
    components = Components([Recorder("db", log), Recorder("bus", log, fail=True)])
    with pytest.raises(RuntimeError, match="bus cannot start"):
        await components.start()
    assert log == ["start db", "stop db"]


def test_two_components_may_not_share_a_name() -> None:
    with pytest.raises(ValueError, match="db"):
        Components([Recorder("db", []), Recorder("db", [])])


def test_components_are_found_by_type() -> None:
    recorder = Recorder("db", [])
    assert Components([Broken("x", False), recorder]).get(Recorder) is recorder


def test_ready_is_503_when_a_required_dependency_is_down() -> None:
    app = create_app(GreeterSettings(), components=[Broken("database", required=True)])
    with TestClient(app) as client:
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not_ready",
        "dependencies": {
            "database": {
                "status": "down",
                "required": True,
                "detail": "connection refused",
                "info": {},
            }
        },
    }


def test_ready_stays_200_when_only_an_optional_dependency_is_down() -> None:
    app = create_app(GreeterSettings(), components=[Broken("cache", required=False)])
    with TestClient(app) as client:
        response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["dependencies"]["cache"]["status"] == "down"


def test_live_stays_200_whatever_the_dependencies() -> None:
    app = create_app(GreeterSettings(), components=[Broken("database", required=True)])
    with TestClient(app) as client:
        assert client.get("/health/live").json() == {"status": "ok"}


def test_a_swapped_fake_is_started_and_handed_to_routes_in_place_of_the_adapter() -> None:
    log: list[str] = []
    router = APIRouter()

    @router.get("/who")
    async def who(recorder: Recorder = Depends(component(Recorder))) -> str:  # noqa: B008
        return recorder.name

    app = create_app(GreeterSettings(), routers=[router], components=[Recorder("real", log)])
    swap(app, Recorder, Recorder("fake", log))
    with TestClient(app) as client:
        assert client.get("/who").json() == "fake"
    assert log == ["start fake", "stop fake"]


def test_swapping_a_component_the_app_does_not_have_fails_loudly() -> None:
    app = create_app(GreeterSettings(), components=[Recorder("db", [])])
    with pytest.raises(LookupError, match="no Broken component to swap"):
        swap(app, Broken, Broken("x", False))
