"""Layered service settings: settings.toml < .secrets.toml < environment < init kwargs.

>>> class TasksSettings(ServiceSettings):
...     model_config = service_config("tasks", __file__)
...     users: DownstreamSettings
>>> settings = TasksSettings.load()   # ConfigError names every bad field and its source
"""

from chassis.config.settings import (
    ConfigError,
    HttpServerSettings,
    LoggingSettings,
    MonitorSettings,
    ServiceSettings,
    service_config,
)

__all__ = [
    "ConfigError",
    "HttpServerSettings",
    "LoggingSettings",
    "MonitorSettings",
    "ServiceSettings",
    "service_config",
]
