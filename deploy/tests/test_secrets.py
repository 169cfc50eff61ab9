"""The Secrets list: docs/deploy.md shows every Secret the built overlays reference, and the
optional ExternalSecret components (deploy/external-secrets/) make each of them, from the one
ClusterSecretStore, for an overlay that opts in."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from deploy.tests.support import LAYOUT, kustomize
from release import secrets
from release.layout import Layout

DOCS = LAYOUT.root / "docs" / "deploy.md"
COMPONENTS = LAYOUT.root / "deploy" / "external-secrets"


def _documented() -> str:
    text = DOCS.read_text()
    start = text.index("\n", text.index("<!-- release secrets: generated")) + 1
    return text[start : text.index("<!-- /release secrets -->")]


def _referenced(objects: list[dict[str, Any]]) -> set[str]:
    return {name for name, _, _ in secrets.references(objects)}


def test_the_docs_list_every_secret_the_overlays_reference() -> None:
    assert _documented() == secrets.table(LAYOUT, secrets.needed(LAYOUT)), (
        "docs/deploy.md's Secrets table is stale: paste `release secrets` there"
    )


def test_the_committed_external_secrets_are_what_the_list_makes() -> None:
    folders = secrets.external_secrets(secrets.needed(LAYOUT))
    assert secrets.stale(LAYOUT, folders) == [], "run `release secrets --write`"


def test_an_overlay_that_opts_in_gets_an_external_secret_for_each_secret_it_reads(
    tmp_path: Path,
) -> None:
    for folder in ("rendered", "overlays", "external-secrets"):
        shutil.copytree(LAYOUT.root / "deploy" / folder, tmp_path / "deploy" / folder)
    overlay = Layout(tmp_path).overlays_dir / "staging" / "devices"
    kustomization = overlay / "kustomization.yaml"
    kustomization.write_text(
        kustomization.read_text() + "components:\n  - ../../../external-secrets/devices\n"
    )
    objects = kustomize(overlay)
    made = [o for o in objects if o["kind"] == "ExternalSecret"]
    assert {o["spec"]["target"]["name"] for o in made} == _referenced(objects)
    assert {o["metadata"]["namespace"] for o in made} == {"fleet-staging"}
    assert {o["spec"]["secretStoreRef"]["name"] for o in made} == {secrets.STORE}


def test_the_argo_cd_project_allows_the_external_secrets() -> None:
    project = next(
        o
        for o in kustomize(LAYOUT.root / "deploy" / "argocd")
        if o["kind"] == "AppProject" and o["metadata"]["name"] == "fleet"
    )
    allowed = {(w["group"], w["kind"]) for w in project["spec"]["namespaceResourceWhitelist"]}
    assert ("external-secrets.io", "ExternalSecret") in allowed
