from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.history_entry_public_changes import HistoryEntryPublicChanges


T = TypeVar("T", bound="HistoryEntryPublic")


@_attrs_define
class HistoryEntryPublic:
    """
    Attributes:
        action (str): created, updated, assigned, unassigned, status_changed.
        actor_id (None | str): Who: a user or service id; null for the system.
        at (datetime.datetime):
        changes (HistoryEntryPublicChanges): Field -> [before, after].
        id (str): 64-bit snowflake id, as a decimal string.
        reason (None | str):
        task_id (str): 64-bit snowflake id, as a decimal string.
    """

    action: str
    actor_id: None | str
    at: datetime.datetime
    changes: HistoryEntryPublicChanges
    id: str
    reason: None | str
    task_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor_id: None | str
        actor_id = self.actor_id

        at = self.at.isoformat()

        changes = self.changes.to_dict()

        id = self.id

        reason: None | str
        reason = self.reason

        task_id = self.task_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor_id": actor_id,
                "at": at,
                "changes": changes,
                "id": id,
                "reason": reason,
                "task_id": task_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.history_entry_public_changes import HistoryEntryPublicChanges  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        def _parse_actor_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor_id = _parse_actor_id(d.pop("actor_id"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        changes = HistoryEntryPublicChanges.from_dict(d.pop("changes"))

        id = d.pop("id")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        task_id = d.pop("task_id")

        history_entry_public = cls(
            action=action,
            actor_id=actor_id,
            at=at,
            changes=changes,
            id=id,
            reason=reason,
            task_id=task_id,
        )

        history_entry_public.additional_properties = d
        return history_entry_public

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
