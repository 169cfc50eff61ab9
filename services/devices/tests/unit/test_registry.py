"""The registry's use cases against in-memory fakes of its ports."""

import pytest

from devices.service import registry
from devices.service.errors import DeviceDecommissioned, DeviceNotFound
from devices.service.model import Device, DeviceFilter
from devices.service.ports import DeviceRepository, IdempotencyKeys


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


class FakeKeys(IdempotencyKeys):
    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], int] = {}

    def find(self, scope: str, key: str) -> int | None:
        return self.keys.get((scope, key))

    def remember(self, scope: str, key: str, resource_id: int) -> None:
        self.keys[(scope, key)] = resource_id


def _register(devices: FakeDevices, keys: FakeKeys, key: str | None = None) -> Device:
    return registry.register(
        name="P",
        kind="pump",
        site="n",
        location=None,
        thresholds={},
        devices=devices,
        keys=keys,
        idempotency_key=key,
    )


def test_a_repeated_idempotency_key_registers_one_device() -> None:
    devices, keys = FakeDevices(), FakeKeys()
    first, again = _register(devices, keys, "k"), _register(devices, keys, "k")
    assert (first.id, len(devices.rows)) == (again.id, 1)


def test_a_decommissioned_device_refuses_changes() -> None:
    devices = FakeDevices()
    device = _register(devices, FakeKeys())
    registry.decommission(device.id, devices=devices)
    with pytest.raises(DeviceDecommissioned):
        registry.change(device.id, {"name": "Q"}, devices=devices)


def test_decommissioning_twice_keeps_the_first_date() -> None:
    devices = FakeDevices()
    device = _register(devices, FakeKeys())
    first = registry.decommission(device.id, devices=devices).decommissioned_at
    assert registry.decommission(device.id, devices=devices).decommissioned_at == first


def test_an_unknown_device_is_not_found() -> None:
    with pytest.raises(DeviceNotFound):
        registry.find(1, devices=FakeDevices())
