"""The fleet's story, as its people live it: a device's reading crosses a threshold, devices
raises an alarm and opens one task, an operator assigns it, the technician completes it, and the
alarm resolves. Shared by every way the fleet is run (`fleet up`, the rendered manifests)."""

from __future__ import annotations

import uuid

from devices_client.api.alarms import list_alarms
from devices_client.api.devices import create_device
from devices_client.models import (
    AlarmPage,
    AlarmPublic,
    AlarmPublicState,
    DeviceCreate,
    DeviceCreateThresholds,
    DevicePublic,
    ThresholdSpec,
)
from e2e.actors import Device, Person, eventually
from tasks_client.api.tasks import assign, list_tasks, transition
from tasks_client.models import (
    AssignmentRequest,
    TaskPage,
    TaskPublic,
    TransitionRequest,
    TransitionRequestTo,
)


def a_breach_opens_one_task_whose_completion_resolves_the_alarm(
    operator: Person, technician: Person, broker_url: str
) -> AlarmPublic:
    """The story; the alarm, resolved."""
    device = Device(register_device(operator, high=80.0, clear=75.0), broker_url)
    try:
        # The second breach is the same alarm.
        alarm = alarm_with_its_task(operator, device, 70.0, 91.5, 93.0)
    finally:
        device.close()
    task_id = int(str(alarm.task_id))

    assigned = assign.sync_detailed(
        task_id, client=operator.tasks, body=AssignmentRequest(assignee_id=technician.user_id)
    )
    assert assigned.status_code == 200, assigned.content
    for step in (TransitionRequestTo.IN_PROGRESS, TransitionRequestTo.DONE):
        moved = transition.sync_detailed(
            task_id, client=technician.tasks, body=TransitionRequest(to=step)
        )
        assert moved.status_code == 200, moved.content

    resolved = eventually(
        lambda: next(
            (
                a
                for a in alarms_of(operator, device.device_id)
                if a.state == AlarmPublicState.RESOLVED
            ),
            None,
        ),
        within=30,
        what="the alarm to resolve once its task was done",
    )
    assert resolved.id == alarm.id
    assert [a.id for a in alarms_of(operator, device.device_id)] == [alarm.id]
    assert [t.id for t in tasks_of(operator, device.device_id)] == [alarm.task_id]
    return resolved


def alarm_with_its_task(operator: Person, device: Device, *temperatures: float) -> AlarmPublic:
    """`device` reads `temperatures` (a breach among them); its alarm, once its task is open."""
    for temperature in temperatures:
        device.publish(temperature=temperature)
    device.wait_delivered(within=10)
    return eventually(
        lambda: next((a for a in alarms_of(operator, device.device_id) if a.task_id), None),
        within=30,
        what="the alarm and the task it opened",
    )


def register_device(operator: Person, high: float = 80.0, clear: float = 75.0) -> str:
    thresholds = DeviceCreateThresholds()
    thresholds["temperature"] = ThresholdSpec(high=high, high_clear=clear)
    answer = create_device.sync_detailed(
        client=operator.devices,
        body=DeviceCreate(
            kind="pump", name=f"e2e-{uuid.uuid4().hex[:8]}", site="e2e", thresholds=thresholds
        ),
    )
    assert isinstance(answer.parsed, DevicePublic), (answer.status_code, answer.content)
    return answer.parsed.id


def alarms_of(person: Person, device_id: str) -> list[AlarmPublic]:
    page = list_alarms.sync(client=person.devices, device=int(device_id))
    assert isinstance(page, AlarmPage), page
    return page.items


def tasks_of(person: Person, device_id: str) -> list[TaskPublic]:
    page = list_tasks.sync(client=person.tasks, device=device_id)
    assert isinstance(page, TaskPage), page
    return page.items
