"""A key that names no setting stops the service, at any depth and from any layer, named with its
source and, where one is close, the key it probably meant."""

from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from chassis.config import ConfigError, ServiceSettings, service_config


class Downstream(BaseModel):
    url: str = "http://users:8001"
    timeout: float = 2.0


class Tokens(BaseModel):
    signing_key: str | None = Field(None, alias="key")


class DemoSettings(ServiceSettings):
    name: str = "demo"
    users: Downstream = Downstream()
    tokens: Tokens = Tokens()
    labels: dict[str, str] = Field(default_factory=dict)


def _settings_class(folder: Path) -> type[DemoSettings]:
    class DemoInFolder(DemoSettings):
        model_config = service_config("demo", str(folder / "main.py"))

    return DemoInFolder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "settings.toml").write_text("[http]\nport = 8005\n[users]\ntimeout = 1.0\n")
    return tmp_path


def _refusal(folder: Path, **arguments: object) -> str:
    with pytest.raises(ConfigError) as caught:
        _settings_class(folder).load(**arguments)
    return str(caught.value)


def test_an_unknown_variable_naming_no_section_is_refused(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO__AUTHX__FOO", "x")
    assert "authx: unknown key (from environment variable DEMO__AUTHX__FOO)" in _refusal(folder)


def test_an_unknown_variable_inside_a_section_is_refused(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO__USERS__RETRIES", "3")
    message = _refusal(folder)
    assert "users.retries: unknown key (from environment variable DEMO__USERS__RETRIES)" in message


def test_a_variable_below_a_plain_setting_is_refused(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO__WORKER_ID__X", "1")
    assert "unknown key (from environment variable DEMO__WORKER_ID__X)" in _refusal(folder)


def test_a_misspelt_key_is_answered_with_the_key_it_probably_meant(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO__USRES__URL", "http://users:8001")
    message = _refusal(folder)
    assert "usres: unknown key (from environment variable DEMO__USRES__URL)" in message
    assert "; did you mean users?" in message


def test_a_setting_in_the_wrong_section_is_answered_with_its_right_place(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO__USERS__KEY", "pem")
    message = _refusal(folder)
    assert "users.key: unknown key (from environment variable DEMO__USERS__KEY)" in message
    assert "did you mean tokens.key?" in message


def test_an_unknown_key_in_a_table_of_the_settings_file_is_refused(folder: Path) -> None:
    (folder / "settings.toml").write_text("[http]\nprot = 8005\n")
    message = _refusal(folder)
    assert f"http.prot: unknown key (from {folder / 'settings.toml'})" in message
    assert "did you mean http.port?" in message


def test_an_unknown_key_in_the_secrets_file_is_refused(folder: Path) -> None:
    (folder / ".secrets.toml").write_text('[tokens]\nsigning_kee = "pem"\n')
    assert f"tokens.signing_kee: unknown key (from {folder / '.secrets.toml'})" in _refusal(folder)


def test_an_unknown_argument_is_refused(folder: Path) -> None:
    message = _refusal(folder, users={"tiemout": 1.0})
    assert "users.tiemout: unknown key (from arguments); did you mean users.timeout?" in message


def test_a_dict_setting_takes_any_key_from_files_and_environment(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / ".secrets.toml").write_text('[labels]\nsite = "north"\n')
    monkeypatch.setenv("DEMO__LABELS__LINE", "3")
    assert _settings_class(folder).load().labels == {"site": "north", "line": "3"}


def test_an_aliased_setting_is_known_by_its_alias(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO__TOKENS__KEY", "pem")
    assert _settings_class(folder).load().tokens.signing_key == "pem"


def test_every_unknown_key_is_named_in_one_message(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "settings.toml").write_text("[http]\nprot = 8005\n")
    (folder / ".secrets.toml").write_text("[database]\nurl = 'x'\n")
    monkeypatch.setenv("DEMO__AUTHX__FOO", "x")
    message = _refusal(folder, logging={"levle": "DEBUG"})
    assert message.startswith("Invalid configuration for demo (4 problems):")
    for key in ("http.prot", "database", "authx", "logging.levle"):
        assert f"  - {key}: unknown key" in message


def test_variables_of_other_services_are_left_alone(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMOS__AUTHX__FOO", "x")
    monkeypatch.setenv("OTHER__HTTP__PROT", "1")
    assert _settings_class(folder).load().http.port == 8005
