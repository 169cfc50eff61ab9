"""What tasks consumes over MQTT: user.deactivated unassigns that user's open tasks, once."""

from __future__ import annotations

from collections.abc import Mapping

from chassis.db import Database, UnitOfWork
from chassis.logging import tagged_logger
from chassis.mqtt import Handler
from chassis.outbox import ProcessedEvents, process_once
from contracts import Event, topics
from contracts.users import UserDeactivated
from tasks.adapters.work import SqlTaskWork
from tasks.service.assignment import unassign_user

_log = tagged_logger("MQTT")


class UserDeactivations:
    """Handles user.deactivated; the event id is claimed in the transaction of its effect, so
    a redelivered event changes nothing."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.claims = ProcessedEvents("tasks.user-deactivated")

    async def handle(self, event: Event[UserDeactivated]) -> None:
        data = event.data
        unassigned: list[int] = []

        def work(uow: UnitOfWork) -> None:
            unassigned.extend(unassign_user(data.user_id, data.reason, work=SqlTaskWork(uow)))

        if await process_once(self.database, self.claims, event.id, work):
            _log.info("user %s deactivated: unassigned %d task(s)", data.user_id, len(unassigned))


def handlers(database: Database) -> Mapping[str, Handler]:
    """The subscriptions of the tasks service."""
    topic = topics.event("users", UserDeactivated.event_type)
    return {topic: UserDeactivations(database).handle}
