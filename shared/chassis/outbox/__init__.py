"""The transactional outbox: events commit with the state change, then a relay publishes them.

A service writes events through its unit of work (`uow.emit(topic, event)`); `uow.commit()`
stores them as `outbox` rows in the same transaction as the change, so no change is ever without
its event and no event without its change. `OutboxRelay` publishes the rows through the bus's
`publish(topic, payload)` at least once; consumers deduplicate with `ProcessedEvents`.

The tables belong to each service's own migrations:

>>> # migrations/env.py
>>> run_migrations([SQLModel.metadata, chassis.outbox.metadata])
>>> # migrations/versions/0002_outbox.py
>>> def upgrade() -> None:
...     create_outbox_tables()
>>> # main.py
>>> relay = OutboxRelay(database, bus.publish, settings.outbox)
>>> app = create_app(settings, components=[database, bus, relay])

Importing this package registers the outbox as the units of work's event store
(`chassis.db.events`): the database layer below knows nothing of it.
"""

from chassis.db.events import store_events_with
from chassis.outbox.dedupe import EventClaims, ProcessedEvents, process_once
from chassis.outbox.migration import create_outbox_tables, drop_outbox_tables
from chassis.outbox.relay import OutboxRelay, Publish
from chassis.outbox.settings import OutboxSettings
from chassis.outbox.store import OutboxMessage, outbox_rows
from chassis.outbox.tables import metadata, outbox_table, processed_events_table

store_events_with(outbox_rows)

__all__ = [
    "EventClaims",
    "OutboxMessage",
    "OutboxRelay",
    "OutboxSettings",
    "ProcessedEvents",
    "Publish",
    "create_outbox_tables",
    "drop_outbox_tables",
    "metadata",
    "outbox_table",
    "process_once",
    "processed_events_table",
]
