"""What the benchmarks need: a PostgreSQL server they may create databases on."""

from chassis.testing.benchmarks import postgres_server

__all__ = ["postgres_server"]
