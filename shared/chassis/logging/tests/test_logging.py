"""Log lines carry the adapter tag and correlation id; JSON in prod, readable text in dev."""

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chassis.config import LoggingSettings
from chassis.context import correlation_id
from chassis.logging import configure_logging, recent_lines, tagged_logger
from chassis.logging.formatters import JsonFormatter


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    yield
    configure_logging(LoggingSettings(), service="test")


def _last_line() -> str:
    return recent_lines().snapshot()[-1]


def test_console_lines_show_level_tag_message_extras_and_correlation_id() -> None:
    configure_logging(LoggingSettings(format="console"), service="tasks")
    token = correlation_id.set("0123456789abcdef")
    try:
        tagged_logger("DB").info("migrated", extra={"revision": "0003"})
    finally:
        correlation_id.reset(token)
    line = _last_line()
    assert " INFO    [DB]     migrated  revision=0003 rid=01234567" in line


def test_json_lines_are_one_object_with_service_tag_and_correlation_id(
    tmp_path: Path,
) -> None:
    log_file = tmp_path / "service.log"
    configure_logging(LoggingSettings(format="json", file=log_file), service="tasks")
    token = correlation_id.set("req-7")
    try:
        tagged_logger("MQTT").warning("dead-lettered", extra={"reason": "invalid json"})
    finally:
        correlation_id.reset(token)
    for handler in logging.getLogger().handlers:
        handler.flush()
    entry = json.loads(log_file.read_text().splitlines()[-1])
    assert entry["service"] == "tasks"
    assert entry["tag"] == "MQTT"
    assert entry["level"] == "warning"
    assert entry["msg"] == "dead-lettered"
    assert entry["reason"] == "invalid json"
    assert entry["correlation_id"] == "req-7"


def test_level_setting_filters_lower_levels() -> None:
    configure_logging(LoggingSettings(level="WARNING"), service="tasks")
    tagged_logger("API").info("quiet please")
    assert not any("quiet please" in line for line in recent_lines().snapshot())


@pytest.mark.parametrize("created", [1_700_000_000.0, 1_700_000_000.9996, 1_700_000_001.0421])
def test_json_timestamps_are_utc_iso_8601_to_the_millisecond(created: float) -> None:
    record = logging.LogRecord("fleet.api", logging.INFO, "", 0, "hi", None, None)
    record.created = created
    formatter = JsonFormatter("users")
    formatter.format(logging.LogRecord("fleet.api", logging.INFO, "", 0, "before", None, None))
    expected = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
    assert json.loads(formatter.format(record))["ts"] == expected
