"""The registry's use cases against in-memory fakes of its ports."""

import pytest

from devices.service import registry
from devices.service.errors import DeviceDecommissioned, DeviceNotFound
from devices.service.model import Device, DeviceFilter
from devices.service.thresholds import Threshold
from devices.tests.unit.fakes import FakeDevices, a_device


def _register(devices: FakeDevices) -> Device:
    return registry.register(
        name="P", kind="pump", site="n", location=None, thresholds={}, devices=devices
    )


def test_a_registered_device_is_found_by_its_id() -> None:
    devices = FakeDevices()
    thresholds = {"temperature": Threshold(high=80)}
    device = registry.register(
        name="P", kind="pump", site="n", location="hall 2", thresholds=thresholds, devices=devices
    )
    assert registry.find(device.id, devices=devices) == device


def test_a_new_device_is_active_and_offline_until_it_reports() -> None:
    device = _register(FakeDevices())
    assert (device.active, device.online, device.last_seen) == (True, False, None)


def test_a_change_is_kept() -> None:
    devices = FakeDevices()
    device = _register(devices)
    registry.change(device.id, {"name": "Q", "location": "hall 3"}, devices=devices)
    found = registry.find(device.id, devices=devices)
    assert (found.name, found.location) == ("Q", "hall 3")


def test_changing_an_unknown_device_is_not_found() -> None:
    with pytest.raises(DeviceNotFound):
        registry.change(1, {"name": "Q"}, devices=FakeDevices())


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


def test_a_decommissioned_device_is_no_longer_online() -> None:
    devices = FakeDevices(a_device(online=True))
    [device] = devices.rows.values()
    assert not registry.decommission(device.id, devices=devices).online


def test_an_unknown_device_is_not_found() -> None:
    with pytest.raises(DeviceNotFound):
        registry.find(1, devices=FakeDevices())


def test_browsing_hands_back_a_page_and_the_cursor_to_the_next() -> None:
    first, second, third = a_device(), a_device(), a_device()
    devices = FakeDevices(first, second, third)
    page, cursor = registry.browse(DeviceFilter(), limit=2, cursor=None, devices=devices)
    rest, end = registry.browse(DeviceFilter(), limit=2, cursor=cursor, devices=devices)
    assert ([d.id for d in page], [d.id for d in rest], end) == (
        [first.id, second.id],
        [third.id],
        None,
    )


def test_browsing_passes_the_filter_on() -> None:
    pump, sensor = a_device(kind="pump"), a_device(kind="sensor")
    devices = FakeDevices(pump, sensor)
    page, _ = registry.browse(DeviceFilter(kind="sensor"), limit=10, cursor=None, devices=devices)
    assert page == [sensor]
