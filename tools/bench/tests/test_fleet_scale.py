"""The scale benchmark's own rules, checked without running it: a run clones the repository and
builds it with Pants, minutes even at one service, not the second the smoke tests here take
(docs/performance.md, "Scale")."""

from __future__ import annotations

from bench.scale.shapes import shapes
from bench.scale.verdicts import verdicts


def test_twenty_services_mix_the_shapes_a_fleet_has() -> None:
    made = shapes(20, "sample")
    assert [s.name for s in made] == [f"svc{n:02d}" for n in range(1, 21)]
    assert [s.name for s in made if not s.database] == ["svc02", "svc10", "svc18"]
    assert [s.name for s in made if not s.mqtt] == ["svc06", "svc14"]
    assert len({s.resource for s in made}) == 20  # one event type each: `<resource>.created`


def test_each_service_calls_the_sample_or_a_service_made_before_it() -> None:
    made = shapes(20, "sample")
    for number, shape in enumerate(made):
        assert shape.calls
        assert set(shape.calls) <= {"sample", *(s.name for s in made[:number])}, shape


def test_verdicts_are_the_summary_lines_of_a_pants_goal() -> None:
    output = "\n".join(
        [
            "12:00:01.00 [INFO] Completed: Run Pytest - svc01/tests/test_a.py:tests - succeeded.",
            "✓ services/svc01/tests/test_a.py:../tests succeeded in 2.10s.",
            "✓ services/svc01/tests/test_b.py:../tests succeeded in 1.00s (memoized).",
            "✕ services/svc02/tests/test_c.py:../tests failed in 3.20s.",
        ]
    )
    found = verdicts(output)
    assert found.passed == 2
    assert found.failed == ["services/svc02/tests/test_c.py:../tests failed in 3.20s."]


def test_a_test_run_stopped_at_its_timeout_counts_the_files_that_had_ended() -> None:
    output = "\n".join(
        [
            "12:00:01.00 [INFO] Completed: Run Pytest - svc01/tests/test_a.py:tests - succeeded.",
            "12:00:02.00 [ERROR] Completed: Run Pytest - svc02/tests/test_c.py:tests - failed "
            "(exit code 1).",
        ]
    )
    found = verdicts(output)
    assert found.partial
    assert found.passed == 1
    assert found.failed == ["svc02/tests/test_c.py:tests failed (exit code 1)"]
