"""Clients of other services: tasks (an alarm's maintenance task), as devices' service account."""
