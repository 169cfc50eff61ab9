"""The ApplicationSet's Go templates, filled as Argo CD fills them (goTemplate mode)."""

from __future__ import annotations

import re
from typing import Any

_PARAMETER = re.compile(r"\{\{\s*\.([\w.]+)\s*\}\}")


def fill(template: str, params: dict[str, Any]) -> str:
    """`template` with each `{{ .a.b }}` replaced by params["a"]["b"]; KeyError when missing
    (the ApplicationSet runs with missingkey=error)."""

    def value(match: re.Match[str]) -> str:
        found: Any = params
        for key in match.group(1).split("."):
            found = found[key]
        return str(found)

    return _PARAMETER.sub(value, template)
