from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dependency_state_status import DependencyStateStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dependency_state_info import DependencyStateInfo


T = TypeVar("T", bound="DependencyState")


@_attrs_define
class DependencyState:
    """
    Attributes:
        required (bool):
        status (DependencyStateStatus):
        detail (None | str | Unset):
        info (DependencyStateInfo | Unset):
    """

    required: bool
    status: DependencyStateStatus
    detail: None | str | Unset = UNSET
    info: DependencyStateInfo | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        required = self.required

        status = self.status.value

        detail: None | str | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        else:
            detail = self.detail

        info: dict[str, Any] | Unset = UNSET
        if not isinstance(self.info, Unset):
            info = self.info.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "required": required,
                "status": status,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail
        if info is not UNSET:
            field_dict["info"] = info

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dependency_state_info import DependencyStateInfo  # noqa: PLC0415

        d = dict(src_dict)
        required = d.pop("required")

        status = DependencyStateStatus(d.pop("status"))

        def _parse_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))

        _info = d.pop("info", UNSET)
        info: DependencyStateInfo | Unset
        if isinstance(_info, Unset):
            info = UNSET
        else:
            info = DependencyStateInfo.from_dict(_info)

        dependency_state = cls(
            required=required,
            status=status,
            detail=detail,
            info=info,
        )

        dependency_state.additional_properties = d
        return dependency_state

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
