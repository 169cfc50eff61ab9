"""A throwaway git repo with Fleet's real build configuration, for tests that run Pants in it.

Two kinds: `ThrowawayRepo(root)` copies the build files (pants.toml, the ./pants launcher,
plugins, BUILD macros, the boundary rules and the lockfile) from the test's sandbox, where Pants
put them as the `//:build-config` dependency, and the tests add small packages of their own;
`ThrowawayRepo.of_repository(root)` unpacks the whole repository (`//:repository-archive`), so a
test runs Pants on Fleet itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

BUILD_CONFIG = [
    "pants",
    "pants.toml",
    "pyproject.toml",
    "conftest.py",
    "build-support",
    "pants-plugins",
    "3rdparty/python",
    "e2e/BUILD",
    "tools/BUILD",
]


_SHARED_TARGETS = """
python_sources(name="src", sources=["**/*.py", "!**/tests/**"])
python_tests(name="tests", sources=["**/tests/**/test_*.py"])
"""


# Every file of the repository, as the `//:repository-archive` runtime package puts it there.
REPOSITORY_ARCHIVE = "repository.tar"


class ThrowawayRepo:
    def __init__(self, root: Path) -> None:
        """A git repo at `root` with what is there now as its first commit."""
        self.root = root
        self.git("init", "-q", "-b", "main")
        self.commit("first commit")

    @classmethod
    def with_build_config(cls, root: Path, source: Path | None = None) -> ThrowawayRepo:
        """Fleet's build configuration alone, for tests that add small packages of their own."""
        source = source or Path.cwd()
        for entry in BUILD_CONFIG:
            src, dst = source / entry, root / entry
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst)
            else:
                shutil.copy2(src, dst)
        (root / "BUILD").write_text('python_test_utils(name="conftest", sources=["conftest.py"])\n')
        # shared/'s real boundary rule, with plain targets (its own name files this repo lacks).
        shared_build = (source / "shared/BUILD").read_text()
        rules = re.search(r"^__dependencies_rules__\(.*?^\)\n", shared_build, re.S | re.M)
        if rules is None:
            raise ValueError("shared/BUILD declares no __dependencies_rules__")
        (root / "shared").mkdir(exist_ok=True)
        (root / "shared/BUILD").write_text(rules.group(0) + _SHARED_TARGETS)
        return cls(root)

    @classmethod
    def of_repository(cls, root: Path, archive: Path = Path(REPOSITORY_ARCHIVE)) -> ThrowawayRepo:
        """Fleet itself: every file of the repository, real BUILD files, rules and imports."""
        with tarfile.open(archive) as tar:
            tar.extractall(root, filter="data")
        return cls(root)

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git(
            "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", message
        )

    def git(self, *args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=self.root, check=True, capture_output=True, text=True
        ).stdout

    def pants(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ./pants here without pantsd (a daemon would outlive the test)."""
        env = {key: os.environ[key] for key in ("PATH", "HOME", "PYENV_ROOT") if key in os.environ}
        return subprocess.run(
            ["./pants", "--no-pantsd", "--no-colors", *args],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
