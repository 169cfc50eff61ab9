from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="AssignmentRequest")


@_attrs_define
class AssignmentRequest:
    """
    Attributes:
        assignee_id (None | str): Who takes the task; null takes it back.
    """

    assignee_id: None | str

    def to_dict(self) -> dict[str, Any]:
        assignee_id: None | str
        assignee_id = self.assignee_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "assignee_id": assignee_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_assignee_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assignee_id = _parse_assignee_id(d.pop("assignee_id"))

        assignment_request = cls(
            assignee_id=assignee_id,
        )

        return assignment_request
