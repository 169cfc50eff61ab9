"""/monitor: a live NiceGUI page of the service's health, breakers, rates and last log lines.

`create_app` mounts it when `settings.monitor.enabled`; the page is built when first opened. The
same data is served as JSON at /monitor/snapshot for the fleet-wide monitor. The page asks for an
operator or admin login; the snapshot wants a bearer token of an operator, an admin or a service.
Log lines are shown with their credentials redacted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chassis.monitor.redaction import redact
from chassis.monitor.snapshot import MonitorSnapshot, Rates, take_snapshot

if TYPE_CHECKING:
    from chassis.monitor.page import mount_monitor

__all__ = ["MonitorSnapshot", "Rates", "mount_monitor", "redact", "take_snapshot"]


def __getattr__(name: str) -> object:
    # The page's module brings auth, and through it the bus and the database layer (~35 MB):
    # what a service has anyway, but not a reader of snapshots such as the fleet monitor.
    if name == "mount_monitor":
        from chassis.monitor.page import mount_monitor

        return mount_monitor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
