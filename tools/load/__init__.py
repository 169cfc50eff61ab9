"""Load tests for the running fleet: locust drives the main flows, a verdict says pass or fail."""
