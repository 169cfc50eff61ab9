from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.task_create_priority import TaskCreatePriority
from ..models.task_create_source import TaskCreateSource
from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskCreate")


@_attrs_define
class TaskCreate:
    """A new task. `source: alarm` tasks name the device and the alarm they are for.

    Attributes:
        title (str):
        alarm_id (None | str | Unset):
        assignee_id (None | str | Unset): Operators and admins assign anyone; a technician only themselves.
        description (str | Unset):  Default: ''.
        device_id (None | str | Unset):
        due_at (datetime.datetime | None | Unset): ISO 8601 with an offset.
        labels (list[str] | Unset):
        priority (TaskCreatePriority | Unset):  Default: TaskCreatePriority.NORMAL.
        source (TaskCreateSource | Unset):  Default: TaskCreateSource.MANUAL.
    """

    title: str
    alarm_id: None | str | Unset = UNSET
    assignee_id: None | str | Unset = UNSET
    description: str | Unset = ""
    device_id: None | str | Unset = UNSET
    due_at: datetime.datetime | None | Unset = UNSET
    labels: list[str] | Unset = UNSET
    priority: TaskCreatePriority | Unset = TaskCreatePriority.NORMAL
    source: TaskCreateSource | Unset = TaskCreateSource.MANUAL

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        alarm_id: None | str | Unset
        if isinstance(self.alarm_id, Unset):
            alarm_id = UNSET
        else:
            alarm_id = self.alarm_id

        assignee_id: None | str | Unset
        if isinstance(self.assignee_id, Unset):
            assignee_id = UNSET
        else:
            assignee_id = self.assignee_id

        description = self.description

        device_id: None | str | Unset
        if isinstance(self.device_id, Unset):
            device_id = UNSET
        else:
            device_id = self.device_id

        due_at: None | str | Unset
        if isinstance(self.due_at, Unset):
            due_at = UNSET
        elif isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        labels: list[str] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value

        source: str | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
            }
        )
        if alarm_id is not UNSET:
            field_dict["alarm_id"] = alarm_id
        if assignee_id is not UNSET:
            field_dict["assignee_id"] = assignee_id
        if description is not UNSET:
            field_dict["description"] = description
        if device_id is not UNSET:
            field_dict["device_id"] = device_id
        if due_at is not UNSET:
            field_dict["due_at"] = due_at
        if labels is not UNSET:
            field_dict["labels"] = labels
        if priority is not UNSET:
            field_dict["priority"] = priority
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        title = d.pop("title")

        def _parse_alarm_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        alarm_id = _parse_alarm_id(d.pop("alarm_id", UNSET))

        def _parse_assignee_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        assignee_id = _parse_assignee_id(d.pop("assignee_id", UNSET))

        description = d.pop("description", UNSET)

        def _parse_device_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        device_id = _parse_device_id(d.pop("device_id", UNSET))

        def _parse_due_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_at_type_0 = datetime.datetime.fromisoformat(data)

                return due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        due_at = _parse_due_at(d.pop("due_at", UNSET))

        labels = cast(list[str], d.pop("labels", UNSET))

        _priority = d.pop("priority", UNSET)
        priority: TaskCreatePriority | Unset
        if isinstance(_priority, Unset):
            priority = UNSET
        else:
            priority = TaskCreatePriority(_priority)

        _source = d.pop("source", UNSET)
        source: TaskCreateSource | Unset
        if isinstance(_source, Unset):
            source = UNSET
        else:
            source = TaskCreateSource(_source)

        task_create = cls(
            title=title,
            alarm_id=alarm_id,
            assignee_id=assignee_id,
            description=description,
            device_id=device_id,
            due_at=due_at,
            labels=labels,
            priority=priority,
            source=source,
        )

        return task_create
