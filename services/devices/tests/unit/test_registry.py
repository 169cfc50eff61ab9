"""The registry's use cases against in-memory fakes of its ports."""

import pytest

from devices.service import registry
from devices.service.errors import DeviceDecommissioned, DeviceNotFound
from devices.service.model import Device, DeviceFilter
from devices.service.ports import DeviceRepository


class FakeDevices(DeviceRepository):
    def __init__(self) -> None:
        self.rows: dict[int, Device] = {}

    def get(self, device_id: int) -> Device | None:
        return self.rows.get(device_id)

    def save(self, device: Device) -> None:
        self.rows[device.id] = device

    def page(
        self, where: DeviceFilter, *, limit: int, cursor: str | None
    ) -> tuple[list[Device], str | None]:
        return list(self.rows.values())[:limit], None


def _register(devices: FakeDevices) -> Device:
    return registry.register(
        name="P", kind="pump", site="n", location=None, thresholds={}, devices=devices
    )


def test_a_decommissioned_device_refuses_changes() -> None:
    devices = FakeDevices()
    device = _register(devices)
    registry.decommission(device.id, devices=devices)
    with pytest.raises(DeviceDecommissioned):
        registry.change(device.id, {"name": "Q"}, devices=devices)


def test_decommissioning_twice_keeps_the_first_date() -> None:
    devices = FakeDevices()
    device = _register(devices)
    first = registry.decommission(device.id, devices=devices).decommissioned_at
    assert registry.decommission(device.id, devices=devices).decommissioned_at == first


def test_an_unknown_device_is_not_found() -> None:
    with pytest.raises(DeviceNotFound):
        registry.find(1, devices=FakeDevices())
