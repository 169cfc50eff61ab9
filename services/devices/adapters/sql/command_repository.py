"""Commands in SQL, and the sweep that times out the unanswered ones."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col

from chassis.db import Repository
from devices.adapters.sql.tables import CommandRow
from devices.service.commands import Command, CommandStatus


class SqlCommandRepository(Repository[CommandRow]):
    model = CommandRow

    def get(self, device_id: int, command_id: int) -> Command | None:
        row = self.session.get(CommandRow, command_id)
        return None if row is None or row.device_id != device_id else to_command(row)

    def save(self, command: Command) -> None:
        row = self.session.get(CommandRow, command.id) or CommandRow(
            id=command.id,
            device_id=command.device_id,
            name=command.name,
            args=command.args,
            status=command.status,
            issued_at=command.issued_at,
            deadline=command.deadline,
        )
        row.status, row.detail, row.answered_at = (
            command.status,
            command.detail,
            command.answered_at,
        )
        self.session.add(row)
        self.session.flush()

    def time_out(self, now: datetime) -> int:
        """Pending commands past their deadline become timed_out; how many did."""
        statement = (
            sa.update(CommandRow)
            .where(col(CommandRow.status) == "pending", col(CommandRow.deadline) < now)
            .values(status="timed_out", answered_at=now, detail="no ack before the deadline")
        )
        return self.execute(statement)


def to_command(row: CommandRow) -> Command:
    status: CommandStatus = row.status  # type: ignore[assignment]
    return Command(
        id=row.id,
        device_id=row.device_id,
        name=row.name,
        args=dict(row.args or {}),
        status=status,
        detail=row.detail,
        issued_at=row.issued_at,
        deadline=row.deadline,
        answered_at=row.answered_at,
    )
