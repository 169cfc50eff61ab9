from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ThresholdSpec")


@_attrs_define
class ThresholdSpec:
    """Limits of one metric: e.g. temperature high 80, high_clear 75 (hysteresis).

    Attributes:
        high (float | None | Unset): Alarm when a reading is at or above it.
        high_clear (float | None | Unset): Re-armed once at or below it.
        low (float | None | Unset): Alarm when a reading is at or below it.
        low_clear (float | None | Unset): Re-armed once at or above it.
    """

    high: float | None | Unset = UNSET
    high_clear: float | None | Unset = UNSET
    low: float | None | Unset = UNSET
    low_clear: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        high: float | None | Unset
        if isinstance(self.high, Unset):
            high = UNSET
        else:
            high = self.high

        high_clear: float | None | Unset
        if isinstance(self.high_clear, Unset):
            high_clear = UNSET
        else:
            high_clear = self.high_clear

        low: float | None | Unset
        if isinstance(self.low, Unset):
            low = UNSET
        else:
            low = self.low

        low_clear: float | None | Unset
        if isinstance(self.low_clear, Unset):
            low_clear = UNSET
        else:
            low_clear = self.low_clear

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if high is not UNSET:
            field_dict["high"] = high
        if high_clear is not UNSET:
            field_dict["high_clear"] = high_clear
        if low is not UNSET:
            field_dict["low"] = low
        if low_clear is not UNSET:
            field_dict["low_clear"] = low_clear

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_high(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        high = _parse_high(d.pop("high", UNSET))

        def _parse_high_clear(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        high_clear = _parse_high_clear(d.pop("high_clear", UNSET))

        def _parse_low(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        low = _parse_low(d.pop("low", UNSET))

        def _parse_low_clear(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        low_clear = _parse_low_clear(d.pop("low_clear", UNSET))

        threshold_spec = cls(
            high=high,
            high_clear=high_clear,
            low=low,
            low_clear=low_clear,
        )

        threshold_spec.additional_properties = d
        return threshold_spec

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
