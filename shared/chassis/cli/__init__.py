"""The command line every service gets: `serve`, `migrate`, `shell`, `openapi`, `check-config`,
plus its own.

>>> cli = service_cli(TasksSettings, build_app, migrate=run_migrations)
>>> @cli.command()
... def create_admin(username: str) -> None: ...
>>> if __name__ == "__main__":
...     cli()
"""

from chassis.cli.commands import service_cli

__all__ = ["service_cli"]
