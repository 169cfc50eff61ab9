from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.transition_request_to import TransitionRequestTo

T = TypeVar("T", bound="TransitionRequest")


@_attrs_define
class TransitionRequest:
    """
    Attributes:
        to (TransitionRequestTo):
    """

    to: TransitionRequestTo

    def to_dict(self) -> dict[str, Any]:
        to = self.to.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        to = TransitionRequestTo(d.pop("to"))

        transition_request = cls(
            to=to,
        )

        return transition_request
