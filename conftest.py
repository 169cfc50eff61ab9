"""Every test in the repo gets Fleet's pytest plugin: real servers if configured, else embedded."""

pytest_plugins = ["chassis.testing.plugin", "pytester"]
