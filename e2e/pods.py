"""Pods as real processes in their sandboxes (e2e/sandbox.py): started, probed as the kubelet
probes them, run to completion (Jobs), stopped with a grace period. A pod that fails says which
it is and ends with its own last lines of output."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from e2e.manifests import Probe, Volume
from e2e.sandbox import PEX, VENV, Image, Sandbox, image_env


class PodFailed(Exception):
    """A pod exited or never became ready; the message names it and ends with its last lines."""


@dataclass
class Pod:
    """A running pod: its process (the entrypoint, exec'd in its sandbox) and its output."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    port: int = 0
    last_answer: str = field(default="no answer yet")

    @classmethod
    def start(
        cls, name: str, sandbox: Sandbox, argv: list[str], env: dict[str, str], port: int = 0
    ) -> Pod:
        log = sandbox.workdir.with_suffix(".log")
        sandbox.workdir.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as out:
            process = subprocess.Popen(
                sandbox.command(argv),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return cls(name, process, log, port)

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join(text)

    def failed(self, reason: str) -> PodFailed:
        return PodFailed(f"{self.name}: {reason}\n--- its last output ---\n{self.tail()}")

    def run_to_completion(self, within: float) -> None:
        try:
            code = self.process.wait(within)
        except subprocess.TimeoutExpired:
            self.stop(0)
            raise self.failed(f"still running after {within:g} s") from None
        if code != 0:
            raise self.failed(f"exited with code {code}")

    def wait_ready(self, probes: list[Probe]) -> None:
        """Each probe in turn (startup, then readiness) until it passes, as the kubelet does."""
        for probe in probes:
            deadline = time.monotonic() + probe.budget
            while not self._passes(probe.path):
                if self.process.poll() is not None:
                    raise self.failed(f"exited with code {self.process.returncode}")
                if time.monotonic() > deadline:
                    raise self.failed(
                        f"{probe.kind} probe {probe.path} failing after {probe.budget:g} s "
                        f"(last answer: {self.last_answer})"
                    )
                time.sleep(0.5)

    def _passes(self, path: str) -> bool:
        try:
            answer = httpx.get(f"http://127.0.0.1:{self.port}{path}", timeout=2)
        except httpx.HTTPError as exc:
            self.last_answer = type(exc).__name__
            return False
        self.last_answer = f"{answer.status_code} {answer.text[:400]}"
        return 200 <= answer.status_code < 400

    def terminate(self) -> None:
        """SIGTERM, as the kubelet stops a container (preStop aside)."""
        with suppress(ProcessLookupError):  # already gone
            os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self, grace: float) -> None:
        """SIGTERM, then SIGKILL once the grace period is over."""
        self.terminate()
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def install_image(service: str, pex: Path, workspace: Path) -> Image:
    """The Dockerfile's install stage: the pex's `venv` tool makes the virtualenv the image
    runs, compiled (its python runs with -sE: with every .pyc in place nothing is written later)."""
    image = Image(service, pex, workspace / "pex-root", workspace / "venv")
    image.pex_root.mkdir(parents=True, exist_ok=True)
    image.venv.mkdir(parents=True, exist_ok=True)
    build = f"PEX_TOOLS=1 {PEX} venv --compile {VENV}"
    scratch = [Volume("/tmp", None)]  # a build's /tmp, as `docker build` has one
    sandbox = Sandbox(image, workspace / "install", scratch, writable_image=True)
    pod = Pod.start(f"{service} image", sandbox, ["sh", "-c", build], image_env(service))
    pod.run_to_completion(within=300)
    return image
