"""Who may open, assign and see which task, through every route, for each role.

The users stand-in vouches for every id as an active technician, so only the policy decides.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from chassis.testing import FlakyServer

Headers = Callable[..., dict[str, str]]
TECHNICIAN = "7"
OTHER_TECHNICIAN = "8"
ALARM = {"title": "Overheat", "source": "alarm", "device_id": "5", "alarm_id": "9001"}


def _alarm_task(app: TestClient, as_user: Headers) -> str:
    opened = app.post("/v1/tasks", json=ALARM, headers=as_user("devices", "service"))
    assert opened.status_code == 201, opened.text
    return str(opened.json()["id"])


def _seen_by(app: TestClient, headers: dict[str, str], task_id: str) -> dict[str, bool]:
    """Whether each read route shows the task to the caller."""
    listed = app.get("/v1/tasks", headers=headers).json()["items"]
    return {
        "list": task_id in [t["id"] for t in listed],
        "get": app.get(f"/v1/tasks/{task_id}", headers=headers).status_code == 200,
        "history": app.get(f"/v1/tasks/{task_id}/history", headers=headers).status_code == 200,
    }


EVERYWHERE = {"list": True, "get": True, "history": True}
NOWHERE = {"list": False, "get": False, "history": False}


@pytest.mark.parametrize("role", ["operator", "admin"])
def test_operators_and_admins_open_a_task_assigned_to_a_technician(
    app: TestClient, as_user: Headers, role: str
) -> None:
    body = {"title": "Fix", "assignee_id": TECHNICIAN}
    response = app.post("/v1/tasks", json=body, headers=as_user("100", role))

    assert response.status_code == 201
    assert response.json()["assignee_id"] == TECHNICIAN


def test_a_technician_may_not_open_a_task_assigned_to_someone_else(
    app: TestClient, as_user: Headers, users: FlakyServer
) -> None:
    body = {"title": "Fix", "assignee_id": OTHER_TECHNICIAN}
    response = app.post("/v1/tasks", json=body, headers=as_user(TECHNICIAN, "technician"))

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert app.get("/v1/tasks", headers=as_user()).json()["items"] == []
    assert users.requests == []  # refused before users was asked


def test_a_technician_may_open_a_task_assigned_to_themselves(
    app: TestClient, as_user: Headers
) -> None:
    body = {"title": "Fix", "assignee_id": TECHNICIAN}
    response = app.post("/v1/tasks", json=body, headers=as_user(TECHNICIAN, "technician"))

    assert response.status_code == 201
    assert response.json()["assignee_id"] == TECHNICIAN


def test_a_service_may_not_open_a_task_assigned_to_someone(
    app: TestClient, as_user: Headers
) -> None:
    body = {"title": "Fix", "assignee_id": TECHNICIAN}
    response = app.post("/v1/tasks", json=body, headers=as_user("devices", "service"))

    assert response.status_code == 403


def test_a_technician_may_take_a_task_they_reported_but_not_give_it_to_another(
    app: TestClient, as_user: Headers
) -> None:
    technician = as_user(TECHNICIAN, "technician")
    task_id = app.post("/v1/tasks", json={"title": "Fix"}, headers=technician).json()["id"]

    to_another = app.post(
        f"/v1/tasks/{task_id}/assign", json={"assignee_id": OTHER_TECHNICIAN}, headers=technician
    )
    to_self = app.post(
        f"/v1/tasks/{task_id}/assign", json={"assignee_id": TECHNICIAN}, headers=technician
    )

    assert (to_another.status_code, to_self.status_code) == (403, 200)


def test_a_technician_naming_an_existing_alarm_gets_403_and_not_its_task(
    app: TestClient, as_user: Headers
) -> None:
    task_id = _alarm_task(app, as_user)

    response = app.post("/v1/tasks", json=ALARM, headers=as_user(TECHNICIAN, "technician"))

    assert response.status_code == 403
    assert task_id not in response.text
    assert "Overheat" not in response.text


def test_a_technician_may_not_open_an_alarm_task_for_a_new_alarm(
    app: TestClient, as_user: Headers
) -> None:
    response = app.post("/v1/tasks", json=ALARM, headers=as_user(TECHNICIAN, "technician"))

    assert response.status_code == 403
    assert app.get("/v1/tasks", headers=as_user()).json()["items"] == []


@pytest.mark.parametrize("role", ["operator", "admin", "service"])
def test_naming_an_alarm_again_returns_its_task_to_those_who_see_every_task(
    app: TestClient, as_user: Headers, role: str
) -> None:
    task_id = _alarm_task(app, as_user)

    again = app.post("/v1/tasks", json=ALARM, headers=as_user("100", role))

    assert (again.status_code, again.json()["id"]) == (200, task_id)


@pytest.mark.parametrize("role", ["operator", "admin", "service"])
def test_operators_admins_and_services_see_an_alarm_task_by_every_route(
    app: TestClient, as_user: Headers, role: str
) -> None:
    task_id = _alarm_task(app, as_user)

    assert _seen_by(app, as_user("100", role), task_id) == EVERYWHERE


def test_a_technician_sees_an_alarm_task_by_no_route_until_it_is_assigned_to_them(
    app: TestClient, as_user: Headers
) -> None:
    task_id = _alarm_task(app, as_user)
    technician = as_user(TECHNICIAN, "technician")
    before = _seen_by(app, technician, task_id)

    app.post(f"/v1/tasks/{task_id}/assign", json={"assignee_id": TECHNICIAN}, headers=as_user())

    assert (before, _seen_by(app, technician, task_id)) == (NOWHERE, EVERYWHERE)
    assert _seen_by(app, as_user(OTHER_TECHNICIAN, "technician"), task_id) == NOWHERE


@pytest.mark.parametrize("assignee", ["0", "-1", "abc", "", "99999999999999999999", 0])
def test_an_assignee_id_that_cannot_be_a_user_is_a_422_problem_on_create_and_assign(
    app: TestClient, as_user: Headers, users: FlakyServer, assignee: object
) -> None:
    created = app.post(
        "/v1/tasks", json={"title": "Fix", "assignee_id": assignee}, headers=as_user()
    )
    task_id = app.post("/v1/tasks", json={"title": "Fix"}, headers=as_user()).json()["id"]
    assigned = app.post(
        f"/v1/tasks/{task_id}/assign", json={"assignee_id": assignee}, headers=as_user()
    )

    for response in (created, assigned):
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
    assert users.requests == []


def test_an_id_users_refuses_as_invalid_is_a_422_not_a_502(
    app: TestClient, as_user: Headers, users: FlakyServer
) -> None:
    users.answer(422, {"title": "Unprocessable Content"})

    response = app.post("/v1/tasks", json={"title": "Fix", "assignee_id": "12"}, headers=as_user())

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
