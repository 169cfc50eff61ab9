"""The alarm story, as the fleet monitor shows it from the spans `fleet up`'s services export:
the reading's trace holds the alarm's task being opened across devices and tasks (HTTP) and,
at the end, the alarm's resolution; the assignment's holds tasks asking users (HTTP); the
completion reaches devices over MQTT in a process span linked to tasks' publish, and linked
back to the reading that raised the alarm. A hop that lost its context would leave a span
without its parent or link here."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect, sync_playwright

from chassis.local import Mosquitto
from chassis.testing.browser import keep_artifact, launch_chromium, needs_chromium
from e2e.actors import DEMO_PASSWORD, People
from e2e.running import RunningFleet
from e2e.story import a_breach_opens_one_task_whose_completion_resolves_the_alarm

Span = dict[str, Any]
OPENING = "open alarm task"


class Monitor:
    """The fleet monitor's traces, as `/traces.json` and `/traces/<id>.json` give them."""

    def __init__(self, url: str) -> None:
        self.url = url

    def spans(self) -> list[Span]:
        listed = httpx.get(f"{self.url}/traces.json", timeout=5).json()["traces"]
        return [span for t in listed for span in self.trace(t["trace_id"])]

    def trace(self, trace_id: str) -> list[Span]:
        answer = httpx.get(f"{self.url}/traces/{trace_id}.json", timeout=5)
        return list(answer.json()["spans"]) if answer.status_code == 200 else []

    def span(self, wanted: Callable[[Span], bool], what: str, within: float = 20) -> Span:
        deadline = time.monotonic() + within
        while not (found := [s for s in self.spans() if wanted(s)]):
            assert time.monotonic() < deadline, f"the monitor never received {what}"
            time.sleep(0.5)
        return found[0]


def _one(spans: list[Span], wanted: Callable[[Span], bool], what: str) -> Span:
    found = [s for s in spans if wanted(s)]
    assert len(found) == 1, f"{what}: {len(found)} spans in {[s['name'] for s in spans]}"
    return found[0]


def test_the_alarm_story_is_one_connected_picture_in_the_fleet_monitor(
    people: People, broker: Mosquitto, fleet: RunningFleet
) -> None:
    operator = people.log_in("operator", DEMO_PASSWORD)
    technician = people.new_technician()
    alarm = a_breach_opens_one_task_whose_completion_resolves_the_alarm(
        operator, technician, broker.address.url
    )
    monitor = Monitor(f"http://127.0.0.1:{fleet.env['FLEET_MONITOR_PORT']}")

    # The reading's trace: devices took it in, raised the alarm, opened its task at tasks.
    opening = monitor.span(
        lambda s: (
            s["name"] == OPENING and str(s["attributes"].get("fleet.alarm_id")) == str(alarm.id)
        ),
        "devices opening the alarm's task",
    )
    story = monitor.trace(opening["trace_id"])
    reading = _one(story, lambda s: s["span_id"] == opening["parent_id"], "the reading")
    assert (reading["service"], reading["kind"]) == ("devices", "consumer")
    call = _one(
        story,
        lambda s: s["kind"] == "client" and s["parent_id"] == opening["span_id"]
        and s["name"] == "POST /v1/tasks",
        "devices' call to tasks",
    )  # fmt: skip
    created = _one(story, lambda s: s["parent_id"] == call["span_id"], "tasks serving it")
    assert (created["service"], created["kind"], created["name"]) == (
        "tasks",
        "server",
        "POST /v1/tasks",
    )

    # The assignment: tasks asks users whether the technician may take it, over HTTP.
    task_id = str(alarm.task_id)
    assigning = monitor.span(
        lambda s: (
            s["name"] == "POST /v1/tasks/{task_id}/assign"
            and s["attributes"].get("url.path", "").endswith(f"/{task_id}/assign")
        ),
        "tasks serving the assignment",
    )
    assignment = monitor.trace(assigning["trace_id"])
    asking = _one(
        assignment,
        lambda s: s["service"] == "tasks" and s["kind"] == "client"
        and s["name"] == "GET /v1/users/{id}",
        "tasks' call to users",
    )  # fmt: skip
    answering = _one(assignment, lambda s: s["parent_id"] == asking["span_id"], "users")
    assert (answering["service"], answering["kind"]) == ("users", "server")

    # The completion: task.completed reaches devices over MQTT, linked to tasks' publish and
    # back to the reading whose alarm it resolves.
    resolving = monitor.span(
        lambda s: s["service"] == "devices" and s["kind"] == "consumer"
        and s["name"].endswith("task.completed")
        and [opening["trace_id"], reading["span_id"]] in s["links"],
        "devices resolving the alarm, linked to the reading",
    )  # fmt: skip
    completion = monitor.trace(resolving["trace_id"])
    publish = _one(completion, lambda s: s["span_id"] == resolving["parent_id"], "the publish")
    assert (publish["service"], publish["kind"]) == ("tasks", "producer")
    assert [publish["trace_id"], publish["span_id"]] in resolving["links"]
    assert any(
        s["service"] == "tasks" and s["name"] == "POST /v1/tasks/{task_id}/transitions"
        for s in completion
    ), "the technician's request that completed the task"

    # And the reading's trace ends with the resolution, linked to the completion: one trace
    # from the reading to the resolved alarm.
    closing = monitor.span(
        lambda s: s["trace_id"] == opening["trace_id"] and s["name"] == "alarm resolved",
        "the resolution in the reading's trace",
    )
    assert closing["service"] == "devices"
    assert [resolving["trace_id"], resolving["span_id"]] in closing["links"]


