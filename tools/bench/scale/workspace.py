"""The throwaway clone the scale benchmark works in: every command it runs there is timed,
bounded by a timeout (its whole process group killed when it runs over) and logged to a file."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Commits in the clone are the benchmark's, whoever runs it.
_AUTHOR = ["-c", "user.name=fleet scale benchmark", "-c", "user.email=bench@fleet.invalid"]


@dataclass(frozen=True)
class Run:
    """A command that ran in the clone: how long, how it ended, where its output is."""

    what: str
    command: list[str]
    seconds: float
    returncode: int | None  # None: killed at its timeout
    log: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def verdict(self) -> str:
        if self.returncode is None:
            return "timed out"
        return "ok" if self.ok else f"failed (exit {self.returncode})"

    def output(self) -> str:
        """Its stdout and stderr, interleaved, without terminal colours."""
        text = _ANSI.sub("", self.log.read_text(errors="replace"))
        return text.split("\n", 1)[1] if "\n" in text else ""  # after the log's `$ command`

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.output().splitlines()[-lines:])


class Clone:
    """A `git clone` of the repository, and the commands run in it."""

    def __init__(self, root: Path, logs: Path) -> None:
        self.root = root
        self.logs = logs
        self.runs: list[Run] = []
        # Nothing of the process that runs the benchmark (a pex under `./pants run`) leaks into
        # the pexes and Pants runs it starts: PEX_EXTRA_SYS_PATH would put this checkout's
        # sources ahead of theirs.
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith("PEX_") and k != "PYTHONPATH"
        } | {"FLEET_ROOT": str(root)}

    @classmethod
    def of(cls, repository: Path, root: Path, logs: Path) -> Clone:
        """Clone `repository`'s committed HEAD (not its working tree) into `root`."""
        logs.mkdir(parents=True, exist_ok=True)
        clone = cls(root, logs)
        run = clone.run(
            "git clone", ["git", "clone", "-q", str(repository), str(root)], timeout=300
        )
        if not run.ok:
            raise RuntimeError(f"git clone failed:\n{run.tail()}")
        return clone

    def run(
        self,
        what: str,
        command: list[str],
        *,
        timeout: float,
        env: Mapping[str, str] | None = None,
    ) -> Run:
        """Run `command` in the clone, its output to a log file of its own; kill its process
        group when it outlives `timeout` seconds."""
        log = self.logs / f"{len(self.runs) + 1:03d}-{_slug(what)}.log"
        cwd = self.root if self.root.exists() else self.root.parent
        started = time.monotonic()
        with log.open("w") as out:
            out.write(f"$ {' '.join(command)}\n")
            out.flush()
            process = subprocess.Popen(
                command,
                cwd=cwd,
                env={**self.env, **(env or {})},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: a timeout ends all of it
            )
            try:
                returncode: int | None = process.wait(timeout)
            except subprocess.TimeoutExpired:
                _end_group(process)
                returncode = None
            except BaseException:  # Ctrl-C: what it started ends with the benchmark
                _end_group(process)
                raise
        run = Run(what, command, time.monotonic() - started, returncode, log)
        self.runs.append(run)
        return run

    def pants(self, what: str, *args: str, timeout: float) -> Run:
        return self.run(what, ["./pants", "--no-pantsd", *args], timeout=timeout)

    def commit(self, message: str) -> None:
        """Commit everything in the working tree."""
        for what, command in (
            ("git add", ["git", "add", "-A"]),
            ("git commit", ["git", *_AUTHOR, "commit", "-q", "-m", message]),
        ):
            run = self.run(what, command, timeout=120)
            if not run.ok:
                raise RuntimeError(f"{what} failed:\n{run.tail()}")

    def changes(self) -> list[str]:
        """`git status --porcelain`: what is modified or new and not ignored."""
        run = self.run("git status", ["git", "status", "--porcelain"], timeout=120)
        if not run.ok:
            raise RuntimeError(f"git status failed:\n{run.tail()}")
        return [line for line in run.output().splitlines() if line.strip()]

    def append_comment(self, path: str, text: str) -> None:
        """A one-line change to `path`: a comment at its end."""
        file = self.root / path
        file.write_text(file.read_text().rstrip("\n") + f"\n# {text}\n")


def _end_group(process: subprocess.Popen[bytes]) -> None:
    for signum, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 20)):
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:
            return
        try:
            process.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]
