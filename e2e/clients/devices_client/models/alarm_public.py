from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.alarm_public_state import AlarmPublicState

T = TypeVar("T", bound="AlarmPublic")


@_attrs_define
class AlarmPublic:
    """
    Attributes:
        cleared_at (datetime.datetime | None): When the value came back past its clear.
        device_id (str): 64-bit snowflake id, as a decimal string.
        id (str): 64-bit snowflake id, as a decimal string.
        metric (str):
        raised_at (datetime.datetime):
        resolved_at (datetime.datetime | None):
        state (AlarmPublicState):
        task_id (None | str): The maintenance task; null until opened.
        threshold (float): The limit it crossed.
        value (float): The reading that crossed the threshold.
    """

    cleared_at: datetime.datetime | None
    device_id: str
    id: str
    metric: str
    raised_at: datetime.datetime
    resolved_at: datetime.datetime | None
    state: AlarmPublicState
    task_id: None | str
    threshold: float
    value: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cleared_at: None | str
        if isinstance(self.cleared_at, datetime.datetime):
            cleared_at = self.cleared_at.isoformat()
        else:
            cleared_at = self.cleared_at

        device_id = self.device_id

        id = self.id

        metric = self.metric

        raised_at = self.raised_at.isoformat()

        resolved_at: None | str
        if isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        state = self.state.value

        task_id: None | str
        task_id = self.task_id

        threshold = self.threshold

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cleared_at": cleared_at,
                "device_id": device_id,
                "id": id,
                "metric": metric,
                "raised_at": raised_at,
                "resolved_at": resolved_at,
                "state": state,
                "task_id": task_id,
                "threshold": threshold,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_cleared_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cleared_at_type_0 = datetime.datetime.fromisoformat(data)

                return cleared_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        cleared_at = _parse_cleared_at(d.pop("cleared_at"))

        device_id = d.pop("device_id")

        id = d.pop("id")

        metric = d.pop("metric")

        raised_at = datetime.datetime.fromisoformat(d.pop("raised_at"))

        def _parse_resolved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))

        state = AlarmPublicState(d.pop("state"))

        def _parse_task_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        task_id = _parse_task_id(d.pop("task_id"))

        threshold = d.pop("threshold")

        value = d.pop("value")

        alarm_public = cls(
            cleared_at=cleared_at,
            device_id=device_id,
            id=id,
            metric=metric,
            raised_at=raised_at,
            resolved_at=resolved_at,
            state=state,
            task_id=task_id,
            threshold=threshold,
            value=value,
        )

        alarm_public.additional_properties = d
        return alarm_public

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
