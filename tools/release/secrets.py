"""The Secrets each environment needs, read from what Argo CD applies: every Secret the built
overlays reference (env secretKeyRef, envFrom, secret volumes, Ingress TLS), what it holds and
how to create it; and, from the same list, optional ExternalSecret components.

docs/deploy.md carries the table (`release secrets`), deploy/external-secrets/<app>/ the
components (`release secrets --write`); tests fail when either is stale.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fleet.descriptor import descriptors
from release import yamlio
from release.layout import Layout

# The one ClusterSecretStore every ExternalSecret reads from: each environment's cluster names
# its secret backend so (one entry per Secret, named like it, a property per key).
STORE = "fleet"


class SecretsError(Exception):
    """The Secrets cannot be listed: kustomize failed, or a Secret has no description."""


@dataclass
class Needed:
    """One Secret: its keys, the environments and apps (overlay folders) that need it, and what
    reads it (an environment variable, a volume, an Ingress)."""

    name: str
    keys: set[str] = field(default_factory=set)
    environments: set[str] = field(default_factory=set)
    apps: set[str] = field(default_factory=set)
    used_as: set[str] = field(default_factory=set)


def needed(layout: Layout, kubectl: str = "kubectl") -> list[Needed]:
    """Every Secret the overlays reference, by name."""
    found: dict[str, Needed] = {}
    for overlay in sorted(layout.overlays_dir.glob("*/*/kustomization.yaml")):
        environment, app = overlay.parent.parent.name, overlay.parent.name
        for name, key, used_as in references(_build(overlay.parent, kubectl)):
            entry = found.setdefault(name, Needed(name))
            entry.keys.add(key)
            entry.environments.add(environment)
            entry.apps.add(app)
            entry.used_as.add(used_as)
    return [found[name] for name in sorted(found)]


def table(layout: Layout, secrets: list[Needed], environment: str | None = None) -> str:
    """The Markdown table docs/deploy.md shows (one environment's rows with `environment`).

    It names the apps (overlay folders) that need each Secret, not the environments: those
    change with a promotion (prod builds on the render it was last promoted), the apps do not.
    """
    rows = [
        "| Secret | keys | needed by | used as | holds | create it (`kubectl -n fleet-<env>`) |",
        "|---|---|---|---|---|---|",
    ]
    accounts = sorted(d.name for d in descriptors(layout.root).values() if d.account)
    for secret in secrets:
        if environment is not None and environment not in secret.environments:
            continue
        holds, create = describe(secret.name, accounts)
        cells = [
            f"`{secret.name}`",
            ", ".join("every key" if k == "*" else f"`{k}`" for k in sorted(secret.keys)),
            ", ".join(sorted(secret.apps)),
            ", ".join(sorted(secret.used_as)),
            holds,
            f"`{create}`",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


# Secret name -> (what it holds, how to create it); `{s}` is the service the name starts with.
_KINDS: list[tuple[str, str, str]] = [
    (
        r"(?P<s>[a-z0-9-]+)-database",
        "the URL of the {s} database, with its own user and password",
        "create secret generic {name} --from-literal=url='postgresql://{s}:<password>@<host>:5432/{s}'",
    ),
    (
        r"(?P<s>[a-z0-9-]+)-mqtt",
        "the broker URL with the {s} MQTT account and password",
        "create secret generic {name} --from-literal=url='mqtt://{s}:<password>@<host>:1883'",
    ),
    (
        r"(?P<s>[a-z0-9-]+)-account",
        "the secret of the {s} client-credentials account (the identity service holds its hash)",
        'create secret generic {name} --from-literal=client-secret="$(openssl rand -base64 32)"',
    ),
    (
        r"(?P<s>[a-z0-9-]+)-service-accounts",
        "JSON: each account's client id -> the argon2 hash of its secret "
        "(`{s}.pex hash-secret`); accounts: {accounts}",
        "create secret generic {name} --from-literal=accounts.json='{json}'",
    ),
    (
        r"(?P<s>[a-z0-9-]+)-signing-key",
        "the Ed25519 private key (PEM, PKCS#8) {s} signs access tokens with "
        "(`openssl genpkey -algorithm ed25519 -out private.pem`)",
        "create secret generic {name} --from-file=private.pem",
    ),
    (
        r"(?P<s>[a-z0-9-]+)-tls",
        "the certificate of the {s} Ingress host (or let cert-manager issue it)",
        "create secret tls {name} --cert=tls.crt --key=tls.key",
    ),
    (
        r"mosquitto-passwords",
        "the dev broker's password file `passwd`, one account per service "
        "(`mosquitto_passwd -b passwd <service> <password>`)",
        "create secret generic {name} --from-file=passwd",
    ),
    (
        r"postgres-admin",
        "the dev PostgreSQL's superuser password",
        'create secret generic {name} --from-literal=password="$(openssl rand -base64 24)"',
    ),
]


def describe(name: str, accounts: list[str]) -> tuple[str, str]:
    """What Secret `name` holds and the kubectl command that creates it."""
    for pattern, holds, create in _KINDS:
        match = re.fullmatch(pattern, name)
        if match:
            fields = {
                "name": name,
                "s": match.groupdict().get("s", ""),
                "accounts": ", ".join(accounts) or "none",
                "json": "{" + ", ".join(f'"{a}": "<hash>"' for a in accounts) + "}",
            }
            return holds.format(**fields), create.format(**fields)
    raise SecretsError(
        f"Secret {name} has no description: add what it holds and how to create it to"
        " tools/release/secrets.py (_KINDS)"
    )


def external_secrets(secrets: list[Needed]) -> dict[str, dict[str, str]]:
    """deploy/external-secrets/<app>/: a kustomize Component per app (overlay folder name) with
    an ExternalSecret per Secret it needs, for overlays that opt in (`components:`)."""
    folders: dict[str, dict[str, str]] = {}
    for app in sorted({a for s in secrets for a in s.apps}):
        objects = [_external_secret(s) for s in secrets if app in s.apps]
        folders[app] = {
            "kustomization.yaml": _COMPONENT.format(app=app),
            "external-secrets.yaml": "# Generated by `release secrets --write`. Do not edit.\n"
            + yamlio.dump_all(objects),
        }
    return folders


_COMPONENT = """\
# Generated by `release secrets --write`. Do not edit.
# The Secrets {app} needs, from the ClusterSecretStore `{store}` (External Secrets Operator).
# An overlay opts in with `components: [../../../external-secrets/{app}]`.
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
  - external-secrets.yaml
""".replace("{store}", STORE)


def _external_secret(secret: Needed) -> dict[str, Any]:
    target: dict[str, Any] = {"name": secret.name, "creationPolicy": "Owner"}
    if secret.keys == {"tls.crt", "tls.key"}:
        target["template"] = {"type": "kubernetes.io/tls"}
    return {
        "apiVersion": "external-secrets.io/v1beta1",
        "kind": "ExternalSecret",
        "metadata": {
            "name": secret.name,
            # Before the settings (-1), the migration Job (0) and the pods (1) that read it.
            "annotations": {"argocd.argoproj.io/sync-wave": "-2"},
        },
        "spec": {
            "refreshInterval": "1h",
            "secretStoreRef": {"kind": "ClusterSecretStore", "name": STORE},
            "target": target,
            **_data(secret),
        },
    }


def _data(secret: Needed) -> dict[str, Any]:
    if "*" in secret.keys:  # read whole (envFrom, a volume without items): every key it has
        return {"dataFrom": [{"extract": {"key": secret.name}}]}
    return {
        "data": [
            {"secretKey": key, "remoteRef": {"key": secret.name, "property": key}}
            for key in sorted(secret.keys)
        ]
    }


def _build(folder: Path, kubectl: str) -> list[dict[str, Any]]:
    binary = shutil.which(kubectl)
    if binary is None:
        raise SecretsError(f"{kubectl} not found: the Secrets come from `kubectl kustomize`")
    result = subprocess.run(
        [binary, "kustomize", str(folder)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SecretsError(f"kubectl kustomize {folder} failed: {result.stderr.strip()}")
    objects: list[dict[str, Any]] = yamlio.load_all(result.stdout)
    return objects


def references(objects: Sequence[Mapping[str, Any]]) -> Iterator[tuple[str, str, str]]:
    """(Secret, key, what reads it) for every reference in `objects`."""
    for obj in objects:
        spec = obj.get("spec", {})
        if obj["kind"] == "Ingress":
            for tls in spec.get("tls", []):
                for key in ("tls.crt", "tls.key"):
                    yield tls["secretName"], key, "Ingress TLS"
        pod = spec.get("template", {}).get("spec", {})
        for container in [*pod.get("initContainers", []), *pod.get("containers", [])]:
            yield from _environment_references(container)
        for volume in pod.get("volumes", []):
            if "secret" in volume:
                name = volume["secret"]["secretName"]
                keys = [i["key"] for i in volume["secret"].get("items", [])] or ["*"]
                for key in keys:
                    yield name, key, f"files of {obj['kind']}/{obj['metadata']['name']}"


def _environment_references(container: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    for entry in container.get("env", []):
        ref = entry.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            yield ref["name"], ref["key"], f"`{entry['name']}`"
    for source in container.get("envFrom", []):
        if "secretRef" in source:
            yield source["secretRef"]["name"], "*", "environment (every key)"


def stale(layout: Layout, folders: dict[str, dict[str, str]]) -> list[str]:
    """Files of deploy/external-secrets/ that differ from `folders` (missing and extra too)."""
    root = layout.root / "deploy" / "external-secrets"
    expected = {
        f"{app}/{name}": text for app, files in folders.items() for name, text in files.items()
    }
    committed = {str(p.relative_to(root)): p.read_text() for p in root.glob("*/*") if p.is_file()}
    return sorted(
        f"deploy/external-secrets/{path}"
        for path in expected.keys() | committed.keys()
        if expected.get(path) != committed.get(path)
    )


def write(layout: Layout, folders: dict[str, dict[str, str]]) -> list[Path]:
    """Replace deploy/external-secrets/ with `folders`."""
    root = layout.root / "deploy" / "external-secrets"
    for old in root.glob("*/*"):
        if old.parent.name not in folders or old.name not in folders[old.parent.name]:
            old.unlink()
    written = []
    for app, files in folders.items():
        (root / app).mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (root / app / name).write_text(text)
            written.append(root / app / name)
    for empty in (f for f in root.iterdir() if f.is_dir() and not any(f.iterdir())):
        empty.rmdir()
    return written
