from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_public_allowed_transitions_item import (
    TaskPublicAllowedTransitionsItem,
)
from ..models.task_public_priority import TaskPublicPriority
from ..models.task_public_source import TaskPublicSource
from ..models.task_public_status import TaskPublicStatus

T = TypeVar("T", bound="TaskPublic")


@_attrs_define
class TaskPublic:
    """
    Attributes:
        alarm_id (None | str):
        allowed_transitions (list[TaskPublicAllowedTransitionsItem]):
        assignee_id (None | str):
        created_at (datetime.datetime):
        description (str):
        device_id (None | str):
        due_at (datetime.datetime | None):
        id (str): 64-bit snowflake id, as a decimal string.
        labels (list[str]):
        priority (TaskPublicPriority):
        reporter_id (str): Who opened it: a user id, or a service's client id.
        source (TaskPublicSource):
        status (TaskPublicStatus):
        title (str):
        updated_at (datetime.datetime):
    """

    alarm_id: None | str
    allowed_transitions: list[TaskPublicAllowedTransitionsItem]
    assignee_id: None | str
    created_at: datetime.datetime
    description: str
    device_id: None | str
    due_at: datetime.datetime | None
    id: str
    labels: list[str]
    priority: TaskPublicPriority
    reporter_id: str
    source: TaskPublicSource
    status: TaskPublicStatus
    title: str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        alarm_id: None | str
        alarm_id = self.alarm_id

        allowed_transitions = []
        for allowed_transitions_item_data in self.allowed_transitions:
            allowed_transitions_item = allowed_transitions_item_data.value
            allowed_transitions.append(allowed_transitions_item)

        assignee_id: None | str
        assignee_id = self.assignee_id

        created_at = self.created_at.isoformat()

        description = self.description

        device_id: None | str
        device_id = self.device_id

        due_at: None | str
        if isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        id = self.id

        labels = self.labels

        priority = self.priority.value

        reporter_id = self.reporter_id

        source = self.source.value

        status = self.status.value

        title = self.title

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "alarm_id": alarm_id,
                "allowed_transitions": allowed_transitions,
                "assignee_id": assignee_id,
                "created_at": created_at,
                "description": description,
                "device_id": device_id,
                "due_at": due_at,
                "id": id,
                "labels": labels,
                "priority": priority,
                "reporter_id": reporter_id,
                "source": source,
                "status": status,
                "title": title,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_alarm_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        alarm_id = _parse_alarm_id(d.pop("alarm_id"))

        allowed_transitions = []
        _allowed_transitions = d.pop("allowed_transitions")
        for allowed_transitions_item_data in _allowed_transitions:
            allowed_transitions_item = TaskPublicAllowedTransitionsItem(
                allowed_transitions_item_data
            )

            allowed_transitions.append(allowed_transitions_item)

        def _parse_assignee_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assignee_id = _parse_assignee_id(d.pop("assignee_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        description = d.pop("description")

        def _parse_device_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        device_id = _parse_device_id(d.pop("device_id"))

        def _parse_due_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_at_type_0 = datetime.datetime.fromisoformat(data)

                return due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        due_at = _parse_due_at(d.pop("due_at"))

        id = d.pop("id")

        labels = cast(list[str], d.pop("labels"))

        priority = TaskPublicPriority(d.pop("priority"))

        reporter_id = d.pop("reporter_id")

        source = TaskPublicSource(d.pop("source"))

        status = TaskPublicStatus(d.pop("status"))

        title = d.pop("title")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        task_public = cls(
            alarm_id=alarm_id,
            allowed_transitions=allowed_transitions,
            assignee_id=assignee_id,
            created_at=created_at,
            description=description,
            device_id=device_id,
            due_at=due_at,
            id=id,
            labels=labels,
            priority=priority,
            reporter_id=reporter_id,
            source=source,
            status=status,
            title=title,
            updated_at=updated_at,
        )

        task_public.additional_properties = d
        return task_public

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
