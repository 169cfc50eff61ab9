"""Alarm evaluation: a breach raises once, the metric re-arms only past its clear level."""

from __future__ import annotations

import itertools

from devices.service.alarms import Alarm, evaluate, from_epoch_us
from devices.service.ingestion import Sample
from devices.service.thresholds import Threshold

DEVICE = 7
HOT = {DEVICE: {"temperature": Threshold(high=80, high_clear=75)}}
COLD = {DEVICE: {"pressure": Threshold(low=1.0, low_clear=1.5)}}


def series(metric: str, *values: float) -> list[Sample]:
    return [Sample(DEVICE, metric, (n + 1) * 1_000_000, v) for n, v in enumerate(values)]


def ids() -> itertools.count[int]:
    return itertools.count(100)


def test_values_above_the_limit_raise_one_alarm_until_cleared() -> None:
    outcome = evaluate(series("temperature", 81, 85, 78, 90), HOT, {}, ids=ids().__next__)
    assert [(a.value, a.threshold) for a in outcome.raised] == [(81, 80)]


def test_a_value_past_the_clear_level_re_arms_the_metric() -> None:
    outcome = evaluate(series("temperature", 81, 74, 82), HOT, {}, ids=ids().__next__)
    assert [a.value for a in outcome.raised] == [81, 82]
    first = outcome.changed[outcome.raised[0].id]
    assert first.cleared_at == from_epoch_us(2_000_000)


def test_a_metric_disarmed_by_an_earlier_batch_stays_quiet() -> None:
    earlier = Alarm(1, DEVICE, "temperature", 81, 80, from_epoch_us(0))
    outcome = evaluate(
        series("temperature", 95), HOT, {(DEVICE, "temperature"): earlier}, ids=ids().__next__
    )
    assert outcome.raised == []
    assert outcome.changed == {}


def test_low_limits_alarm_below_and_clear_above() -> None:
    outcome = evaluate(series("pressure", 0.9, 1.2, 1.6, 0.5), COLD, {}, ids=ids().__next__)
    assert [a.value for a in outcome.raised] == [0.9, 0.5]


def test_metrics_without_thresholds_raise_nothing() -> None:
    outcome = evaluate(series("humidity", 1000), HOT, {}, ids=ids().__next__)
    assert outcome.raised == []


def test_resolving_twice_keeps_the_first_resolution() -> None:
    alarm = Alarm(1, DEVICE, "temperature", 81, 80, from_epoch_us(0))
    once = alarm.resolve(from_epoch_us(5), task_id=9)
    assert once.resolve(from_epoch_us(6), task_id=10) == once
    assert (once.state, once.task_id) == ("resolved", 9)
