"""The generated API clients in e2e/clients/: each service's OpenAPI document, taken from its pex
without serving, and the openapi-python-client package made from it (`users_client`, ...).

Committing both makes an API change visible in review; `fleet clients --check` (and the contract
test) fails while a service's API and its client disagree.
"""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from fleet.catalog import Service

CLIENTS_DIR = Path("e2e/clients")


class GenerationFailed(Exception):
    """A service's pex could not print its OpenAPI document, or the generator refused it."""


def openapi_of(service: Service) -> str:
    """The service's OpenAPI document, as its `openapi` command prints it.

    Its own settings variables are left out, so the document is the same on every machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(service.env_prefix)}
    with tempfile.TemporaryDirectory() as empty:  # no settings files around it either
        done = subprocess.run(
            [str(service.pex), "openapi"], env=env, cwd=empty, capture_output=True, text=True
        )
    if done.returncode != 0:
        raise GenerationFailed(f"{service.pex} openapi failed:\n{done.stderr.strip()}")
    return done.stdout


def generate(service: Service, clients_dir: Path) -> Path:
    """Write `<clients_dir>/<name>_client/` (with its openapi.json) from the service's pex."""
    package = f"{service.name}_client"
    target = clients_dir / package
    with tempfile.TemporaryDirectory() as work:
        spec = Path(work) / "openapi.json"
        spec.write_text(openapi_of(service))
        config = Path(work) / "config.yaml"
        config.write_text(_config(package))
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "openapi_python_client",
                "generate",
                "--path",
                str(spec),
                "--config",
                str(config),
                "--meta",
                "none",
                "--output-path",
                str(target),
                "--overwrite",
                "--fail-on-warning",
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise GenerationFailed(
                f"openapi-python-client refused {service.name}'s document:\n"
                f"{(done.stdout + done.stderr).strip()}"
            )
        (target / "openapi.json").write_text(spec.read_text())
    return target


def differences(committed: Path, fresh: Path) -> list[str]:
    """Paths (relative to `fresh`) that are missing, extra or different in `committed`."""
    changed: list[str] = []

    def walk(compared: filecmp.dircmp[str], prefix: str) -> None:
        changed.extend(prefix + name for name in _sources(compared.left_only + compared.right_only))
        changed.extend(prefix + name for name in _sources(compared.diff_files))
        changed.extend(prefix + name for name in compared.funny_files)
        for name, sub in compared.subdirs.items():
            if name != "__pycache__":
                walk(sub, f"{prefix}{name}/")

    if not committed.is_dir():
        return [f"{committed.name}/ (not generated yet)"]
    walk(filecmp.dircmp(committed, fresh, ignore=["__pycache__"]), f"{committed.name}/")
    return sorted(changed)


def _sources(names: Iterable[str]) -> list[str]:
    return [n for n in names if n != "__pycache__"]


def _config(package: str) -> str:
    # ruff from the same lockfile formats the output, so regeneration is byte-for-byte stable;
    # --isolated: the repo's own ruff settings exclude generated code.
    ruff = (
        f"{sys.executable} -I -m ruff"  # -I: the package's own types.py must not shadow the stdlib
    )
    return (
        f"package_name_override: {package}\n"
        "post_hooks:\n"
        f'  - "{ruff} check --isolated --select I,F401 --fix-only --no-cache --quiet ."\n'
        f'  - "{ruff} format --isolated --line-length 100 --no-cache --quiet ."\n'
    )
