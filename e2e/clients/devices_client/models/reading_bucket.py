from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReadingBucket")


@_attrs_define
class ReadingBucket:
    """
    Attributes:
        avg (float):
        bucket_start (datetime.datetime):
        count (int):
        max_ (float):
        metric (str):
        min_ (float):
    """

    avg: float
    bucket_start: datetime.datetime
    count: int
    max_: float
    metric: str
    min_: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        avg = self.avg

        bucket_start = self.bucket_start.isoformat()

        count = self.count

        max_ = self.max_

        metric = self.metric

        min_ = self.min_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avg": avg,
                "bucket_start": bucket_start,
                "count": count,
                "max": max_,
                "metric": metric,
                "min": min_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        avg = d.pop("avg")

        bucket_start = datetime.datetime.fromisoformat(d.pop("bucket_start"))

        count = d.pop("count")

        max_ = d.pop("max")

        metric = d.pop("metric")

        min_ = d.pop("min")

        reading_bucket = cls(
            avg=avg,
            bucket_start=bucket_start,
            count=count,
            max_=max_,
            metric=metric,
            min_=min_,
        )

        reading_bucket.additional_properties = d
        return reading_bucket

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
