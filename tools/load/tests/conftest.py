"""Fleet's pytest plugin: the private brokers the load tests stop and start."""

from chassis.testing.plugin import *  # noqa: F403
