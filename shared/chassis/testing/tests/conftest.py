"""Fleet's pytest plugin, whose own fixtures these tests exercise."""

from chassis.testing.plugin import *  # noqa: F403
