"""Argo CD's objects are valid against the Argo CD CRD schemas and say what docs/deploy.md says:
one Application per overlay folder, placed and synced as its environment file says, the
repository written once, and Argo CD's own objects synced from Git by a root Application."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from deploy.tests.argocd_support import (
    ARGOCD,
    PLACEHOLDERS,
    environment_files,
    matched,
    path_params,
)
from deploy.tests.support import LAYOUT, kustomize, overlay_folders
from release import yamlio
from release.applicationset import fill

VALIDATOR = ARGOCD / "validate"
REPOSITORY = yamlio.load((ARGOCD / "repository.yaml").read_text())["data"]


@pytest.fixture(scope="module")
def validator() -> Path:
    """The schema validator with its npm packages (pinned by package-lock.json)."""
    if not (VALIDATOR / "node_modules" / "@kubernetes-models" / "argo-cd").exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm (Node 20) is needed to install the Argo CD schemas")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=VALIDATOR, check=True
        )
    return VALIDATOR / "validate.mjs"


def _validate(validator: Path, objects: list[dict[str, Any]]) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node") or "node"
    return subprocess.run(
        [node, str(validator)], input=json.dumps(objects), capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def objects() -> dict[str, dict[str, Any]]:
    return {f"{o['kind']}/{o['metadata']['name']}": o for o in kustomize(ARGOCD)}


@pytest.fixture(scope="module")
def appset(objects: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = objects["ApplicationSet/fleet"]["spec"]
    return spec


def _applications(appset: dict[str, Any]) -> list[dict[str, str]]:
    """What the ApplicationSet generates from this checkout: environment files x folders."""
    [environments, folders] = appset["generators"][0]["matrix"]["generators"]
    prefix = environments["git"]["pathParamPrefix"]
    template = appset["template"]
    applications = []
    for [files] in [environments["git"]["files"]]:
        for env_file in matched(files["path"]):
            params = {**yamlio.load((LAYOUT.root / env_file).read_text())}
            params[prefix] = {"path": path_params(env_file.parent)}
            for [directories] in [folders["git"]["directories"]]:
                for folder in matched(fill(directories["path"], params)):
                    if not (LAYOUT.root / folder).is_dir():
                        continue
                    app = {**params, "path": path_params(folder)}
                    applications.append(
                        {
                            "name": fill(template["metadata"]["name"], app),
                            "path": fill(template["spec"]["source"]["path"], app),
                            "server": fill(template["spec"]["destination"]["server"], app),
                            "namespace": fill(template["spec"]["destination"]["namespace"], app),
                            "sync": str(app["sync"]),
                        }
                    )
    return applications


def test_objects_match_the_argo_cd_schemas(validator: Path, objects: dict[str, Any]) -> None:
    result = _validate(validator, list(objects.values()))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("ok ") == len(objects) == 4


def test_the_validator_rejects_a_malformed_object(validator: Path, appset: dict[str, Any]) -> None:
    broken: dict[str, Any] = {"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet"}
    broken |= {"metadata": {"name": "fleet"}, "spec": {**appset, "generators": "deploy/overlays"}}
    result = _validate(validator, [broken])
    assert result.returncode == 1
    assert "spec/generators must be array" in result.stdout


def test_every_overlay_folder_becomes_one_application_named_env_folder(
    appset: dict[str, Any],
) -> None:
    applications = _applications(appset)
    expected = {
        (f"{f.parent.name}-{f.name}", str(f.relative_to(LAYOUT.root))) for f in overlay_folders()
    }
    assert sorted((a["name"], a["path"]) for a in applications) == sorted(expected)
    assert ("dev-platform", "deploy/overlays/dev/platform") in expected


def test_every_environment_has_an_environment_file() -> None:
    assert sorted(environment_files()) == LAYOUT.environments()


def test_each_application_goes_where_its_environment_file_says(appset: dict[str, Any]) -> None:
    environments = environment_files()
    for app in _applications(appset):
        environment = environments[app["path"].split("/")[2]]
        assert (app["server"], app["namespace"]) == (
            environment["cluster"],
            environment["namespace"],
        )


@pytest.mark.parametrize(("env", "fields"), sorted(environment_files().items()))
def test_an_environment_file_names_a_cluster_a_fleet_namespace_and_a_sync(
    env: str, fields: dict[str, Any]
) -> None:
    # `seed` is for ./fleet generate (tools/scaffold/overlays.py); Argo CD reads the others.
    assert sorted(fields) == ["cluster", "namespace", "seed", "sync"]
    assert fields["cluster"].startswith("https://")
    assert fields["namespace"].startswith("fleet-")
    assert fields["sync"] in {"automated", "manual"}


def test_prod_waits_for_a_person_and_the_others_sync_themselves() -> None:
    assert {env: f["sync"] for env, f in environment_files().items()} == {
        "dev": "automated",
        "staging": "automated",
        "prod": "manual",
    }


def test_automated_sync_prunes_and_self_heals_and_follows_the_sync_field(
    appset: dict[str, Any],
) -> None:
    patch = appset["templatePatch"]
    head, body = patch.split("\n", 1)
    assert head == '{{- if eq .sync "automated" }}'
    automated = yamlio.load(body.rsplit("{{- end }}", 1)[0])
    assert automated["spec"]["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}


def test_both_git_generators_read_this_repository_and_keep_their_paths_apart(
    appset: dict[str, Any],
) -> None:
    generators = [g["git"] for g in appset["generators"][0]["matrix"]["generators"]]
    assert [(g["repoURL"], g["revision"]) for g in generators] == [
        (REPOSITORY["url"], REPOSITORY["revision"])
    ] * 2
    # Two git generators in a matrix both make `path`: Argo CD needs one of them prefixed.
    assert [g.get("pathParamPrefix") for g in generators] == ["environment", None]


def test_project_allows_only_this_repo_fleet_namespaces_and_the_rendered_kinds(
    objects: dict[str, Any], appset: dict[str, Any]
) -> None:
    project = objects["AppProject/fleet"]["spec"]
    assert appset["template"]["spec"]["project"] == "fleet"
    assert project["sourceRepos"] == [REPOSITORY["url"]]
    assert project["destinations"] == [{"server": "*", "namespace": "fleet-*"}]
    allowed = {w["kind"] for w in project["namespaceResourceWhitelist"]}
    deployed = {o["kind"] for folder in overlay_folders() for o in kustomize(folder)}
    assert deployed <= allowed
    assert "Secret" not in allowed


def test_the_root_application_syncs_this_folder_from_git(objects: dict[str, Any]) -> None:
    root = objects["Application/fleet-argocd"]
    assert root["spec"]["source"] == {
        "repoURL": REPOSITORY["url"],
        "targetRevision": REPOSITORY["revision"],
        "path": str(ARGOCD.relative_to(LAYOUT.root)),
    }
    assert root["spec"]["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}
    synced = {(o["kind"], o["metadata"]["name"]) for o in objects.values()}
    assert ("Application", "fleet-argocd") in synced  # itself: a change to it is a commit too


def test_the_root_project_may_only_keep_argo_cd_objects_in_argocd(objects: dict[str, Any]) -> None:
    project = objects["AppProject/fleet-argocd"]["spec"]
    assert objects["Application/fleet-argocd"]["spec"]["project"] == "fleet-argocd"
    assert project["sourceRepos"] == [REPOSITORY["url"]]
    assert project["destinations"] == [
        {"server": "https://kubernetes.default.svc", "namespace": "argocd"}
    ]
    assert project["clusterResourceWhitelist"] == []
    kinds = {(w["group"], w["kind"]) for w in project["namespaceResourceWhitelist"]}
    assert kinds == {("argoproj.io", k) for k in ("AppProject", "ApplicationSet", "Application")}
    assert {o["kind"] for o in objects.values()} <= {k for _, k in kinds}


def test_the_built_objects_carry_the_repository_and_no_placeholder(
    objects: dict[str, Any],
) -> None:
    built = yamlio.dump_all(list(objects.values()))
    assert not [p for p in PLACEHOLDERS if p in built]
    assert "fleet-repository" not in built  # the local-config source is not applied
    assert built.count(REPOSITORY["url"]) == 6  # root app, 2 generators, template, 2 projects


def test_the_repository_url_is_written_in_one_file() -> None:
    written = [
        str(p.relative_to(LAYOUT.root))
        for folder in ("deploy", "docs")
        for p in (LAYOUT.root / folder).rglob("*")
        if p.is_file() and "node_modules" not in p.parts and REPOSITORY["url"] in _text(p)
    ]
    assert written == ["deploy/argocd/repository.yaml"]


def test_the_placeholders_are_only_in_what_the_argocd_kustomization_replaces() -> None:
    replaced = yamlio.load((ARGOCD / "kustomization.yaml").read_text())["resources"]
    holding = {
        str(p.relative_to(LAYOUT.root))
        for folder in ("deploy", "docs")
        for p in (LAYOUT.root / folder).rglob("*")
        if p.is_file()
        and "node_modules" not in p.parts
        and p.suffix != ".py"  # this test names them
        and any(placeholder in _text(p) for placeholder in PLACEHOLDERS)
    }
    assert holding
    assert holding <= {f"deploy/argocd/{name}" for name in replaced}


def _text(path: Path) -> str:
    try:
        return path.read_text()
    except UnicodeDecodeError:
        return ""
