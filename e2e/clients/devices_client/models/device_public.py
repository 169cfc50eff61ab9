from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.device_public_status import DevicePublicStatus

if TYPE_CHECKING:
    from ..models.device_public_thresholds import DevicePublicThresholds


T = TypeVar("T", bound="DevicePublic")


@_attrs_define
class DevicePublic:
    """
    Attributes:
        created_at (datetime.datetime):
        decommissioned_at (datetime.datetime | None):
        id (str): 64-bit snowflake id, as a decimal string.
        kind (str):
        last_seen (datetime.datetime | None):
        location (None | str):
        name (str):
        online (bool):
        site (str):
        status (DevicePublicStatus):
        thresholds (DevicePublicThresholds):
    """

    created_at: datetime.datetime
    decommissioned_at: datetime.datetime | None
    id: str
    kind: str
    last_seen: datetime.datetime | None
    location: None | str
    name: str
    online: bool
    site: str
    status: DevicePublicStatus
    thresholds: DevicePublicThresholds
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        decommissioned_at: None | str
        if isinstance(self.decommissioned_at, datetime.datetime):
            decommissioned_at = self.decommissioned_at.isoformat()
        else:
            decommissioned_at = self.decommissioned_at

        id = self.id

        kind = self.kind

        last_seen: None | str
        if isinstance(self.last_seen, datetime.datetime):
            last_seen = self.last_seen.isoformat()
        else:
            last_seen = self.last_seen

        location: None | str
        location = self.location

        name = self.name

        online = self.online

        site = self.site

        status = self.status.value

        thresholds = self.thresholds.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "decommissioned_at": decommissioned_at,
                "id": id,
                "kind": kind,
                "last_seen": last_seen,
                "location": location,
                "name": name,
                "online": online,
                "site": site,
                "status": status,
                "thresholds": thresholds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.device_public_thresholds import DevicePublicThresholds  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_decommissioned_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decommissioned_at_type_0 = datetime.datetime.fromisoformat(data)

                return decommissioned_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        decommissioned_at = _parse_decommissioned_at(d.pop("decommissioned_at"))

        id = d.pop("id")

        kind = d.pop("kind")

        def _parse_last_seen(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_seen_type_0 = datetime.datetime.fromisoformat(data)

                return last_seen_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_seen = _parse_last_seen(d.pop("last_seen"))

        def _parse_location(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        location = _parse_location(d.pop("location"))

        name = d.pop("name")

        online = d.pop("online")

        site = d.pop("site")

        status = DevicePublicStatus(d.pop("status"))

        thresholds = DevicePublicThresholds.from_dict(d.pop("thresholds"))

        device_public = cls(
            created_at=created_at,
            decommissioned_at=decommissioned_at,
            id=id,
            kind=kind,
            last_seen=last_seen,
            location=location,
            name=name,
            online=online,
            site=site,
            status=status,
            thresholds=thresholds,
        )

        device_public.additional_properties = d
        return device_public

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
