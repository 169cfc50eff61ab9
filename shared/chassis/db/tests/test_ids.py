"""Snowflake ids: unique, time-ordered, strings in JSON."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import BaseModel, ValidationError

from chassis.db import SnowflakeGenerator, SnowflakeId, id_time


class Reading(BaseModel):
    id: SnowflakeId


def test_ids_are_unique_and_increasing_across_threads() -> None:
    ids = SnowflakeGenerator(worker_id=7)
    per_thread: list[list[int]] = [[] for _ in range(8)]

    def make(into: list[int]) -> None:
        into.extend(ids.next_id() for _ in range(5000))

    threads = [threading.Thread(target=make, args=(bucket,)) for bucket in per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    later = ids.next_id()

    every = [i for bucket in per_thread for i in bucket]
    assert len(set(every)) == len(every) == 40_000
    assert all(bucket == sorted(bucket) for bucket in per_thread)
    assert later > max(every)


def test_ids_keep_increasing_when_the_clock_steps_back(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = SnowflakeGenerator()
    now = [datetime(2030, 1, 1, tzinfo=UTC)]
    monkeypatch.setattr("time.time_ns", lambda: int(now[0].timestamp() * 1e9))
    before = ids.next_id()
    now[0] -= timedelta(seconds=5)
    assert ids.next_id() > before


def test_ids_borrow_the_next_millisecond_when_one_is_exhausted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = SnowflakeGenerator()
    monkeypatch.setattr("time.time_ns", lambda: 1_900_000_000 * 10**9)
    made = [ids.next_id() for _ in range(5000)]
    assert made == sorted(set(made))


def test_id_records_its_worker_and_creation_time() -> None:
    made = SnowflakeGenerator(worker_id=5).next_id()
    assert (made >> 12) & 0x3FF == 5
    assert abs(id_time(made) - datetime.now(UTC)) < timedelta(seconds=1)


def test_id_serializes_as_a_json_string_and_parses_from_one() -> None:
    made = SnowflakeGenerator().next_id()
    wire = Reading(id=made).model_dump_json()
    assert wire == f'{{"id":"{made}"}}'
    assert Reading.model_validate_json(wire).id == made


def test_id_rejects_what_is_not_a_64_bit_number() -> None:
    with pytest.raises(ValidationError):
        Reading.model_validate_json('{"id": "12ab"}')


def test_worker_id_must_fit_in_ten_bits() -> None:
    with pytest.raises(ValueError, match=r"0\.\.1023"):
        SnowflakeGenerator(worker_id=1024)
