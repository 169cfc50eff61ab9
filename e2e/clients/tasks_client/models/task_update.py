from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.task_update_priority import TaskUpdatePriority
from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskUpdate")


@_attrs_define
class TaskUpdate:
    """Fields to change; fields left out stay as they are (`due_at: null` clears it).

    Attributes:
        description (str | Unset):
        due_at (datetime.datetime | None | Unset):
        labels (list[str] | Unset):
        priority (TaskUpdatePriority | Unset):
        title (str | Unset):
    """

    description: str | Unset = UNSET
    due_at: datetime.datetime | None | Unset = UNSET
    labels: list[str] | Unset = UNSET
    priority: TaskUpdatePriority | Unset = UNSET
    title: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        description = self.description

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

        title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if description is not UNSET:
            field_dict["description"] = description
        if due_at is not UNSET:
            field_dict["due_at"] = due_at
        if labels is not UNSET:
            field_dict["labels"] = labels
        if priority is not UNSET:
            field_dict["priority"] = priority
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description", UNSET)

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
        priority: TaskUpdatePriority | Unset
        if isinstance(_priority, Unset):
            priority = UNSET
        else:
            priority = TaskUpdatePriority(_priority)

        title = d.pop("title", UNSET)

        task_update = cls(
            description=description,
            due_at=due_at,
            labels=labels,
            priority=priority,
            title=title,
        )

        return task_update
