"""The Secrets the built overlays read: deploy/external-secrets/<app>/ and docs/deploy.md's table.

Both come from what Argo CD would apply (release.secrets builds every overlay with kustomize), so
they follow the render and `./fleet generate` writes them after it. A new service's overlays read
its database's, broker account's, client account's and Ingress's Secrets, as the descriptor
decides through its values and wiring, so it gets its component and its rows with no hand edit.
"""

from __future__ import annotations

from release import secrets
from release.layout import Layout

DOCS = "docs/deploy.md"
# The table's markers in the docs (deploy/tests/test_secrets.py reads the same).
_BEGIN = "<!-- release secrets: generated"
_END = "<!-- /release secrets -->"


def stale(layout: Layout) -> list[str]:
    """The components and the docs whose Secrets are not those the overlays read now."""
    found = secrets.needed(layout)
    changed = secrets.stale(layout, secrets.external_secrets(found))
    return changed + ([DOCS] if _docs_change(layout, found) else [])


def write(layout: Layout) -> list[str]:
    """Write the components and the docs' table where they changed; the paths written."""
    found = secrets.needed(layout)
    folders = secrets.external_secrets(found)
    changed = secrets.stale(layout, folders)
    if changed:
        secrets.write(layout, folders)
    documented = _docs_change(layout, found)
    if documented is not None:
        (layout.root / DOCS).write_text(documented)
        changed.append(DOCS)
    return changed


def _docs_change(layout: Layout, found: list[secrets.Needed]) -> str | None:
    """The docs with the table of `found`, when that changes them."""
    docs = layout.root / DOCS
    if not docs.exists():  # a fork may keep its docs elsewhere; the components are what deploys
        return None
    text = docs.read_text()
    if _BEGIN not in text or _END not in text:
        raise secrets.SecretsError(f"{DOCS}: needs the Secrets table's markers {_BEGIN} ... {_END}")
    start = text.index("\n", text.index(_BEGIN)) + 1
    documented = text[:start] + secrets.table(layout, found) + text[text.index(_END) :]
    return documented if documented != text else None
