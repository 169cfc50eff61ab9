"""What the deployment tests share: the repo layout, kustomize, and Kubernetes schema checks."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate

from release import yamlio
from release.layout import PLATFORM, Layout

# The Kubernetes version Fleet's clusters run; schemas come from kubernetes-validate.
KUBE_VERSION = "1.32.0"
# Pants runs tests from a sandbox holding the declared files at their repo paths; pytest from
# the repo root sees the same.
LAYOUT = Layout(Path.cwd())


def overlay_folders() -> list[Path]:
    """Every folder Argo CD turns into an Application: deploy/overlays/<env>/<name>."""
    return sorted(p.parent for p in LAYOUT.overlays_dir.glob("*/*/kustomization.yaml"))


def service_overlays() -> list[tuple[str, str]]:
    """(environment, service) for every overlay that deploys a service."""
    return [(p.parent.name, p.name) for p in overlay_folders() if p.name != PLATFORM]


def kubectl() -> str:
    found = shutil.which("kubectl") or "/usr/bin/kubectl"
    if not Path(found).exists():
        raise RuntimeError("kubectl is needed to build the overlays (apt-get install kubectl)")
    return found


@functools.cache  # the overlays do not change during a test run
def kustomize(folder: Path) -> list[dict[str, Any]]:
    result = subprocess.run(
        [kubectl(), "kustomize", str(folder)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"kubectl kustomize {folder} failed:\n{result.stderr}"
    return yamlio.load_all(result.stdout)


def schema_errors(obj: dict[str, Any]) -> str | None:
    """Why `obj` is not a valid Kubernetes object (strict: unknown fields fail), or None.

    A kind without a schema is an error too: kubernetes-validate's CLI only warns about it.
    """
    try:
        kubernetes_validate.validate(obj, KUBE_VERSION, strict=True)
    except kubernetes_validate.SchemaNotFoundError as exc:
        return str(exc.message)
    except kubernetes_validate.ValidationError as exc:
        path = "/".join(str(p) for p in exc.path)
        return f"{obj['kind']}/{obj['metadata']['name']} at /{path}: {exc.message}"
    return None
