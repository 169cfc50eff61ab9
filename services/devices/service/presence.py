"""Presence: a device's retained status says whether it is online; dropping off is an event."""

from __future__ import annotations

from datetime import datetime

from chassis.db import EventLog
from contracts.devices import DeviceOffline
from devices.service.ports import DeviceRepository


def record_presence(
    device_id: int, online: bool, *, at: datetime, devices: DeviceRepository, events: EventLog
) -> bool:
    """Store the device's presence; record device.offline when an online device drops.

    Returns False for an unknown device (its status is ignored).
    """
    device = devices.get(device_id)
    if device is None:
        return False
    was_online = device.online
    devices.save(device.presence(online, at))
    if was_online and not online:
        data = DeviceOffline(device_id=device_id, last_seen=device.last_seen or at)
        events.record(data)
    return True
