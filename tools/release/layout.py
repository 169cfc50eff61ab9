"""Where the deployment lives in the repo, and which services and environments exist.

Services and environments are discovered, not listed: a service is a values file in
deploy/helm/values/, an environment is a folder in deploy/overlays/. Adding either needs no edit
here, in the workflows or in Argo CD.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Overlay folders that are not a service (cluster pieces an environment runs beside the fleet).
PLATFORM = "platform"


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def chart(self) -> Path:
        return self.root / "deploy" / "helm" / "service"

    @property
    def values_dir(self) -> Path:
        return self.root / "deploy" / "helm" / "values"

    @property
    def rendered_dir(self) -> Path:
        return self.root / "deploy" / "rendered"

    @property
    def overlays_dir(self) -> Path:
        return self.root / "deploy" / "overlays"

    @property
    def observability_dir(self) -> Path:
        """The dashboards and alert rules generated per service (`release observability`)."""
        return self.root / "deploy" / "observability"

    def values_file(self, service: str) -> Path:
        return self.values_dir / f"{service}.yaml"

    def overlay(self, environment: str, service: str) -> Path:
        """The kustomization of `service` in `environment`: what Argo CD syncs."""
        return self.overlays_dir / environment / service / "kustomization.yaml"

    def services(self) -> list[str]:
        return sorted(p.stem for p in self.values_dir.glob("*.yaml"))

    def environments(self) -> list[str]:
        return sorted(p.name for p in self.overlays_dir.iterdir() if p.is_dir())
