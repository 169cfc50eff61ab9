"""/monitor: a live NiceGUI page of the service's health, breakers, rates and last log lines.

`create_app` mounts it when `settings.monitor.enabled`; the same data is served as JSON at
/monitor/snapshot for the fleet-wide monitor. The page asks for an operator or admin login; the
snapshot wants a bearer token of an operator, an admin or a service. Log lines are shown with
their credentials redacted.
"""

from chassis.monitor.page import mount_monitor
from chassis.monitor.redaction import redact
from chassis.monitor.snapshot import MonitorSnapshot, Rates, take_snapshot

__all__ = ["MonitorSnapshot", "Rates", "mount_monitor", "redact", "take_snapshot"]
