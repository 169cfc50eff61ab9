"""What the benchmarks need: a PostgreSQL server they may create databases on."""

from __future__ import annotations

import os
import shutil

import pytest

from chassis.testing.private_postgres import PrivatePostgres

needs_wrk = pytest.mark.skipif(
    shutil.which("wrk") is None, reason="wrk is absent: apt-get install -y wrk (.ci/run does)"
)


@pytest.fixture
def postgres_server(request: pytest.FixtureRequest) -> str:
    """DATABASE_URL's server, else a private one: a libpq URL (the benchmarks' --pg)."""
    url = os.environ.get("DATABASE_URL")
    if url is None:
        server: PrivatePostgres = request.getfixturevalue("private_postgres")
        url = server.url
    return url.replace("+psycopg", "")
