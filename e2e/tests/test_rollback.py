"""Rolling back a release that added a migration (docs/migrations.md): release N of tasks,
deployed again onto the database release N+1 upgraded, migrates as a no-op and serves on N+1's
schema. Run as a cluster runs it: the tasks pex's `migrate` (the hook Job), then its `serve`
(the pods, with migrate_at_start off), on a fresh database; tokens from a stand-in issuer.

N+1 is N's code plus one expand-style migration (a nullable column, a new table), applied by
Alembic through the chassis exactly as N+1's `migrate` would: N's migrations package copied
with the new revision added, run inside N's pex."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from chassis.testing import BrokerAddress, TestDatabase, TokenIssuer, free_port
from tasks_client import AuthenticatedClient, Client
from tasks_client.api.operations import health_ready
from tasks_client.api.tasks import create, get_task
from tasks_client.models import TaskCreate, TaskPublic

# Pants puts the pex (a runtime_package_dependency) in the sandbox; outside it, dist/.
_PEXES = [Path.cwd(), Path(__file__).resolve().parents[2] / "dist"]
READY_WITHIN = 90.0  # a cold PEX_ROOT builds the venv first

# Release N+1: N's migrations package copied as `tasks_next`, plus one revision after N's head.
# Runs in N's pex (`PEX_INTERPRETER`), which has tasks' tables and the chassis.
_APPLY_NEXT_RELEASE = '''
import os, shutil, sys
from pathlib import Path
from alembic.script import ScriptDirectory
import tasks.migrations
from chassis.db import alembic_config, migrate

url, into = os.environ["TASKS__DATABASE__URL"], Path(os.environ["NEXT_RELEASE_DIR"])
source = Path(tasks.migrations.__file__).parent
shutil.copytree(source, into / "tasks_next", ignore=shutil.ignore_patterns("__pycache__"))
head = ScriptDirectory.from_config(alembic_config(url, "tasks.migrations")).get_current_head()
(into / "tasks_next" / "versions" / "next_release.py").write_text(f"""
import sqlalchemy as sa
from alembic import op

revision = "next_release"
down_revision = "{head}"


