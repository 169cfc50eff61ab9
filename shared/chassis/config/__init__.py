"""Layered service settings: settings.toml < .secrets.toml < environment < init kwargs.

>>> class TasksSettings(ServiceSettings):
...     model_config = service_config("tasks", __file__)
...     users: DownstreamSettings
>>> settings = TasksSettings.load()   # ConfigError names every bad field and its source

A key that names no setting, at any depth (`TASKS__USERZ__BASE_URL`, `[users] base_ulr` in a
file), is refused like a bad value, with the key it probably meant (`did you mean users?`).
"""

from chassis.config.errors import ConfigError, ConfigProblem
from chassis.config.settings import (
    HttpServerSettings,
    LoggingSettings,
    MonitorSettings,
    ServiceSettings,
    TracingSettings,
    service_config,
)

__all__ = [
    "ConfigError",
    "ConfigProblem",
    "HttpServerSettings",
    "LoggingSettings",
    "MonitorSettings",
    "ServiceSettings",
    "TracingSettings",
    "service_config",
]
