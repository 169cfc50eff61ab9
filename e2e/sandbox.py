"""A pod's container as a real process, confined as the chart confines it: the image's layout and
a read-only root filesystem, writable only where the manifest mounts an emptyDir.

Each process gets its own hostname (the pod's name) and a private mount namespace (`unshare
--mount --uts`; root on CI machines) in which:

- the image is laid out as the Dockerfile builds it: the service's virtualenv at /opt/fleet/venv,
  made from its pex by the pex's own `venv` tool, its launcher /opt/fleet/venv/pex the ENTRYPOINT
  (`install_image` in e2e/pods.py does the Dockerfile's install stage once per service, the only
  time the image is writable);
- every mount of the machine is remounted read-only: a write outside the pod's writable volumes
  fails with EROFS, as under `readOnlyRootFilesystem: true`;
- each emptyDir mountPath is a fresh tmpfs of the volume's sizeLimit (a pod that outgrows it
  fails with ENOSPC, where the kubelet would evict it), each Secret or ConfigMap volume its files,
  bound read-only. A mountPath (or workingDir) missing on this machine, such as
  /var/run/secrets/fleet, is created in an overlay over its nearest existing folder that only the
  pod sees; nothing on the machine changes.

What differs from a cluster: the process runs as root (the read-only mounts still hold), shares
the machine's network (the harness gives each replica its own port) and the machine's Python
(the pex's interpreter, as the image's python:3.11 base gives it).
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from e2e.manifests import ManifestError, Volume

IMAGE = Path("/opt/fleet")
PEX = IMAGE / "service.pex"
PEX_ROOT = IMAGE / "pex-root"
VENV = IMAGE / "venv"
ENTRYPOINT = VENV / "pex"
WORKDIR = "/srv"
_STAGE = IMAGE / ".volumes"  # the pod's volume sources, bound before any volume hides them
_PSEUDO = ("/proc", "/sys", "/dev")


def image_env(service: str) -> dict[str, str]:
    """The Dockerfile's ENV, plus what a container runtime sets (PATH of the base image: here,
    the machine's, where the pex's python3.11 is; HOME of the image's user)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": "/nonexistent",
        "PEX_ROOT": str(PEX_ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "MALLOC_ARENA_MAX": "2",
        "FLEET_SERVICE": service,
    }


@dataclass(frozen=True)
class Image:
    """A service's image: its pex, the PEX_ROOT the pex unpacks into while the image is built,
    and the virtualenv made from it, which the image runs."""

    service: str
    pex: Path
    pex_root: Path
    venv: Path


@dataclass(frozen=True)
class Sandbox:
    """The mount namespace a pod's process runs in; `workdir` holds its volumes' sources."""

    image: Image
    workdir: Path
    volumes: list[Volume]
    working_dir: str = WORKDIR
    writable_image: bool = False
    hostname: str = "pod"  # the pod's name, as in a cluster; MQTT client ids are made of it

    def command(self, argv: list[str]) -> list[str]:
        # --pdeathsig: a pod dies with the test that started it, however the test ends
        namespaces = ["unshare", "--mount", "--uts", "--propagation", "private"]
        return ["setpriv", "--pdeathsig", "KILL", *namespaces, "sh", "-c", self._script(argv)]

    def _script(self, argv: list[str]) -> str:
        binds = self._stage()
        targets = [b.target for b in binds]
        outermost = [t for t in targets if not any(t.startswith(o + "/") for o in targets)]
        lines = ["set -e", f"hostname {shlex.quote(self.hostname)}", "mount --make-rprivate /"]
        lines += _make_dirs(
            [str(_STAGE), str(PEX_ROOT), str(VENV), self.working_dir, *outermost], self.workdir
        )
        lines += [
            f"touch {PEX}",
            f"mount --bind {shlex.quote(str(self.image.pex))} {PEX}",
            f"mount --bind {shlex.quote(str(self.image.pex_root))} {PEX_ROOT}",
            f"mount --bind {shlex.quote(str(self.image.venv))} {VENV}",
            # the sources first: a volume at /tmp would hide those under /tmp
            f"mount --bind {shlex.quote(str(self.workdir))} {_STAGE}",
        ]
        for bind in binds:
            target = shlex.quote(bind.target)
            lines.append(f"mkdir -p {target}")
            if bind.source is None:  # an emptyDir: a tmpfs holding at most its sizeLimit
                options = f"-o size={_tmpfs_size(bind.size)}" if bind.size else ""
                lines.append(f"mount -t tmpfs {options} emptydir {target}")
            else:
                lines.append(f"mount --bind {shlex.quote(str(_STAGE / bind.source))} {target}")
        writable = [b.target for b in binds if b.source is None]
        writable += [str(PEX_ROOT), str(VENV)] if self.writable_image else []
        keep = " ".join(shlex.quote(p) for p in writable) or "-"
        lines += [
            "for mp in $(awk '{print $5}' /proc/self/mountinfo); do",
            f'  case "$mp" in {"|".join(f"{p}|{p}/*" for p in _PSEUDO)}) continue;; esac',
            f'  for w in {keep}; do [ "$mp" = "$w" ] && continue 2; done',
            '  mount -o remount,bind,ro "$mp"',
            "done",
            f"cd {shlex.quote(self.working_dir)}",
            "exec " + shlex.join(argv),
        ]
        return "\n".join(lines)

    def _stage(self) -> list[_Bind]:
        """The volumes' files written under `workdir`, parents before the volumes inside them."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        binds = []
        for i, volume in enumerate(sorted(self.volumes, key=lambda v: v.mount_path.count("/"))):
            target = _resolved(volume.mount_path)
            if volume.files is None:
                binds.append(_Bind(None, target, volume.size_limit))
                continue
            source = self.workdir / f"volume-{i}"
            source.mkdir()
            for name, text in volume.files.items():
                (source / name).write_text(text)
            binds.append(_Bind(source.name, target, None))
        return binds


class _Bind(NamedTuple):
    source: str | None  # the staged folder's name; None for an emptyDir
    target: str
    size: str | None


def _tmpfs_size(quantity: str) -> str:
    """A Kubernetes quantity (64Mi, 1Gi, 500M) as tmpfs takes it."""
    units = {"Ki": "k", "Mi": "m", "Gi": "g", "k": "000", "M": "000000", "G": "000000000"}
    for unit, suffix in units.items():
        if quantity.endswith(unit):
            return quantity[: -len(unit)] + suffix
    return quantity


def _resolved(path: str) -> str:
    """`path` through the machine's symlinks (/var/run -> /run), as the kernel mounts it."""
    existing = Path(path)
    while not existing.exists():
        existing = existing.parent
    return str(existing.resolve() / Path(path).relative_to(existing))


def _make_dirs(paths: list[str], workdir: Path) -> list[str]:
    """Folders missing on this machine, made in an overlay only this namespace sees."""
    lines = []
    overlays: set[Path] = set()
    for path in paths:
        target = Path(_resolved(path))
        if target.exists():
            continue
        base = next(p for p in target.parents if p.exists())
        if base == Path("/"):
            raise ManifestError(f"{path}: the harness cannot add a top-level folder to /")
        if base not in overlays:
            overlays.add(base)
            layer = workdir / f"overlay-{len(overlays)}"
            (layer / "upper").mkdir(parents=True)
            (layer / "work").mkdir()
            options = f"lowerdir={base},upperdir={layer / 'upper'},workdir={layer / 'work'}"
            lines.append(
                f"mount -t overlay overlay -o {shlex.quote(options)} {shlex.quote(str(base))}"
            )
        lines.append(f"mkdir -p {shlex.quote(str(target))}")
    return lines
