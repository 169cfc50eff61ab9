"""Schemathesis against the app's own OpenAPI, served for real: no request, valid or not, and no
sequence of them along its links, gets an answer its contract does not promise."""

from schemathesis.checks import CheckFunction
from schemathesis.specs.openapi.checks import positive_data_acceptance, use_after_free

from chassis.testing.fuzz import contract_breaches, served
from devices.tests.integration.conftest import DevicesApps

# Thresholds carry rules JSON Schema cannot state: across fields (high_clear <= high, low < high,
# high or low given) and on metric names (printable, `str.isprintable`), so some bodies the schema
# allows are rightly a 422.
_THRESHOLD_RULES: list[CheckFunction] = [positive_data_acceptance]
# `from` must be before `to`: a rule across two parameters, so some windows are rightly a 400.
_WINDOW_RULE: list[CheckFunction] = [positive_data_acceptance]
# An Idempotency-Key reused with another body is a 422: a rule across requests (the fuzzer sends
# one key with many bodies), so some bodies the schema allows are rightly refused.
_KEY_REUSED: list[CheckFunction] = [positive_data_acceptance]
# DELETE decommissions, as its OpenAPI says: the device and its history stay readable (200).
_DECOMMISSIONED_STAYS: list[CheckFunction] = [use_after_free]

WAIVED: dict[str, list[CheckFunction]] = {
    "POST /v1/devices": _THRESHOLD_RULES,  # and _KEY_REUSED
    "POST /v1/devices/{device_id}/commands": _KEY_REUSED,
    "PATCH /v1/devices/{device_id}": _THRESHOLD_RULES + _DECOMMISSIONED_STAYS,
    "GET /v1/devices/{device_id}": _DECOMMISSIONED_STAYS,
    "GET /v1/devices/{device_id}/readings": _WINDOW_RULE + _DECOMMISSIONED_STAYS,
    "GET /v1/devices/{device_id}/state": _DECOMMISSIONED_STAYS,
}


def test_every_answer_keeps_the_openapi_contract(
    apps: DevicesApps, operator_headers: dict[str, str]
) -> None:
    with served(apps.app()) as base_url:
        breaches = contract_breaches(base_url, operator_headers, examples=15, waived=WAIVED)
    assert breaches == []
