from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.command_public_status import CommandPublicStatus

if TYPE_CHECKING:
    from ..models.command_public_args import CommandPublicArgs


T = TypeVar("T", bound="CommandPublic")


@_attrs_define
class CommandPublic:
    """
    Attributes:
        answered_at (datetime.datetime | None):
        args (CommandPublicArgs):
        deadline (datetime.datetime): Still pending then: timed_out.
        detail (None | str):
        device_id (str): 64-bit snowflake id, as a decimal string.
        id (str): 64-bit snowflake id, as a decimal string.
        issued_at (datetime.datetime):
        name (str):
        status (CommandPublicStatus):
    """

    answered_at: datetime.datetime | None
    args: CommandPublicArgs
    deadline: datetime.datetime
    detail: None | str
    device_id: str
    id: str
    issued_at: datetime.datetime
    name: str
    status: CommandPublicStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        answered_at: None | str
        if isinstance(self.answered_at, datetime.datetime):
            answered_at = self.answered_at.isoformat()
        else:
            answered_at = self.answered_at

        args = self.args.to_dict()

        deadline = self.deadline.isoformat()

        detail: None | str
        detail = self.detail

        device_id = self.device_id

        id = self.id

        issued_at = self.issued_at.isoformat()

        name = self.name

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "answered_at": answered_at,
                "args": args,
                "deadline": deadline,
                "detail": detail,
                "device_id": device_id,
                "id": id,
                "issued_at": issued_at,
                "name": name,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.command_public_args import CommandPublicArgs  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_answered_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answered_at_type_0 = datetime.datetime.fromisoformat(data)

                return answered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        answered_at = _parse_answered_at(d.pop("answered_at"))

        args = CommandPublicArgs.from_dict(d.pop("args"))

        deadline = datetime.datetime.fromisoformat(d.pop("deadline"))

        def _parse_detail(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        detail = _parse_detail(d.pop("detail"))

        device_id = d.pop("device_id")

        id = d.pop("id")

        issued_at = datetime.datetime.fromisoformat(d.pop("issued_at"))

        name = d.pop("name")

        status = CommandPublicStatus(d.pop("status"))

        command_public = cls(
            answered_at=answered_at,
            args=args,
            deadline=deadline,
            detail=detail,
            device_id=device_id,
            id=id,
            issued_at=issued_at,
            name=name,
            status=status,
        )

        command_public.additional_properties = d
        return command_public

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
