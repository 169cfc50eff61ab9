"""Which revision came after which, kept in the database, so that an older release can tell a
newer schema from a foreign one.

Alembic knows only the revisions of the scripts a release ships. After a rollback (image N
deployed again onto a database that N+1 upgraded), N's `upgrade head` finds `alembic_version`
at a revision it has never seen and fails with "Can't locate revision". Whether going on is safe
depends on history, which N's scripts cannot tell:
- N+1's revision descends from N's head: a later release, whose migrations were written
  expand/contract so that N still works on its schema (docs/migrations.md). Nothing to do.
- it does not (another branch's migrations, another service's database): stop, and say so.

So every upgrade records, in the same transaction, each applied revision and the revisions it
revises, in `migration_lineage`: a table the chassis creates in the service's database beside
`alembic_version` (not in the service's metadata; autogenerate ignores it). A database upgraded
before the table existed gets its whole applied history on its next `migrate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa

TABLE_NAME = "migration_lineage"

_metadata = sa.MetaData()
_lineage = sa.Table(
    TABLE_NAME,
    _metadata,
    sa.Column("revision", sa.String(64), primary_key=True),
    # The revisions it revises, space-separated: none for the first, several for a merge.
    sa.Column("down_revisions", sa.String(1000), nullable=False),
)

Standing = Literal["current", "behind", "ahead", "diverged"]


@dataclass(frozen=True)
class Schema:
    """Where a database stands against the migrations of this release.

    current: at this release's head. behind: at an older known revision, or none (run
    `migrate`). ahead: at revisions that descend from this release's head (a later release's;
    fine after a rollback). diverged: at revisions this release cannot place after its head.
    """

    database: tuple[str, ...]
    release: tuple[str, ...]
    standing: Standing

    def describe(self) -> str:
        """The revisions, in the words an operator reads in a log line."""
        at = ", ".join(self.database) or "no revision (an empty schema)"
        head = ", ".join(self.release)
        return {
            "current": f"database is at this release's head {head}",
            "behind": f"database is at {at}, older than this release's head {head}",
            "ahead": f"database is at {at}, a later revision than this release's head {head}",
            "diverged": f"database is at {at}, which does not descend from this release's "
            f"head {head} (another branch's or another service's migrations?)",
        }[self.standing]


Revisions = Mapping[str, tuple[str, ...]]
"""Each revision a release's migrations ship, with the revisions it revises."""


def standing(connection: sa.Connection, known: Revisions) -> Schema:
    """Compare the database's revisions with the heads of `known` (this release's revisions),
    using the recorded lineage for revisions this release does not ship."""
    database = _database_heads(connection)
    release = heads(known)
    unknown = [revision for revision in database if revision not in known]
    if not unknown:
        state: Standing = "current" if set(database) == set(release) else "behind"
        return Schema(database, release, state)
    graph = {**_recorded(connection), **known}
    reached = set().union(*(_ancestry(revision, graph) for revision in database))
    descends = all(set(release) & _ancestry(revision, graph) for revision in unknown)
    ahead = descends and set(release) <= reached
    return Schema(database, release, "ahead" if ahead else "diverged")


def record(connection: sa.Connection, known: Revisions) -> None:
    """Record the database's applied revisions (its heads and all before them), once each."""
    _metadata.create_all(connection, checkfirst=True)
    applied = set().union(*(_ancestry(head, known) for head in _database_heads(connection)))
    present = set(connection.scalars(sa.select(_lineage.c.revision)))
    missing = sorted(applied - present)
    if missing:
        rows = [{"revision": r, "down_revisions": " ".join(known.get(r, ()))} for r in missing]
        connection.execute(sa.insert(_lineage), rows)


def heads(known: Revisions) -> tuple[str, ...]:
    """The revisions no other one revises, in name order."""
    revised = {down for downs in known.values() for down in downs}
    return tuple(sorted(set(known) - revised))


def _database_heads(connection: sa.Connection) -> tuple[str, ...]:
    """The revisions in `alembic_version` (read directly: a MigrationContext logs two lines)."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return ()
    return tuple(connection.scalars(sa.text("SELECT version_num FROM alembic_version")))


def _recorded(connection: sa.Connection) -> dict[str, tuple[str, ...]]:
    if not sa.inspect(connection).has_table(TABLE_NAME):
        return {}
    rows = connection.execute(sa.select(_lineage.c.revision, _lineage.c.down_revisions))
    return {revision: tuple(downs.split()) for revision, downs in rows}


def _ancestry(revision: str, graph: Mapping[str, Iterable[str]]) -> set[str]:
    """`revision` and every revision before it that `graph` knows."""
    seen: set[str] = set()
    todo = [revision]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(graph.get(current, ()))
    return seen
