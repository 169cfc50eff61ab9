"""Headless Chromium for tests that look at a page as a person does.

Debian's chromium driven by PyPI's playwright: `playwright install` downloads a browser build,
which this project's machines cannot fetch, so the test skips where /usr/bin/chromium is absent
(.ci/run installs it in CI, so there it runs). `FLEET_CHROMIUM=/path/to/chrome` drives another
Chromium-based browser instead, and makes the test fail, never skip, when nothing is there. Each
launch gets a fresh profile and no background traffic of the browser's own (updates, sync,
first-run pages), so whatever the page loads is what the test sees.

>>> pytestmark = needs_chromium
>>> with sync_playwright() as playwright:
...     browser = launch_chromium(playwright, tmp_path / "profile")
...     page = browser.new_page()
...     ...
...     page.screenshot(path=str(shot))
>>> keep_artifact(shot)  # into $FLEET_ARTIFACTS, where CI collects it
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Playwright

CHROMIUM = Path(os.environ.get("FLEET_CHROMIUM") or "/usr/bin/chromium")
# No downloads, no first-run work, no traffic the page did not ask for (shared/tooling.md).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("FLEET_CHROMIUM"),
    reason=f"{CHROMIUM} is absent: apt-get install -y chromium (.ci/run installs it in CI)",
)


def launch_chromium(playwright: Playwright, profile: Path, **options: Any) -> BrowserContext:
    """Chromium with a fresh profile in `profile`; `options` go to launch_persistent_context."""
    assert CHROMIUM.exists(), f"FLEET_CHROMIUM={CHROMIUM}: no browser there"
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        **options,
    )


def keep_artifact(path: Path) -> None:
    """Copy a screenshot (or any file) into $FLEET_ARTIFACTS, when it is set."""
    if artifacts := os.environ.get("FLEET_ARTIFACTS"):
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(artifacts) / path.name)
