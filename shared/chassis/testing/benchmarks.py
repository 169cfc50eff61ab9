"""What the benchmarks' smoke tests share (benchmarks/tests, tools/bench/tests): each benchmark runs
as docs/performance.md says, for about a second, so that none rots unnoticed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from chassis.testing.private_postgres import PrivatePostgres

needs_wrk = pytest.mark.skipif(
    shutil.which("wrk") is None, reason="wrk is absent: apt-get install -y wrk (.ci/run does)"
)


def run_benchmark(
    module: str, *args: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`python -m module args` on this test's path; fails the test with its output if it fails."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    command = [sys.executable, "-m", module, *args]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    assert run.returncode == 0, f"{' '.join(command)}:\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}"
    return run


@pytest.fixture
def postgres_server(request: pytest.FixtureRequest) -> str:
    """DATABASE_URL's server, else a private one: a libpq URL (the benchmarks' --pg)."""
    url = os.environ.get("DATABASE_URL")
    if url is None:
        server: PrivatePostgres = request.getfixturevalue("private_postgres")
        url = server.url
    return url.replace("+psycopg", "")
