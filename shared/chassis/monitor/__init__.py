"""/monitor: a live NiceGUI page of the service's health, breakers, rates and last log lines.

`create_app` mounts it when `settings.monitor.enabled`; the same data is served as JSON at
/monitor/snapshot for the fleet-wide monitor.
"""

from chassis.monitor.page import mount_monitor
from chassis.monitor.snapshot import MonitorSnapshot, Rates, take_snapshot

__all__ = ["MonitorSnapshot", "Rates", "mount_monitor", "take_snapshot"]
