"""The Prometheus metrics every service exposes on /metrics, defined once per process.

>>> fleet_metrics().retries.labels(downstream="users").inc()
"""

from chassis.metrics.families import FleetMetrics, fleet_metrics, render_latest

__all__ = ["FleetMetrics", "fleet_metrics", "render_latest"]
