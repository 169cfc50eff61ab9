"""`release compare-render`: the real helm binary's `helm template` against the committed render.

No helm binary here (CI's chart job installs one): a stand-in `helm` prints what the Helm SDK
renders, in the form `helm template` prints it (release/tests/helm_output.py).
"""

from __future__ import annotations

import shlex
import stat
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from release import render
from release.cli import app
from release.layout import Layout
from release.tests.helm_output import helm_template

CHART = {
    "Chart.yaml": "apiVersion: v2\nname: service\nversion: 0.1.0\n",
    "values.yaml": "replicas: 1\nport: 8000\n",
    "templates/NOTES.txt": "{{ .Release.Name }} listens on {{ .Values.port }}\n",
    # Templates in an order Helm's install order changes: Deployment before Service.
    "templates/deployment.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  template:
    spec:
      containers:
        - name: app
          image: "fleet/{{ .Release.Name }}:unreleased"
          ports: [{containerPort: {{ .Values.port }}}]
""",
    "templates/monitor.yaml": "{{- if .Values.monitor }}\nkind: ServiceMonitor\n{{- end }}\n",
    "templates/service.yaml": """\
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
  labels: {app: "{{ .Release.Name }}"}
spec:
  ports:
    - port: 80
      targetPort: {{ .Values.port }}
""",
}
VALUES = {"users": "port: 8001\n", "tasks": "port: 8002\nreplicas: 2\n"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repo with a small chart, two services and the render `release render` commits."""
    for name, text in CHART.items():
        path = tmp_path / "deploy/helm/service" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for service, text in VALUES.items():
        path = tmp_path / "deploy/helm/values" / f"{service}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    layout = Layout(tmp_path)
    render.write(layout, render.render_all(layout))
    return tmp_path


def helm_template_output(layout: Layout, service: str) -> str:
    """What `helm template` prints for `service` (the SDK's render in helm's form)."""
    values = render.service_values(layout, service)
    return helm_template(layout.chart, values, release_name=service)


_STAND_IN = """\
import pathlib, sys

folder = pathlib.Path(sys.argv[0]).parent
with open(folder / "calls", "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
if (folder / "fail").exists():
    sys.exit("Error: values don't meet the specifications of the schema(s)")
sys.stdout.write((folder / (sys.argv[2] + ".yaml")).read_text())
"""


def stand_in_helm(repo: Path, outputs: dict[str, str], *, fail: bool = False) -> Path:
    """An executable `helm` that logs its arguments and prints `outputs[<release name>]`."""
    folder = repo.with_name(f"{repo.name}-helm")
    folder.mkdir(exist_ok=True)
    for service, text in outputs.items():
        (folder / f"{service}.yaml").write_text(text)
    if fail:
        (folder / "fail").touch()
    (folder / "helm.py").write_text(_STAND_IN)
    script = folder / "helm"
    script.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$0.py" "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def _compare(repo: Path, helm_binary: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["compare-render", "--helm", str(helm_binary), "--repo", str(repo)]
    )
    return result.exit_code, result.output


def test_the_stand_in_prints_in_helms_install_order(repo: Path) -> None:
    output = helm_template_output(Layout(repo), "users")
    assert output.index("kind: Service") < output.index("kind: Deployment")
    assert output.startswith("---\n# Source: service/templates/service.yaml\n")
    assert "NOTES" not in output
    assert "ServiceMonitor" not in output


def test_helm_template_output_normalises_to_what_render_writes(repo: Path) -> None:
    layout = Layout(repo)
    for service in VALUES:
        from_helm = render.from_helm_template(service, helm_template_output(layout, service))
        assert from_helm == render.render_service(layout, service)


def test_compare_render_passes_when_helm_renders_the_committed_manifests(repo: Path) -> None:
    layout = Layout(repo)
    helm_binary = stand_in_helm(repo, {s: helm_template_output(layout, s) for s in VALUES})
    code, output = _compare(repo, helm_binary)
    assert code == 0, output
    assert "helm template equals deploy/rendered/ for tasks, users" in output


def test_compare_render_runs_helm_template_per_service_with_its_values_file(repo: Path) -> None:
    layout = Layout(repo)
    helm_binary = stand_in_helm(repo, {s: helm_template_output(layout, s) for s in VALUES})
    _compare(repo, helm_binary)
    calls = [shlex.split(line) for line in (helm_binary.parent / "calls").read_text().splitlines()]
    assert calls == [
        ["template", service, "deploy/helm/service", "-f", f"deploy/helm/values/{service}.yaml"]
        for service in ("tasks", "users")
    ]


def test_compare_render_fails_and_shows_any_difference(repo: Path) -> None:
    layout = Layout(repo)
    outputs = {s: helm_template_output(layout, s) for s in VALUES}
    outputs["tasks"] = outputs["tasks"].replace("replicas: 2", "replicas: 3")
    code, output = _compare(repo, stand_in_helm(repo, outputs))
    assert code == 1
    assert "-  replicas: 2\n+  replicas: 3\n" in output
    assert "differs: deploy/rendered/tasks/manifests.yaml" in output
    assert "users/manifests.yaml" not in output


def test_compare_render_fails_on_an_object_helm_renders_and_the_commit_lacks(repo: Path) -> None:
    layout = Layout(repo)
    outputs = {s: helm_template_output(layout, s) for s in VALUES}
    outputs["users"] += "---\n# Source: service/templates/extra.yaml\nkind: ConfigMap\n"
    code, output = _compare(repo, stand_in_helm(repo, outputs))
    assert code == 1
    assert "+kind: ConfigMap\n" in output


def test_compare_render_fails_when_helm_template_fails(repo: Path) -> None:
    code, output = _compare(repo, stand_in_helm(repo, {}, fail=True))
    assert code == 1
    assert "values don't meet the specifications" in output
    assert "helm template failed for tasks" in output


def test_compare_render_passes_a_described_services_wiring_before_its_values_file(
    repo: Path,
) -> None:
    descriptor = repo / "services" / "users" / "service.toml"
    descriptor.parent.mkdir(parents=True)
    descriptor.write_text("port = 8001\nidentity = true\n")
    layout = Layout(repo)
    helm_binary = stand_in_helm(repo, {s: helm_template_output(layout, s) for s in VALUES})
    _compare(repo, helm_binary)
    calls = [shlex.split(line) for line in (helm_binary.parent / "calls").read_text().splitlines()]
    users = next(call for call in calls if call[1] == "users")
    assert users[3] == "-f"
    assert users[4].endswith("/users.yaml")
    assert users[5:] == ["-f", "deploy/helm/values/users.yaml"]
