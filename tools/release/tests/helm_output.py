"""A stand-in for `helm template`'s output, where no helm binary is installed (CI's chart job has
one): the Helm SDK's render printed the way helm prints it (helm.sh/helm/v4 pkg/cmd/template.go
and pkg/action: each object after `---` and `# Source: <template>`, objects sorted stably by
Helm's install order, NOTES.txt and empty documents left out)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import helm_python as helm

from release import yamlio
from release.manifests import INSTALL_ORDER


def _rank(document: str) -> int:
    kind = str(yamlio.load(document).get("kind", ""))
    return INSTALL_ORDER.index(kind) if kind in INSTALL_ORDER else len(INSTALL_ORDER)


def as_helm_template(templates: dict[str, str]) -> str:
    """`templates` (template path -> rendered text) as `helm template` prints them."""
    documents = [
        (path, document.strip())
        for path in sorted(templates)
        if not path.endswith("NOTES.txt")
        for document in re.split(r"(?m)^---[ \t]*$", templates[path])
        if document.strip()
    ]
    documents.sort(key=lambda item: _rank(item[1]))
    return "".join(f"---\n# Source: {path}\n{document}\n" for path, document in documents)


def helm_template(chart: Path, values: dict[str, Any], release_name: str) -> str:
    """What `helm template <release_name> <chart> -f <values>` prints, through the Helm SDK."""
    with helm.Chart.load(chart) as loaded:
        return as_helm_template(loaded.render(values, name=release_name, is_install=True))