def upgrade() -> None:
    op.add_column("task", sa.Column("estimated_minutes", sa.Integer, nullable=True))
    op.create_table(
        "task_attachment",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("task_id", sa.BigInteger, sa.ForeignKey("task.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
    )
""")
sys.path.insert(0, str(into))
migrate(url, "tasks_next")
print(head)
'''


@dataclass
class TasksRelease:
    """One release of tasks as a cluster runs it: its pex, with the environment of its pods."""

    pex: Path
    env: dict[str, str]
    logs: Path

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.pex), *args],
            env=self.env | env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    def migrate(self) -> subprocess.CompletedProcess[str]:
        """The migration hook Job."""
        return self.run("migrate")

    def apply_next_release(self, into: Path) -> str:
        """Release N+1's migrate; returns N's head (the new revision's down_revision)."""
        done = self.run("-c", _APPLY_NEXT_RELEASE, PEX_INTERPRETER="1", NEXT_RELEASE_DIR=str(into))
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    @contextmanager
    def serving(self) -> Iterator[str]:
        """A pod: `serve` until ready on /health/ready, stopped with SIGTERM afterwards."""
        port = free_port()
        with self.logs.open("a") as log:
            process = subprocess.Popen(
                [str(self.pex), "serve", "--port", str(port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(url, process, self.logs)
            yield url
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(url: str, process: subprocess.Popen[bytes], logs: Path) -> None:
    deadline = time.monotonic() + READY_WITHIN
    with Client(base_url=url, timeout=httpx.Timeout(2.0)) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"tasks exited ({process.returncode}):\n{logs.read_text()[-3000:]}")
            try:
                if health_ready.sync_detailed(client=client).status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            time.sleep(0.3)
    pytest.fail(f"tasks was not ready within {READY_WITHIN:g}s:\n{logs.read_text()[-3000:]}")


@contextmanager
def _fresh_database(folder: Path) -> Iterator[str]:
    """A database nothing has touched: on DATABASE_URL's PostgreSQL server, else a SQLite file."""
    server = os.environ.get("DATABASE_URL")
    if not server:
        yield f"sqlite:///{folder / 'tasks.sqlite3'}"
        return
    fresh = TestDatabase(server, f"rollback_{uuid.uuid4().hex[:12]}").create()
    try:
        yield fresh.url
    finally:
        fresh.drop()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _fresh_database(tmp_path_factory.mktemp("rollback")) as url:
        yield url


@pytest.fixture(scope="module")
def issuer() -> Iterator[TokenIssuer]:
    with TokenIssuer() as issuer:
        yield issuer


@pytest.fixture(scope="module")
def release_n(
    database: str,
    issuer: TokenIssuer,
    mqtt_broker: BrokerAddress,
    tmp_path_factory: pytest.TempPathFactory,
) -> TasksRelease:
    pex = next(
        (
            d / "services.tasks" / "pex.pex"
            for d in _PEXES
            if d.joinpath("services.tasks", "pex.pex").exists()
        ),
        None,
    )
    if pex is None:
        pytest.skip("no tasks pex: ./pants package services/tasks:pex first")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TASKS__", "PEX_", "__PEX_"))}
    env |= {
        "TASKS__DATABASE__URL": database,
        "TASKS__DATABASE__MIGRATE_AT_START": "false",  # as in the cluster: the Job migrates
        "TASKS__MQTT__URL": mqtt_broker.url,
        "TASKS__MQTT__CLIENT_ID": f"tasks-rollback-{uuid.uuid4().hex[:8]}",
        "TASKS__AUTH__JWKS_URL": issuer.jwks_url,
        "TASKS__AUTH__ISSUER": issuer.issuer,
        "TASKS__AUTH__AUDIENCE": issuer.audience,
    }
    logs = tmp_path_factory.mktemp("tasks") / "tasks.log"
    return TasksRelease(pex, env, logs)


@dataclass(frozen=True)
class RolledBack:
    """Release N deployed, then N+1, then N again: what N's migrate Job said."""

    head_n: str
    task_before: TaskPublic
    migrate: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def rolled_back(
    release_n: TasksRelease, issuer: TokenIssuer, tmp_path_factory: pytest.TempPathFactory
) -> RolledBack:
    deployed = release_n.migrate()
    assert deployed.returncode == 0, deployed.stderr
    with release_n.serving() as url:
        task_before = _create(url, issuer, "inspect pump 7 before the release")
    head_n = release_n.apply_next_release(tmp_path_factory.mktemp("next_release"))
    return RolledBack(head_n, task_before, release_n.migrate())


def _create(url: str, issuer: TokenIssuer, title: str) -> TaskPublic:
    with AuthenticatedClient(base_url=url, token=issuer.mint("7", role="operator")) as api:
        task = create.sync(client=api, body=TaskCreate(title=title))
    assert isinstance(task, TaskPublic), task
    return task


def _get(url: str, issuer: TokenIssuer, task_id: str) -> TaskPublic:
    with AuthenticatedClient(base_url=url, token=issuer.mint("7", role="operator")) as api:
        task = get_task.sync(int(task_id), client=api)
    assert isinstance(task, TaskPublic), task
    return task


def _execute(url: str, sql: str) -> None:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(sql))
    finally:
        engine.dispose()


def _columns(url: str, table: str) -> set[str]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return {column["name"] for column in sa.inspect(conn).get_columns(table)}
    finally:
        engine.dispose()


def test_the_rolled_back_release_migrates_as_a_no_op_with_one_clear_line(
    rolled_back: RolledBack, database: str
) -> None:
    assert rolled_back.migrate.returncode == 0, rolled_back.migrate.stderr
    output = rolled_back.migrate.stdout + rolled_back.migrate.stderr
    assert (
        f"database is at next_release, a later revision than this release's head "
        f"{rolled_back.head_n}: nothing to do" in output
    )
    assert "Traceback" not in output
    assert "estimated_minutes" in _columns(database, "task")  # N+1's schema stays


def test_the_rolled_back_release_serves_and_writes_on_the_later_schema(
    rolled_back: RolledBack, release_n: TasksRelease, issuer: TokenIssuer
) -> None:
    with release_n.serving() as url:
        created = _create(url, issuer, "inspect pump 7 after the rollback")
        assert _get(url, issuer, created.id).title == "inspect pump 7 after the rollback"
        assert _get(url, issuer, rolled_back.task_before.id).title == (
            "inspect pump 7 before the release"
        )


def test_a_release_refuses_to_migrate_a_database_from_another_history(
    release_n: TasksRelease, tmp_path: Path
) -> None:
    with _fresh_database(tmp_path) as url:
        release = TasksRelease(
            release_n.pex, release_n.env | {"TASKS__DATABASE__URL": url}, tmp_path / "log"
        )
        head = release.migrate()
        assert head.returncode == 0, head.stderr
        # A revision no release of tasks ever recorded (another branch, another service).
        _execute(url, "UPDATE alembic_version SET version_num = 'elsewhere'")

        refused = release.migrate()

    assert refused.returncode == 1
    assert "database is at elsewhere, which does not descend from this release's head" in (
        refused.stderr
    )
    assert "Traceback" not in refused.stdout + refused.stderr
