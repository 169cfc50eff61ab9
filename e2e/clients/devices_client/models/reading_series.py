from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.reading_bucket import ReadingBucket
    from ..models.reading_point import ReadingPoint


T = TypeVar("T", bound="ReadingSeries")


@_attrs_define
class ReadingSeries:
    """
    Attributes:
        device_id (str): 64-bit snowflake id, as a decimal string.
        buckets (list[ReadingBucket] | Unset): With `bucket`: min/avg/max per bucket and metric.
        items (list[ReadingPoint] | Unset): Raw points.
        next_cursor (None | str | Unset):
    """

    device_id: str
    buckets: list[ReadingBucket] | Unset = UNSET
    items: list[ReadingPoint] | Unset = UNSET
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        device_id = self.device_id

        buckets: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.buckets, Unset):
            buckets = []
            for buckets_item_data in self.buckets:
                buckets_item = buckets_item_data.to_dict()
                buckets.append(buckets_item)

        items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = items_item_data.to_dict()
                items.append(items_item)

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "device_id": device_id,
            }
        )
        if buckets is not UNSET:
            field_dict["buckets"] = buckets
        if items is not UNSET:
            field_dict["items"] = items
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reading_bucket import ReadingBucket  # noqa: PLC0415
        from ..models.reading_point import ReadingPoint  # noqa: PLC0415

        d = dict(src_dict)
        device_id = d.pop("device_id")

        _buckets = d.pop("buckets", UNSET)
        buckets: list[ReadingBucket] | Unset = UNSET
        if _buckets is not UNSET:
            buckets = []
            for buckets_item_data in _buckets:
                buckets_item = ReadingBucket.from_dict(buckets_item_data)

                buckets.append(buckets_item)

        _items = d.pop("items", UNSET)
        items: list[ReadingPoint] | Unset = UNSET
        if _items is not UNSET:
            items = []
            for items_item_data in _items:
                items_item = ReadingPoint.from_dict(items_item_data)

                items.append(items_item)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        reading_series = cls(
            device_id=device_id,
            buckets=buckets,
            items=items,
            next_cursor=next_cursor,
        )

        reading_series.additional_properties = d
        return reading_series

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
