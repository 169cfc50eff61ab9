"""SQL kept in .sql files beside the repository that runs it, loaded once when the app starts."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files

import anyio
import sqlalchemy as sa

from chassis.lifecycle import Component, Health


class SqlFiles(Component):
    """The `*.sql` files of one folder of a package, by name, as SQLAlchemy text clauses.

    Named files must all exist, or the app fails to start (not at the first request that needs
    one). Parameters are `:name` placeholders, bound by SQLAlchemy.

    >>> queries = SqlFiles("devices.adapters.sql", "queries", names=["bucketed_readings"])
    >>> app = create_app(settings, components=[database, queries, ...])
    >>> session.execute(queries["bucketed_readings"], {"device_id": 7}).all()
    """

    required = False

    def __init__(self, package: str, folder: str = "queries", *, names: Iterable[str] = ()) -> None:
        self.package = package
        self.folder = folder
        self.names = tuple(names)
        self.name = f"sql:{package}.{folder}"
        self._texts: dict[str, str] | None = None

    async def start(self) -> None:
        await anyio.to_thread.run_sync(self.load)

    def load(self) -> None:
        """Read every .sql file of the folder; raise if a named one is missing. Blocking."""
        folder = files(self.package).joinpath(self.folder)
        found = {
            entry.name.removesuffix(".sql"): entry.read_text(encoding="utf-8")
            for entry in (folder.iterdir() if folder.is_dir() else ())
            if entry.name.endswith(".sql") and entry.is_file()
        }
        missing = sorted(set(self.names) - found.keys())
        if missing:
            raise FileNotFoundError(
                f"missing SQL file(s) in {self.package}/{self.folder}: "
                + ", ".join(f"{name}.sql" for name in missing)
            )
        self._texts = found

    def sql(self, name: str) -> str:
        """The text of `name`.sql."""
        if self._texts is None:
            raise RuntimeError(f"{self.name} is not loaded: add it to the app's components")
        try:
            return self._texts[name]
        except KeyError:
            raise KeyError(f"no {name}.sql in {self.package}/{self.folder}") from None

    def __getitem__(self, name: str) -> sa.TextClause:
        return sa.text(self.sql(name))

    def health(self) -> Health:
        return Health.up(files=len(self._texts or {}))
