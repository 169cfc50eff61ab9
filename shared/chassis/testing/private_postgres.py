"""A PostgreSQL server of a test's own (initdb + pg_ctl in a temp dir, on a free port).

For tests that stop and restart the database; never stop the shared server on 5432. PostgreSQL
refuses to run as root, so as root the server runs as the `postgres` OS user (via runuser).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from chassis.local import free_port


def find_postgres_bin() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin holding initdb (Debian), else initdb's on PATH."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PrivatePostgres:
    """A throwaway server: `start()`, `stop()`, `restart()`, `close()` (stop and delete).

    >>> server = PrivatePostgres()
    >>> server.start()
    >>> server.url   # postgresql+psycopg://postgres@127.0.0.1:<port>/postgres
    >>> server.restart()  # same port, same data
    >>> server.close()
    """

    def __init__(self, port: int | None = None, bin_dir: Path | None = None) -> None:
        self.port = port or free_port()
        self._bin = bin_dir or find_postgres_bin()
        self._dir: Path | None = None
        self._running = False

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def data_dir(self) -> Path:
        if self._dir is None:
            raise RuntimeError("the server was never started")
        return self._dir / "data"

    def start(self) -> None:
        if self._bin is None:
            raise FileNotFoundError("PostgreSQL is not installed (apt-get install postgresql)")
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="fleet-postgres-"))
            self._hand_over(self._dir)
            self._run("initdb", "-D", str(self.data_dir), "-U", "postgres", "--auth=trust",
                      "--no-sync", "-E", "UTF8")  # fmt: skip
        # fsync off (an OS crash is not a test's fault), but commits are written before they
        # return: stop() is immediate, and a test counting what survives it must see every commit.
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self._dir} -c fsync=off "
            "-c full_page_writes=off"
        )
        log = str(self._dir / "server.log")
        self._run("pg_ctl", "-D", str(self.data_dir), "-l", log, "-o", options, "-w", "start")
        self._running = True

    def stop(self) -> None:
        """Stop the server at once: clients see their connections drop."""
        if self._running:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
            self._running = False

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop the server and delete its files."""
        self.stop()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def _run(self, tool: str, *args: str) -> None:
        if self._bin is None:
            raise FileNotFoundError("PostgreSQL is not installed (apt-get install postgresql)")
        argv = [str(self._bin / tool), *args]
        if os.geteuid() == 0:
            # PostgreSQL refuses root; its own OS user runs it.
            argv = [_runuser(), "-u", "postgres", "--", *argv]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr.strip()}")

    @staticmethod
    def _hand_over(folder: Path) -> None:
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(folder, user.pw_uid, user.pw_gid)


def _runuser() -> str:
    found = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin")
    if found is None:
        raise FileNotFoundError("runuser is needed to run PostgreSQL as its own user under root")
    return found
