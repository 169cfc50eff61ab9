"""Consumers handle each event id once, however often the broker delivers it."""

from datetime import UTC, datetime

from chassis.mqtt import Bus, MemoryDedupe
from chassis.mqtt.tests.conftest import Inbox, SettingsFactory, running
from chassis.tests.messages import JobAssigned
from contracts import Event


async def test_an_event_delivered_twice_is_handled_once(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    inbox = Inbox()

    async def on_assigned(event: Event[JobAssigned]) -> None:
        inbox.add(event.id)

    topic = f"{mqtt_namespace}/assigned"
    consumer = Bus(mqtt_settings(), service="users", handlers={topic: on_assigned})
    producer = Bus(mqtt_settings(), service="tasks")
    when = datetime.now(UTC)
    first = Event.of(JobAssigned(job_id=1, assignee_id=2), id=101, source="t", occurred_at=when)
    second = Event.of(JobAssigned(job_id=1, assignee_id=3), id=102, source="t", occurred_at=when)
    async with running(consumer), running(producer):
        for event in (first, first, second, first):
            await producer.publish(topic, event)
        await inbox.wait_for(2)
        assert await inbox.stays_at(2)
    assert inbox.items == [101, 102]


async def test_memory_store_forgets_the_least_recently_seen_beyond_its_size() -> None:
    store = MemoryDedupe(size=2)
    await store.remember("c", 1)
    await store.remember("c", 2)
    assert await store.seen("c", 1)  # 1 is now the most recent
    await store.remember("c", 3)
    assert [await store.seen("c", n) for n in (1, 2, 3)] == [True, False, True]
    assert not await store.seen("another consumer", 1)
