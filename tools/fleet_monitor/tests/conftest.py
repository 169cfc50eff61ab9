"""Fleet's pytest plugin: the session's broker, a token issuer and free ports for the monitor."""

from chassis.testing.plugin import *  # noqa: F403
