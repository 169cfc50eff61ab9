"""An environment reaches its managed PostgreSQL and broker by address range, set in its overlays:
a NetworkPolicy patch may only add ipBlock peers to the chart's database and broker rules, so the
policy still allows those ranges on the database's and the broker's ports and nothing else."""

from __future__ import annotations

import ipaddress
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from deploy.tests.support import LAYOUT, kubectl, kustomize, service_overlays
from release import yamlio

# The chart's rules for the servers a service uses, by the in-cluster pods they also allow.
SERVERS = {"postgres": "database", "mosquitto": "broker"}
_GUARD = re.compile(r"^/spec/egress/(\d+)/to/0/podSelector/matchLabels/app\.kubernetes\.io~1name$")
_ADD = re.compile(r"^/spec/egress/(\d+)/to/-$")


def _policy_patches(env: str, service: str) -> list[dict[str, Any]]:
    kustomization = yamlio.load(LAYOUT.overlay(env, service).read_text())
    return [p for p in kustomization.get("patches", []) if p["target"]["kind"] == "NetworkPolicy"]


def _policy(objects: list[dict[str, Any]]) -> dict[str, Any]:
    [policy] = [o for o in objects if o["kind"] == "NetworkPolicy"]
    return policy


def _render_of(env: str, service: str) -> list[dict[str, Any]]:
    """The render the overlay builds on (the live one, or its own pinned copy)."""
    overlay = LAYOUT.overlay(env, service).parent
    [resource] = yamlio.load(LAYOUT.overlay(env, service).read_text())["resources"]
    return kustomize((overlay / resource).resolve())


def _server(rule: dict[str, Any]) -> str | None:
    """postgres or mosquitto for the chart's database or broker rule; None for any other."""
    selector = rule["to"][0].get("podSelector", {}).get("matchLabels", {})
    name = selector.get("app.kubernetes.io/name")
    return name if name in SERVERS and len(selector) == 1 else None


def _without_address_ranges(policy: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = yamlio.load(yamlio.dump_all([policy["spec"]]))  # a deep copy
    for rule in spec["egress"]:
        if _server(rule):
            rule["to"] = [peer for peer in rule["to"] if "ipBlock" not in peer]
    return spec


@pytest.mark.parametrize(("env", "service"), service_overlays())
def test_a_policy_patch_only_adds_address_ranges_to_guarded_server_rules(
    env: str, service: str
) -> None:
    for patch in _policy_patches(env, service):
        assert patch["target"] == {"kind": "NetworkPolicy", "name": service}
        guarded: set[str] = set()
        for op in yamlio.load(patch["patch"]):
            if op["op"] == "test":
                index = _GUARD.match(op["path"])
                assert index, op
                assert op["value"] in SERVERS, op
                guarded.add(index.group(1))
            else:
                index = _ADD.match(op["path"])
                assert op["op"] == "add", op
                assert index, op
                assert index.group(1) in guarded, f"{op}: no `test` op checks that rule first"
                assert list(op["value"]) == ["ipBlock"], op
                assert list(op["value"]["ipBlock"]) == ["cidr"], op
                ipaddress.ip_network(op["value"]["ipBlock"]["cidr"])  # strict: no host bits


@pytest.mark.parametrize(("env", "service"), service_overlays())
def test_the_built_policy_is_the_rendered_one_plus_address_ranges(env: str, service: str) -> None:
    built = _policy(kustomize(LAYOUT.overlays_dir / env / service))
    rendered = _policy(_render_of(env, service))
    assert _without_address_ranges(built) == rendered["spec"]


@pytest.mark.parametrize(("env", "service"), service_overlays())
def test_each_address_range_is_allowed_only_on_its_servers_port(env: str, service: str) -> None:
    built = _policy(kustomize(LAYOUT.overlays_dir / env / service))
    values = yamlio.load(LAYOUT.values_file(service).read_text())["networkPolicy"]
    defaults = yamlio.load(LAYOUT.chart.joinpath("values.yaml").read_text())["networkPolicy"]
    for rule in built["spec"]["egress"]:
        ranges = [peer for peer in rule["to"] if "ipBlock" in peer]
        if not ranges:
            continue
        server = _server(rule)
        assert server, f"an address range outside the database and broker rules: {rule}"
        port = values[SERVERS[server]].get("port", defaults[SERVERS[server]]["port"])
        assert rule["ports"] == [{"port": port, "protocol": "TCP"}]
        assert all(list(peer["ipBlock"]) == ["cidr"] for peer in ranges)


def test_staging_reaches_its_managed_database_on_the_database_port_only() -> None:
    [patch] = _policy_patches("staging", "users")
    [cidr] = [
        op["value"]["ipBlock"]["cidr"]
        for op in yamlio.load(patch["patch"])
        if op["path"] == "/spec/egress/1/to/-"
    ]
    egress = _policy(kustomize(LAYOUT.overlays_dir / "staging" / "users"))["spec"]["egress"]
    allowing = [rule for rule in egress if {"ipBlock": {"cidr": cidr}} in rule["to"]]
    assert allowing == [
        {
            "to": [
                {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "postgres"}}},
                {"ipBlock": {"cidr": cidr}},
            ],
            "ports": [{"port": 5432, "protocol": "TCP"}],
        }
    ]


def test_a_patch_aimed_at_a_rule_the_chart_moved_fails_the_build(tmp_path: Path) -> None:
    shutil.copytree(LAYOUT.root / "deploy", tmp_path / "deploy")
    manifests = tmp_path / "deploy/rendered/users/manifests.yaml"
    objects = yamlio.load_all(manifests.read_text())
    # A chart that puts another rule before the database's: the patch's index now points at it.
    egress = _policy(objects)["spec"]["egress"]
    egress.insert(1, {"to": [{"ipBlock": {"cidr": "192.0.2.0/24"}}], "ports": [{"port": 443}]})
    manifests.write_text(yamlio.dump_all(objects))
    result = subprocess.run(
        [kubectl(), "kustomize", str(tmp_path / "deploy/overlays/staging/users")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "/spec/egress/1/to/0/podSelector/matchLabels/app.kubernetes.io~1name" in result.stderr
