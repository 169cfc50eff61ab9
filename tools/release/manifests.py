"""Kubernetes objects as Helm would apply them, serialized the same way every time.

The Helm SDK returns templates unsorted; `helm install` applies objects in a fixed kind order
(helm.sh/helm/v4/pkg/release/v1/util/kind_sorter.go, InstallOrder), unknown kinds last. Writing
them in that order, with stable keys and formatting, keeps the committed render reviewable and
its diffs minimal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from release import yamlio

Manifest = dict[str, Any]

INSTALL_ORDER = [
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
]
_RANK = {kind: rank for rank, kind in enumerate(INSTALL_ORDER)}


def parse(templates: dict[str, str]) -> list[Manifest]:
    """Every object in the rendered templates (empty documents and NOTES.txt dropped)."""
    objects: list[Manifest] = []
    for path in sorted(templates):
        if path.endswith("NOTES.txt"):
            continue
        objects.extend(yamlio.load_all(templates[path]))
    return objects


def install_order(objects: Iterable[Manifest]) -> list[Manifest]:
    """Helm's order: known kinds by rank, then unknown kinds by name; ties by object name."""

    def key(obj: Manifest) -> tuple[int, str, str]:
        kind = str(obj.get("kind", ""))
        return (_RANK.get(kind, len(_RANK)), kind, str(obj.get("metadata", {}).get("name", "")))

    return sorted(objects, key=key)


def dump(objects: Iterable[Manifest], header: str = "") -> str:
    """One multi-document YAML stream, keys in template order, no line wrapping."""
    return header + yamlio.dump_all(list(objects))
