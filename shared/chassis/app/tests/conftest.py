"""Fleet's pytest plugin for the app tests: the session's database, ports, traces."""

from chassis.testing.plugin import *  # noqa: F403
