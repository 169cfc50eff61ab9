"""Fleet's pytest plugin: the session's broker (test_rollback.py runs a service on it)."""

from chassis.testing.plugin import *  # noqa: F403
