"""Container images of services: where they are pushed, and the commands that build them."""

from __future__ import annotations

from pathlib import Path


def image_ref(registry: str, image: str, tag: str) -> str:
    """registry/image:tag, e.g. fleetacr.azurecr.io/fleet/users:v20261123.42-main."""
    return f"{registry.rstrip('/')}/{image}:{tag}"


def build_commands(repo: Path, service: str, ref: str, *, push: bool = True) -> list[list[str]]:
    """Package the service's pex, build its image's prod stage from it, push the image.

    One Dockerfile at the repo root serves every service (they differ only in their pex)."""
    dockerfile = repo / "Dockerfile"
    commands = [
        ["./pants", "package", f"services/{service}::"],
        [
            "docker", "build", "--target", "prod", "-f", str(dockerfile),
            "--build-arg", f"SERVICE={service}", "-t", ref, str(repo),
        ],
    ]  # fmt: skip
    return commands + ([["docker", "push", ref]] if push else [])
