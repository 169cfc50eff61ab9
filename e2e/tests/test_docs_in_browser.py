"""The API docs pages as a person on a plant network meets them: the fleet started by `fleet up`,
real headless Chromium, and no way out of 127.0.0.1. Every request for another host is aborted
and recorded; a page that needed one fails here as it would there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from chassis.testing.browser import keep_artifact, launch_chromium, needs_chromium
from e2e.actors import DEMO_PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

pytestmark = needs_chromium


class OfflineBrowser:
    """A browser whose every request for a host other than 127.0.0.1 is aborted and noted."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.asked: list[str] = []  # every URL the page requested
        self.refused: list[str] = []  # those for another host

    def route(self, route: Route) -> None:
        url = route.request.url
        self.asked.append(url)
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.refused.append(url)
            route.abort("internetdisconnected")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[OfflineBrowser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = launch_chromium(
            playwright, tmp_path / "chromium-profile", viewport={"width": 1280, "height": 1400}
        )
        offline = OfflineBrowser(context.new_page())
        context.route("**/*", offline.route)
        yield offline
        context.close()


def _screenshot(page: Page, path: Path) -> None:
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    keep_artifact(path)


def test_users_docs_authorize_and_try_out_read_me_with_no_way_out(
    browser: OfflineBrowser, urls: dict[str, str], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = browser.page
    page.goto(f"{urls['users']}/docs", wait_until="networkidle")

    page.get_by_role("button", name="Authorize").click()
    dialog = page.locator(".modal-ux")
    expect(dialog).to_contain_text("FleetBearer (OAuth2, password)")
    dialog.get_by_label("username:").fill("admin")
    dialog.get_by_label("password:").fill(DEMO_PASSWORD)
    dialog.get_by_role("button", name="Apply given OAuth2 credentials").click()
    expect(dialog.get_by_role("heading", name="Authorized")).to_be_visible(timeout=15_000)
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()

    read_me = page.locator("#operations-users-read_me")
    read_me.get_by_role("button", name="GET /v1/users/me Read Me", exact=True).click()
    read_me.get_by_role("button", name="Try it out").click()
    read_me.get_by_role("button", name="Execute").click()
    status = read_me.locator(".live-responses-table tr.response .response-col_status")
    expect(status).to_have_text("200", timeout=15_000)
    expect(read_me.locator(".live-responses-table")).to_contain_text('"username": "admin"')
    _screenshot(page, tmp_path / "docs-users-authorized.png")

    assert browser.refused == []
    assert f"{urls['users']}/docs/assets/swagger-ui-bundle.js" in browser.asked
    assert f"{urls['users']}/v1/auth/token" in browser.asked


def test_tasks_docs_list_the_task_operations_with_no_way_out(
    browser: OfflineBrowser, urls: dict[str, str], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = browser.page
    page.goto(f"{urls['tasks']}/docs", wait_until="networkidle")

    for operation in (
        "GET /v1/tasks List Tasks",
        "POST /v1/tasks Create",
        "GET /v1/tasks/{task_id} Get Task",
        "POST /v1/tasks/{task_id}/assign Assign",
        "POST /v1/tasks/{task_id}/transitions Transition",
    ):
        expect(page.get_by_role("button", name=operation, exact=True)).to_be_visible()
    _screenshot(page, tmp_path / "docs-tasks.png")

    assert browser.refused == []


def test_users_redoc_shows_the_operations_with_no_way_out(
    browser: OfflineBrowser, urls: dict[str, str], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = browser.page
    page.goto(f"{urls['users']}/redoc", wait_until="networkidle")

    expect(page.get_by_role("heading", name="Read Me")).to_be_visible()
    expect(page.get_by_role("heading", name="Issue Token")).to_be_visible()
    _screenshot(page, tmp_path / "redoc-users.png")

    assert browser.refused == []
