"""Readiness of a service's components, below every package that reports it.

`/health/ready` (chassis.app) and the `/monitor` page (chassis.monitor) both show it.

>>> state = readiness(app.state.components)
>>> state.status, state.dependencies["database"].status
('ready', 'up')
"""

from chassis.health.readiness import DependencyState, Readiness, readiness

__all__ = ["DependencyState", "Readiness", "readiness"]
