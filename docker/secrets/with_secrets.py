"""Run a Fleet container's command with the secrets compose generated: `with_secrets.py CMD...`.

docker-compose.yml names secrets in settings as `${NAME}` (written `$${NAME}` there, so compose
leaves them alone); this fills them in from /run/fleet-secrets/secrets.env and execs CMD.
"""

from __future__ import annotations

import os
import string
import sys
from pathlib import Path

SECRETS = Path(os.environ.get("FLEET_SECRETS_FILE", "/run/fleet-secrets/secrets.env"))


def environment(secrets_env: str, env: dict[str, str]) -> dict[str, str]:
    """`env` with every `${NAME}` in its values replaced by that secret (KeyError if unknown)."""
    known = dict(line.split("=", 1) for line in secrets_env.splitlines() if "=" in line)
    return {
        key: string.Template(value).substitute(known) if "${" in value else value
        for key, value in env.items()
    }


if __name__ == "__main__":
    try:
        filled = environment(SECRETS.read_text(), dict(os.environ))
    except (OSError, KeyError, ValueError) as exc:
        sys.exit(f"with_secrets: cannot fill in the secrets from {SECRETS}: {exc!r}")
    os.execvpe(sys.argv[1], sys.argv[1:], filled)  # noqa: S606 - the container's own command
