"""Logging configured once: colored aligned lines in dev, JSON lines in prod, tags per adapter.

Adapters log through `tagged_logger("DB")` (or "API", "MQTT", "HTTP"); every line carries the
correlation id of the work in progress.

>>> configure_logging(settings.logging, service="tasks")
>>> tagged_logger("DB").info("migrated", extra={"revision": "0003"})
"""

from chassis.logging.setup import RecentLines, configure_logging, recent_lines, tagged_logger

__all__ = ["RecentLines", "configure_logging", "recent_lines", "tagged_logger"]
