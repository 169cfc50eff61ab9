"""Each replica mints ids with its own worker id, taken from its settings by create_app."""

from chassis.app.tests.example_service import GreeterSettings, build
from chassis.db import next_id

WORKER_BITS_SHIFT = 12  # the 12-bit sequence sits below the 10-bit worker id


def test_ids_carry_the_worker_id_from_settings() -> None:
    build(GreeterSettings(worker_id=5))
    assert (next_id() >> WORKER_BITS_SHIFT) & 0x3FF == 5
    build(GreeterSettings(worker_id=9))
    assert (next_id() >> WORKER_BITS_SHIFT) & 0x3FF == 9
