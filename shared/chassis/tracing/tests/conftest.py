"""The plugin's fixtures (a real OTLP receiver, free ports) for the exporter's tests."""

from chassis.testing.plugin import *  # noqa: F403  (the plugin's fixtures, for these tests)
