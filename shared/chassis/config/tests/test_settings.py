"""Settings layer settings.toml < .secrets.toml < environment < arguments; bad values explained."""

from pathlib import Path

import pytest
from pydantic import BaseModel

from chassis.config import ConfigError, ServiceSettings, service_config


class Downstream(BaseModel):
    url: str
    timeout: float = 2.0


class DemoSettings(ServiceSettings):
    users: Downstream


def _settings_class(folder: Path) -> type[DemoSettings]:
    class DemoInFolder(DemoSettings):
        model_config = service_config("demo", str(folder / "main.py"))

    return DemoInFolder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "settings.toml").write_text(
        'name = "demo"\n[http]\nport = 8005\n[users]\nurl = "http://users:8001"\n'
    )
    return tmp_path


def test_settings_file_provides_defaults(folder: Path) -> None:
    settings = _settings_class(folder).load()
    assert settings.http.port == 8005
    assert settings.users.url == "http://users:8001"


def test_secrets_file_overrides_settings_file(folder: Path) -> None:
    (folder / ".secrets.toml").write_text('[users]\nurl = "http://secret-users:8001"\n')
    assert _settings_class(folder).load().users.url == "http://secret-users:8001"


def test_secrets_file_named_by_variable_replaces_the_one_beside_the_package(
    folder: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / ".secrets.toml").write_text('[users]\nurl = "http://beside:8001"\n')
    elsewhere = tmp_path_factory.mktemp("run")
    (elsewhere / "demo.toml").write_text('[users]\nurl = "http://named:8001"\n')
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("DEMO_SECRETS_FILE", "demo.toml")  # relative: the working directory's
    assert _settings_class(folder).load().users.url == "http://named:8001"


def test_missing_secrets_file_named_by_variable_stops_the_start_with_its_path(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO_SECRETS_FILE", str(tmp_path / "absent.toml"))
    with pytest.raises(ConfigError) as raised:
        _settings_class(folder).load()
    assert f"DEMO_SECRETS_FILE names {tmp_path / 'absent.toml'}, which is not a readable file" in (
        str(raised.value)
    )


def test_environment_overrides_files_with_nested_names(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / ".secrets.toml").write_text('[users]\nurl = "http://secret-users:8001"\n')
    monkeypatch.setenv("DEMO__USERS__URL", "http://env-users:8001")
    monkeypatch.setenv("DEMO__HTTP__PORT", "9001")
    settings = _settings_class(folder).load()
    assert settings.users.url == "http://env-users:8001"
    assert settings.http.port == 9001


def test_arguments_override_everything(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO__HTTP__PORT", "9001")
    assert _settings_class(folder).load(http={"port": 9100}).http.port == 9100


def test_every_bad_field_is_named_once_with_its_source(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "settings.toml").write_text('name = "demo"\n[http]\nport = 99999\n')
    monkeypatch.setenv("DEMO__LOGGING__LEVEL", "LOUD")
    with pytest.raises(ConfigError) as caught:
        _settings_class(folder).load(worker_id=-1)
    message = str(caught.value)
    assert message.startswith("Invalid configuration for demo (4 problems):")
    assert (
        "http.port: Input should be less than or equal to 65535 "
        f"(got 99999 from {folder / 'settings.toml'})" in message
    )
    assert "from environment variable DEMO__LOGGING__LEVEL" in message
    assert (
        "worker_id: Input should be greater than or equal to 0 (got -1 from arguments)" in message
    )
    assert "users: required; set it in settings.toml, .secrets.toml or as DEMO__USERS" in message


def test_a_section_variable_that_is_not_json_is_named_rather_than_raised(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO__USERS", "not json")
    with pytest.raises(ConfigError, match=r"users: a value is not valid JSON .*DEMO__USERS"):
        _settings_class(folder).load()
