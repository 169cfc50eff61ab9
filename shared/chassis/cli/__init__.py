"""The command line every service gets: `serve`, `migrate`, `shell`, `openapi`, `check-config`,
plus its own. `migrate` upgrades the `Database` components of the app `build` makes.

>>> cli = service_cli(TasksSettings, build)
>>> @cli.command()
... def create_admin(username: str) -> None:
...     migrate_databases(build(load_or_exit(TasksSettings)))   # the schema first
>>> if __name__ == "__main__":
...     cli()
"""

from chassis.cli.commands import load_or_exit, migrate_databases, service_cli

__all__ = ["load_or_exit", "migrate_databases", "service_cli"]