@needs_chromium
def test_the_completion_s_waterfall_leads_to_the_reading_s_in_the_browser(
    people: People, broker: Mosquitto, fleet: RunningFleet, tmp_path: Path
) -> None:
    operator = people.log_in("operator", DEMO_PASSWORD)
    alarm = a_breach_opens_one_task_whose_completion_resolves_the_alarm(
        operator, people.new_technician(), broker.address.url
    )
    url = f"http://127.0.0.1:{fleet.env['FLEET_MONITOR_PORT']}"
    monitor = Monitor(url)
    opening = monitor.span(
        lambda s: (
            s["name"] == OPENING and str(s["attributes"].get("fleet.alarm_id")) == str(alarm.id)
        ),
        "devices opening the alarm's task",
    )
    resolving = monitor.span(
        lambda s: s["kind"] == "consumer" and s["name"].endswith("task.completed")
        and any(trace == opening["trace_id"] for trace, _ in s["links"]),
        "devices resolving the alarm",
    )  # fmt: skip
    with sync_playwright() as playwright:
        browser = launch_chromium(
            playwright, tmp_path / "chromium-profile", viewport={"width": 1280, "height": 900}
        )
        page = browser.new_page()
        page.goto(f"{url}/traces/{resolving['trace_id']}", wait_until="networkidle")
        completion = page.get_by_test_id("waterfall")
        expect(completion).to_contain_text("POST /v1/tasks/{task_id}/transitions")
        expect(completion).to_contain_text(resolving["name"])
        completion_shot = tmp_path / "fleet-story-completion.png"
        page.screenshot(path=str(completion_shot), full_page=True)
        # The alarm it resolves was raised in the reading's trace: one click away.
        completion.get_by_test_id("linked-trace").first.click()
        expect(page).to_have_url(f"{url}/traces/{opening['trace_id']}")
        story = page.get_by_test_id("waterfall")
        expect(story).to_contain_text(OPENING)
        expect(story.get_by_text("POST /v1/tasks", exact=True)).to_have_count(2)  # devices, tasks
        story_shot = tmp_path / "fleet-story-reading.png"
        page.screenshot(path=str(story_shot), full_page=True)
        browser.close()
    for shot in (completion_shot, story_shot):
        keep_artifact(shot)
