"""The fleet end to end, as its users see it: real processes started by `fleet up`, real
PostgreSQL (in CI) and Mosquitto, driven only through the generated clients and MQTT."""

from __future__ import annotations

import time
import uuid

from chassis.local import Mosquitto
from devices_client.api.readings import get_readings
from devices_client.models import ReadingSeries
from e2e.actors import DEMO_PASSWORD, Device, People, Person, eventually
from e2e.running import RunningFleet
from e2e.story import a_breach_opens_one_task_whose_completion_resolves_the_alarm, register_device
from tasks_client.api.tasks import assign, create, list_tasks, transition
from tasks_client.models import (
    AssignmentRequest,
    TaskCreate,
    TaskPage,
    TaskPublic,
    TransitionRequest,
    TransitionRequestTo,
)


def test_a_breaching_device_opens_one_task_whose_completion_resolves_the_alarm(
    people: People, broker: Mosquitto
) -> None:
    operator = people.log_in("operator", DEMO_PASSWORD)
    technician = people.new_technician()
    a_breach_opens_one_task_whose_completion_resolves_the_alarm(
        operator, technician, broker.address.url
    )


def test_without_users_assigning_fails_fast_listing_and_moving_work_and_it_recovers(
    people: People, fleet: RunningFleet
) -> None:
    operator = people.log_in("operator", DEMO_PASSWORD)
    technician = people.new_technician()  # never checked by tasks: not in its cache
    task = create.sync(client=operator.tasks, body=TaskCreate(title=f"inspect {uuid.uuid4()}"))
    assert isinstance(task, TaskPublic)
    tasks_pid = fleet.pid_of("tasks")
    assignment = AssignmentRequest(assignee_id=technician.user_id)

    stopped = fleet.command("stop", "users")
    assert stopped.returncode == 0, stopped.stderr
    try:
        began = time.monotonic()
        refused = assign.sync_detailed(int(task.id), client=operator.tasks, body=assignment)
        waited = time.monotonic() - began
        assert refused.status_code == 503, refused.content
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "retry-after" in refused.headers
        assert waited < 5  # the users deadline (3 s) bounds it; the breaker makes it instant

        listed = list_tasks.sync_detailed(client=operator.tasks)
        assert listed.status_code == 200
        assert isinstance(listed.parsed, TaskPage)
        moved = transition.sync_detailed(
            int(task.id),
            client=operator.tasks,
            body=TransitionRequest(to=TransitionRequestTo.IN_PROGRESS),
        )
        assert moved.status_code == 200, moved.content
    finally:
        started = fleet.command("start", "users")
    assert started.returncode == 0, started.stdout + started.stderr

    # The breaker lets a probe through after its reset timeout (15 s): no restart of tasks.
    assigned = eventually(
        lambda: _assigned(operator, int(task.id), assignment),
        within=45,
        what="assigning to work again once users is back",
    )
    assert assigned.assignee_id == technician.user_id
    assert fleet.pid_of("tasks") == tasks_pid


def test_telemetry_sent_while_the_broker_restarts_is_all_stored(
    people: People, broker: Mosquitto
) -> None:
    operator = people.log_in("operator", DEMO_PASSWORD)
    device = Device(register_device(operator), broker.address.url)
    try:
        for seq in range(60):
            if seq == 20:
                broker.stop()  # readings 20-39 wait in the device's queue
            if seq == 40:
                broker.start()
            device.publish(seq=float(seq))
            time.sleep(0.05)
        device.wait_delivered(within=30)
    finally:
        device.close()

    stored = eventually(
        lambda: _sequence(operator, device.device_id, expected=60),
        within=60,
        what="all 60 readings to be stored",
    )
    assert stored == [float(seq) for seq in range(60)]


def _assigned(person: Person, task_id: int, assignment: AssignmentRequest) -> TaskPublic | None:
    answer = assign.sync_detailed(task_id, client=person.tasks, body=assignment)
    return answer.parsed if isinstance(answer.parsed, TaskPublic) else None


def _sequence(person: Person, device_id: str, expected: int) -> list[float] | None:
    series = get_readings.sync(int(device_id), client=person.devices, metric="seq")
    assert isinstance(series, ReadingSeries), series
    values = sorted(p.value for p in series.items or [])
    return values if len(values) >= expected else None
