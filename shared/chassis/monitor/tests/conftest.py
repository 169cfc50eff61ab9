"""Fleet's pytest plugin for the monitor tests: test apps, a token issuer, ports."""

from chassis.testing.plugin import *  # noqa: F403
