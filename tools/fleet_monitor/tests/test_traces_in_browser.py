"""The trace pages as an operator meets them: the monitor as a process, the alarm story exported
to it by the OpenTelemetry SDK, read in real headless Chromium."""

from __future__ import annotations

from pathlib import Path

from chassis.local import BrokerAddress, free_port
from chassis.testing.browser import keep_artifact, launch_chromium, needs_chromium
from fleet_monitor.tests.processes import running
from fleet_monitor.tests.story import export_alarm_story

pytestmark = needs_chromium


def test_the_alarm_story_shows_as_a_list_and_a_waterfall_with_its_links(
    tmp_path: Path, mqtt_broker: BrokerAddress, mqtt_namespace: str
) -> None:
    from playwright.sync_api import expect, sync_playwright

    monitor = free_port()
    closed = f"http://127.0.0.1:{free_port()}"  # no service runs: traces need none
    args = ["fleet_monitor", "serve", f"--port={monitor}", f"--broker={mqtt_broker.url}"]
    args += [f"--service=users={closed}", f"--service=tasks={closed}"]
    args += [f"--events={mqtt_namespace}/fleet/events/#", "--refresh=0.5"]
    with running(args, monitor, tmp_path / "monitor.log"):
        story = export_alarm_story(f"http://127.0.0.1:{monitor}/v1/traces")
        with sync_playwright() as playwright:
            browser = launch_chromium(
                playwright, tmp_path / "chromium-profile", viewport={"width": 1280, "height": 900}
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{monitor}/", wait_until="networkidle")
            page.get_by_role("link", name="Traces").click()

            listed = page.get_by_test_id("traces")
            expect(listed.locator("tbody tr")).to_have_count(2, timeout=15_000)
            alarm_row = listed.locator("tr", has_text="process fleet/devices/+/telemetry")
            expect(alarm_row).to_contain_text("devices, tasks")
            expect(alarm_row).to_contain_text("error")
            list_shot = tmp_path / "fleet-monitor-traces.png"
            page.screenshot(path=str(list_shot), full_page=True)

            alarm_row.get_by_role("link").click()
            expect(page).to_have_url(f"http://127.0.0.1:{monitor}/traces/{story.alarm}")
            waterfall = page.get_by_test_id("waterfall")
            expect(waterfall.get_by_text("POST /v1/tasks", exact=True)).to_have_count(3)
            expect(waterfall.get_by_text("INSERT tasks")).to_be_visible()
            expect(waterfall.get_by_test_id("span-error")).to_have_count(1)
            alarm_shot = tmp_path / "fleet-monitor-waterfall.png"
            page.screenshot(path=str(alarm_shot), full_page=True)

            page.goto(f"http://127.0.0.1:{monitor}/traces/{story.completion}")
            completion = page.get_by_test_id("waterfall")
            expect(completion).to_contain_text("links to publish fleet/events/tasks/task.completed")
            expect(completion).to_contain_text("in this trace")
            links_shot = tmp_path / "fleet-monitor-links.png"
            page.screenshot(path=str(links_shot), full_page=True)
            # The alarm the completion resolves was raised in the reading's trace: one click.
            completion.get_by_test_id("linked-trace").click()
            expect(page).to_have_url(f"http://127.0.0.1:{monitor}/traces/{story.alarm}")
            expect(page.get_by_text("linked from process fleet/events/tasks/+")).to_be_visible()
            browser.close()

    for shot in (list_shot, alarm_shot, links_shot):
        assert shot.stat().st_size > 10_000
        keep_artifact(shot)
