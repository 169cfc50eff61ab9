"""pytester for every test. Fleet's pytest plugin is not loaded here: the conftest.py of each folder
whose tests use its fixtures imports it (shared/chassis/*/tests/, services/*/tests/integration/,
e2e/tests/, benchmarks/, a few tools), so deploy/ and tools/release/ tests do not depend on it."""

pytest_plugins = ["pytester"]
