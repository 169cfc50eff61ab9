"""What the benchmarks need: a PostgreSQL server they may create databases on (DATABASE_URL's, else
the plugin's `private_postgres`), and the plugin's other servers (the session's broker)."""

from chassis.testing.benchmarks import postgres_server
from chassis.testing.plugin import *  # noqa: F403

__all__ = ["postgres_server"]
