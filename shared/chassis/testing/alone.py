"""Python code run in an interpreter of its own, on this test process's import path.

For what a process loads, or does once per process: the test process has loaded whatever its
other tests needed, and keeps it.
"""

from __future__ import annotations

import os
import subprocess
import sys


def run_alone(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -c code *args`, its output captured as text; it may fail (the caller asserts)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
