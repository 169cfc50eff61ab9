from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.device_create_thresholds import DeviceCreateThresholds


T = TypeVar("T", bound="DeviceCreate")


@_attrs_define
class DeviceCreate:
    """
    Attributes:
        kind (str): e.g. pump, sensor.
        name (str):
        site (str):
        location (None | str | Unset):
        thresholds (DeviceCreateThresholds | Unset):
    """

    kind: str
    name: str
    site: str
    location: None | str | Unset = UNSET
    thresholds: DeviceCreateThresholds | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        name = self.name

        site = self.site

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        else:
            location = self.location

        thresholds: dict[str, Any] | Unset = UNSET
        if not isinstance(self.thresholds, Unset):
            thresholds = self.thresholds.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "name": name,
                "site": site,
            }
        )
        if location is not UNSET:
            field_dict["location"] = location
        if thresholds is not UNSET:
            field_dict["thresholds"] = thresholds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.device_create_thresholds import DeviceCreateThresholds  # noqa: PLC0415

        d = dict(src_dict)
        kind = d.pop("kind")

        name = d.pop("name")

        site = d.pop("site")

        def _parse_location(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        _thresholds = d.pop("thresholds", UNSET)
        thresholds: DeviceCreateThresholds | Unset
        if isinstance(_thresholds, Unset):
            thresholds = UNSET
        else:
            thresholds = DeviceCreateThresholds.from_dict(_thresholds)

        device_create = cls(
            kind=kind,
            name=name,
            site=site,
            location=location,
            thresholds=thresholds,
        )

        device_create.additional_properties = d
        return device_create

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
