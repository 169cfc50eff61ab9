"""The public contract of the devices API: request and response models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    Field,
    FiniteFloat,
    Strict,
    model_validator,
)

from chassis.app import Text
from contracts import SnowflakeId
from devices.service.ingestion import metric_name_problem
from devices.service.model import Device
from devices.service.thresholds import Threshold

# Strict: `false` is not a limit (lax floats take booleans as 0 and 1).
_Limit = Annotated[FiniteFloat, Strict()]


class ThresholdSpec(BaseModel):
    """Limits of one metric: e.g. temperature high 80, high_clear 75 (hysteresis)."""

    # Finite: NaN, Infinity (or 1e400) would never compare as a limit should, nor read back.
    high: _Limit | None = Field(None, description="Alarm when a reading is at or above it.")
    high_clear: _Limit | None = Field(None, description="Re-armed once at or below it.")
    low: _Limit | None = Field(None, description="Alarm when a reading is at or below it.")
    low_clear: _Limit | None = Field(None, description="Re-armed once at or above it.")

    @model_validator(mode="after")
    def _consistent(self) -> ThresholdSpec:
        self.to_domain()  # raises ValueError, answered as a 422 naming the field
        return self

    def to_domain(self) -> Threshold:
        return Threshold(self.high, self.high_clear, self.low, self.low_clear)


def _metric_name(name: str) -> str:
    if (problem := metric_name_problem(name)) is not None:
        raise ValueError(f"metric name {problem}")
    return name


MetricName = Annotated[str, AfterValidator(_metric_name)]
"""A metric name telemetry may carry: a threshold on any other could never fire."""

_Thresholds = dict[MetricName, ThresholdSpec]


class DeviceCreate(BaseModel):
    name: Text = Field(min_length=1, max_length=200)
    kind: Text = Field(min_length=1, max_length=100, description="e.g. pump, sensor.")
    site: Text = Field(min_length=1, max_length=100)
    location: Text | None = Field(None, max_length=200)
    thresholds: _Thresholds = Field(default_factory=dict)


class DeviceUpdate(BaseModel):
    name: Text | None = Field(None, min_length=1, max_length=200)
    kind: Text | None = Field(None, min_length=1, max_length=100)
    site: Text | None = Field(None, min_length=1, max_length=100)
    location: Text | None = Field(None, max_length=200)
    thresholds: _Thresholds | None = None

    def changes(self) -> dict[str, Any]:
        values = {
            name: getattr(self, name)
            for name in self.model_fields_set
            if name != "thresholds" and getattr(self, name) is not None
        }
        if "location" in self.model_fields_set:
            values["location"] = self.location
        if self.thresholds is not None:
            values["thresholds"] = {m: t.to_domain() for m, t in self.thresholds.items()}
        return values


class DevicePublic(BaseModel):
    id: SnowflakeId
    name: str
    kind: str
    site: str
    location: str | None
    thresholds: _Thresholds
    status: Literal["active", "decommissioned"]
    online: bool
    last_seen: datetime | None
    created_at: datetime
    decommissioned_at: datetime | None

    @classmethod
    def of(cls, device: Device) -> DevicePublic:
        return cls(
            id=device.id,
            name=device.name,
            kind=device.kind,
            site=device.site,
            location=device.location,
            thresholds={
                m: ThresholdSpec(
                    high=t.high, high_clear=t.high_clear, low=t.low, low_clear=t.low_clear
                )
                for m, t in device.thresholds.items()
            },
            status="active" if device.active else "decommissioned",
            online=device.online,
            last_seen=device.last_seen,
            created_at=device.created_at,
            decommissioned_at=device.decommissioned_at,
        )


class DevicePage(BaseModel):
    items: list[DevicePublic]
    next_cursor: str | None = None


class ReadingPoint(BaseModel):
    metric: str
    ts: datetime
    value: float


class ReadingBucket(BaseModel):
    metric: str
    bucket_start: datetime
    min: float
    avg: float
    max: float
    count: int


class ReadingSeries(BaseModel):
    device_id: SnowflakeId
    items: list[ReadingPoint] = Field(default_factory=list, description="Raw points.")
    buckets: list[ReadingBucket] = Field(
        default_factory=list, description="With `bucket`: min/avg/max per bucket and metric."
    )
    next_cursor: str | None = None


class DeviceState(BaseModel):
    device_id: SnowflakeId
    online: bool
    last_seen: datetime | None
    metrics: dict[str, ReadingPoint]


def _not_a_number(value: Any) -> Any:
    # pydantic reads a number ("1717243200") as Unix time; the contract says ISO 8601, and a
    # query answered for a value the contract refuses is one a client cannot rely on.
    try:
        float(value)
    except (TypeError, ValueError):
        return value
    raise ValueError("an ISO 8601 date-time with its offset, e.g. 2024-06-01T12:00:00Z")


TimeParam = Annotated[AwareDatetime, BeforeValidator(_not_a_number)]

# Cursors as pages issue them, so a client (or fuzzer) knows one when it sees one; any other
# string is a 422, and a well-formed cursor no page issued still pages from where it points.
ID_CURSOR = r"^[0-9]{1,19}$"
"""The last id of the previous page."""
READING_CURSOR = r"^[0-9]{1,19}:[^\u0000-\u001f]+$"
"""`ts_us:metric` of the previous page's last point."""
NEXT_PAGE = "The previous page's `next_cursor`."
BUCKET = r"^[1-9][0-9]{0,4}[smhd]$"
"""A bucket size: seconds, minutes, hours or days."""
