"""Where a database stands against this release's migrations, read without Alembic.

A serving process checks this at start (the `migrate` job or command has run before it); only
`migrate` needs Alembic, which holds about 10 MB a serving process would keep for its life. So
the revisions come from the migrations package's `versions/` files as text: each one's
`revision` and `down_revision` assignments, the two lines Alembic itself reads from them; a
test holds both readings equal (a linear history, a merge, annotated assignments).
"""

from __future__ import annotations

import ast
from importlib.resources import files
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from chassis.db import lineage
from chassis.db.engine import normalize_url
from chassis.lifecycle import StartupRefused


class SchemaMismatch(StartupRefused):
    """The database's schema is not one this release may use (or migrate); the message names
    both revisions. An operator's problem, shown without a traceback."""

    def __init__(self, schema: lineage.Schema, advice: str) -> None:
        super().__init__(f"{schema.describe()}: {advice}")
        self.schema = schema


def migrations_folder(migrations: str) -> Path:
    """The folder of the migrations package `migrations` (dotted name), holding env.py."""
    folder = Path(str(files(migrations)))
    if not (folder / "env.py").is_file():
        raise FileNotFoundError(f"{migrations} has no env.py at {folder}: not a migrations package")
    return folder


def revisions(migrations: str) -> dict[str, tuple[str, ...]]:
    """Each revision the package `migrations` ships, with the revisions it revises."""
    found = {}
    # As Alembic: every .py file in versions/ but __init__.py and editors' lock files (.#*).
    for path in sorted((migrations_folder(migrations) / "versions").glob("*.py")):
        if not path.name.startswith(("__init__", ".#")):
            revision, down = _assigned(path, "revision"), _assigned(path, "down_revision")
            if not isinstance(revision, str):
                raise ValueError(f'{path}: no `revision = "..."`')
            found[revision] = _tuple(down)
    return found


def schema_standing(url: str, migrations: str) -> lineage.Schema:
    """Where the database at `url` stands against the migrations package. Blocking."""
    known = revisions(migrations)
    engine = sa.create_engine(normalize_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return lineage.standing(connection, known)
    finally:
        engine.dispose()


def _assigned(path: Path, name: str) -> object:
    """The literal assigned to `name` at the top of the file (`x = ...` or `x: T = ...`)."""
    for node in ast.parse(path.read_text(), str(path)).body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return ast.literal_eval(value)
    return None


def _tuple(down: object) -> tuple[str, ...]:
    if down is None:
        return ()
    if isinstance(down, str):
        return (down,)
    if isinstance(down, tuple | list) and all(isinstance(d, str) for d in down):
        return tuple(down)
    raise ValueError(f"down_revision must be None, a revision or several, got {down!r}")
