"""A serving process reads its migrations' revisions without Alembic, as Alembic reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from chassis.db import migrate
from chassis.db.schema import migrations_folder, revisions
from chassis.testing import run_alone

RELEASE_N = "chassis.db.tests.migrations"
# Alembic's own template writes annotated assignments; a merge revises two revisions.
BRANCHES = {
    "a1.py": 'revision = "a1"\ndown_revision = None\n',
    "b1.py": 'revision: str = "b1"\ndown_revision: str | None = "a1"\n',
    "c1.py": 'revision = "c1"\ndown_revision = "a1"\n',
    "m1.py": 'revision = "m1"\ndown_revision = ("b1", "c1")\n',
    "__init__.py": "",  # not a revision, for Alembic as for us
}


def _alembic_reading(folder: Path) -> dict[str, tuple[str, ...]]:
    config = Config()
    config.set_main_option("script_location", str(folder))
    script = ScriptDirectory.from_config(config)
    return {s.revision: s._normalized_down_revisions for s in script.walk_revisions()}


@pytest.fixture
def branched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    package = tmp_path / "branched"
    (package / "versions").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "env.py").write_text("")
    for name, text in BRANCHES.items():
        (package / "versions" / name).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    return "branched"


@pytest.mark.parametrize("package", [RELEASE_N, "branched"])
def test_revisions_are_read_as_alembic_reads_them(
    package: str, request: pytest.FixtureRequest
) -> None:
    if package == "branched":
        request.getfixturevalue("branched")
    found = revisions(package)
    assert found == _alembic_reading(migrations_folder(package))
    assert found


_SERVE = """
import asyncio, sys
import chassis.idempotency, chassis.outbox  # what a service imports beside the database
from chassis.db import Database, DatabaseSettings

async def main() -> None:
    settings = DatabaseSettings(url=sys.argv[1], migrate_at_start=sys.argv[3] == "True")
    database = Database(settings, migrations=sys.argv[2])
    await database.start()
    print("health:", database.health().status, "alembic loaded:", "alembic" in sys.modules)
    await database.stop()

asyncio.run(main())
"""


@pytest.mark.parametrize("migrate_at_start", [False, True])
def test_a_process_on_a_current_schema_starts_without_loading_alembic(
    tmp_path: Path, migrate_at_start: bool
) -> None:
    url = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    migrate(url, RELEASE_N)  # the migrate job's part, in another process as in a cluster
    run = run_alone(_SERVE, url, RELEASE_N, str(migrate_at_start))
    assert run.returncode == 0, run.stderr
    assert "health: up alembic loaded: False" in run.stdout, run.stdout + run.stderr
