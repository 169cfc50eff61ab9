"""The deployment of a fleet, checked as Argo CD and kubectl see it: every overlay folder builds
with `kubectl kustomize`, each service has its render and an overlay in every environment, and
the ApplicationSet's git generators match every overlay folder."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from release import yamlio
from release.applicationset import fill
from release.layout import Layout

APPLICATION_SET = Path("deploy/argocd/applicationset.yaml")


@dataclass(frozen=True)
class DeploymentCheck:
    overlays: int  # overlay folders (deploy/overlays/<env>/<name>)
    unbuildable: list[str]  # those `kubectl kustomize` refused, with its first error line
    without_render: list[str]  # services with no deploy/rendered/<name>/
    without_overlay: list[str]  # <env>/<service> with no overlay folder
    unmatched: list[str]  # overlay folders the ApplicationSet does not generate

    @property
    def ok(self) -> bool:
        problems = (self.unbuildable, self.without_render, self.without_overlay, self.unmatched)
        return not any(problems)


def check(root: Path, services: list[str], timeout: float = 120) -> DeploymentCheck:
    layout = Layout(root)
    folders = sorted(p.parent for p in layout.overlays_dir.glob("*/*/kustomization.yaml"))
    relative = [f.relative_to(root).as_posix() for f in folders]
    return DeploymentCheck(
        overlays=len(folders),
        unbuildable=[e for f in folders if (e := _kustomize_error(f, timeout)) is not None],
        without_render=[s for s in services if not (layout.rendered_dir / s).is_dir()],
        without_overlay=[
            f"{env}/{s}"
            for env in sorted(p.name for p in layout.overlays_dir.iterdir() if p.is_dir())
            for s in services
            if not (layout.overlays_dir / env / s / "kustomization.yaml").exists()
        ],
        unmatched=sorted(set(relative) - set(generated_folders(root))),
    )


def generated_folders(root: Path) -> Iterator[str]:
    """The folders the ApplicationSet's matrix makes an Application of: each environment file
    (a git `files` generator) crossed with the folders its `directories` path matches, the
    first's path parameters under its `pathParamPrefix` (Go's path.Match `*`: one folder)."""
    appset = yamlio.load((root / APPLICATION_SET).read_text())
    for generator in appset["spec"]["generators"]:
        files, directories = _git_generators(generator["matrix"]["generators"])
        prefix = files.get("pathParamPrefix", "")
        for pattern in (f["path"] for f in files["files"]):
            for env_file in sorted(root.glob(pattern)):
                folder = env_file.parent.relative_to(root).as_posix()
                path = {"path": {"path": folder, "basename": env_file.parent.name}}
                params = {prefix: path} if prefix else path
                for entry in directories["directories"]:
                    if entry.get("exclude"):
                        continue
                    for match in sorted(root.glob(fill(entry["path"], params))):
                        if match.is_dir():
                            yield match.relative_to(root).as_posix()


def _git_generators(generators: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    gits = [g["git"] for g in generators if "git" in g]
    files = next(g for g in gits if "files" in g)
    directories = next(g for g in gits if "directories" in g)
    return files, directories


def _kustomize_error(folder: Path, timeout: float) -> str | None:
    kubectl = shutil.which("kubectl") or "kubectl"
    try:
        done = subprocess.run(
            [kubectl, "kustomize", str(folder)], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return f"{folder}: kubectl kustomize timed out after {timeout:.0f} s"
    if done.returncode == 0:
        return None
    first = (done.stderr.strip().splitlines() or ["(no message)"])[0]
    return f"{folder}: {first}"
