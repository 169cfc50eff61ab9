"""Alembic env of the test migrations: what a service's env.py looks like."""

from chassis.db import run_migrations

run_migrations()
