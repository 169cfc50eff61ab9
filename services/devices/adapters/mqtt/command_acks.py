"""Acks from devices on `fleet/devices/{id}/commands/{command_id}/ack` settle their commands."""

from __future__ import annotations

from datetime import UTC, datetime

from chassis.db import Database, UnitOfWork
from chassis.logging import tagged_logger
from chassis.mqtt import DeadLetter, Delivery
from contracts.devices import CommandAck
from devices.adapters.mqtt.device_topics import DeviceTopics
from devices.adapters.sql.command_repository import SqlCommandRepository
from devices.service.commands import Command, record_ack

_log = tagged_logger("MQTT")


class CommandAcks:
    def __init__(self, *, database: Database, device_topics: DeviceTopics) -> None:
        self.database = database
        self.topics = device_topics

    async def handle(self, ack: CommandAck, delivery: Delivery) -> None:
        device_id = self.topics.device_of(delivery.topic)
        if device_id is None:
            raise DeadLetter("invalid_topic", f"no device id in {delivery.topic}")
        at = ack.acked_at or datetime.now(UTC)

        def work(uow: UnitOfWork) -> Command | None:
            commands = SqlCommandRepository(uow.session)
            return record_ack(
                device_id, ack.command_id, ack.ok, ack.detail, at=at, commands=commands
            )

        if await self.database.transaction(work) is None:
            _log.info("ack of unknown command %s of device %s ignored", ack.command_id, device_id)
