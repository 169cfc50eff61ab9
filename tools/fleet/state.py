"""The running fleet's state file (.fleet/fleet.json): what `status` and `down` read."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class FleetState:
    runner_pid: int
    broker: str
    services: dict[str, str] = field(default_factory=dict)  # name -> base URL
    pids: dict[str, int] = field(default_factory=dict)  # name -> pid of its current process

    def save(self, path: Path) -> None:
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), indent=2))
        temporary.replace(path)  # atomic: a reader never sees half a file

    @classmethod
    def load(cls, path: Path) -> FleetState | None:
        """The state of the fleet running now, or None (no file, or its runner is gone)."""
        state = cls.read(path)
        return state if state is not None and is_alive(state.runner_pid) else None

    @classmethod
    def read(cls, path: Path) -> FleetState | None:
        """What the file says, even if its runner died without cleaning up (kill -9)."""
        try:
            return cls(**json.loads(path.read_text()))
        except (FileNotFoundError, ValueError, TypeError):
            return None


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
