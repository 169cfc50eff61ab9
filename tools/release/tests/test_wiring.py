import pytest

from fleet.descriptor import Descriptor
from release.wiring import WiringConflict, layered, wiring_values

FLEET = {
    "users": Descriptor("users", 8001, identity=True),
    "tasks": Descriptor("tasks", 8002, calls=("users",)),
    "devices": Descriptor("devices", 8003, calls=("users", "tasks"), account=True),
}


def test_a_caller_reaches_each_callee_by_its_service_and_the_keys_at_the_identity_service() -> None:
    values = wiring_values(FLEET, "devices")
    assert values["http"] == {"port": 8003}
    assert values["config"]["tasks"] == {"base_url": "http://tasks"}
    assert values["config"]["auth"] == {
        "jwks_url": "http://users/.well-known/jwks.json",
        "token_url": "http://users/v1/auth/token",
    }
    assert values["networkPolicy"] == {"calls": ["users", "tasks"]}


def test_an_account_gets_its_client_id_in_config_and_its_secret_from_a_secret() -> None:
    values = wiring_values(FLEET, "devices")
    assert values["config"]["account"] == {"client_id": "devices"}
    assert values["secretEnv"] == {
        "ACCOUNT__CLIENT_SECRET": {"secret": "devices-account", "key": "client-secret"}
    }


def test_the_identity_service_gets_the_account_hashes_and_its_signing_key_from_secrets() -> None:
    assert wiring_values(FLEET, "users")["secretEnv"] == {
        "SERVICE_ACCOUNTS": {"secret": "users-service-accounts", "key": "accounts.json"},
        "TOKENS__SIGNING_KEY": {"secret": "users-signing-key", "key": "private.pem"},
    }


def test_the_values_file_adds_to_the_wiring_as_a_second_helm_values_file_would() -> None:
    values = layered(wiring_values(FLEET, "tasks"), {"config": {"logging": {"level": "DEBUG"}}}, "")
    assert values["config"]["users"] == {"base_url": "http://users"}
    assert values["config"]["logging"] == {"level": "DEBUG"}


def test_a_values_file_that_sets_derived_wiring_is_refused_naming_it() -> None:
    hand_written = {"config": {"users": {"base_url": "http://users:8001"}}, "http": {"port": 1}}
    with pytest.raises(WiringConflict) as refused:
        layered(wiring_values(FLEET, "tasks"), hand_written, "deploy/helm/values/tasks.yaml")
    assert str(refused.value) == (
        "deploy/helm/values/tasks.yaml sets config.users.base_url, http.port: `release render`"
        " derives them from services/*/service.toml; remove them there"
    )
