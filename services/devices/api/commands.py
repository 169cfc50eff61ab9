"""/v1/devices/{id}/commands: ask a device to do something, then see what it answered."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from chassis.app import component, links, problems
from chassis.idempotency import Idempotent
from contracts.devices import Command as CommandMessage
from devices.adapters.mqtt.command_dispatch import CommandDispatch
from devices.adapters.sql.work import SqlDeviceWork
from devices.api.command_schemas import CommandCreate, CommandPublic
from devices.api.deps import DeviceId, Operator, Reader, Tx
from devices.service import commands

router = APIRouter(prefix="/v1/devices", tags=["commands"])

CommandId = Annotated[int, Path(ge=0, lt=2**63, description="The command's snowflake id.")]
Dispatch = Annotated[CommandDispatch, Depends(component(CommandDispatch))]

QUEUED = links(
    202, "GET /v1/devices/{device_id}/commands/{command_id}", device_id="device_id", command_id="id"
)


@router.post(
    "/{device_id}/commands",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CommandPublic,
    responses=problems(404, 409) | QUEUED,
)
async def send_command(
    device_id: DeviceId,
    body: CommandCreate,
    tx: Tx,
    dispatch: Dispatch,
    _: Operator,
    idempotency: Idempotent,
) -> Response:
    """Queue a command (202): published on fleet/devices/{id}/commands with its row's commit.
    A retry with the same Idempotency-Key and body gets the same answer, and sends nothing."""
    topic = dispatch.topics.commands(device_id)

    def issue(work: SqlDeviceWork) -> CommandPublic:
        def send(command: commands.Command) -> None:
            message = CommandMessage(
                command_id=command.id,
                name=command.name,
                args=command.args,
                issued_at=command.issued_at,
            )
            work.emit(topic, message.model_dump_json().encode())

        command = commands.issue(
            device_id,
            body.name,
            body.args,
            now=datetime.now(UTC),
            timeout=dispatch.timeout,
            devices=work.devices,
            commands=work.commands,
            send=send,
        )
        return CommandPublic.of(command)

    return await idempotency.answer_in(tx, issue, status=status.HTTP_202_ACCEPTED)


@router.get("/{device_id}/commands/{command_id}", responses=problems(404))
async def get_command(
    device_id: DeviceId, command_id: CommandId, tx: Tx, _: Reader
) -> CommandPublic:
    found = await tx.read(lambda work: commands.find(device_id, command_id, commands=work.commands))
    return CommandPublic.of(found)
