"""The commands every service gets from the chassis."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chassis.app.tests.example_service import cli
from chassis.db.schema import schema_standing
from chassis.db.tests.pump_service import MIGRATIONS
from chassis.db.tests.pump_service import cli as pump_cli


def test_openapi_prints_the_document_without_serving() -> None:
    result = CliRunner().invoke(cli, ["openapi"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["info"]["title"] == "greeter"
    assert document["paths"]["/v1/greetings/{who}"]["get"]["operationId"] == "greet"


def test_migrate_says_so_when_the_service_has_no_database() -> None:
    result = CliRunner().invoke(cli, ["migrate"])
    assert result.exit_code == 0
    assert "no database" in result.stdout


@pytest.mark.parametrize("command", ["serve", "migrate", "openapi", "shell", "check-config"])
def test_every_command_stops_on_a_variable_that_names_no_setting(
    command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GREETER__GREETNG", "Hi")
    result = CliRunner().invoke(cli, [command])
    assert result.exit_code == 2
    assert "greetng: unknown key (from environment variable GREETER__GREETNG)" in result.output
    assert "did you mean greeting?" in result.output


def test_check_config_says_the_configuration_is_valid() -> None:
    result = CliRunner().invoke(cli, ["check-config"])
    assert result.exit_code == 0
    assert "greeter: configuration valid" in result.stdout


def test_check_config_names_only_leaves_the_values_unjudged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GREETER__HTTP__PORT", "${SECRET_NOT_AT_HAND}")
    assert CliRunner().invoke(cli, ["check-config"]).exit_code == 2
    result = CliRunner().invoke(cli, ["check-config", "--names-only"])
    assert result.exit_code == 0
    assert "every key names a setting" in result.stdout


def test_migrate_upgrades_the_database_the_app_is_built_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pump service tells its CLI nothing about migrations: its Database names them.
    url = f"sqlite:///{tmp_path / 'pumps.sqlite3'}"
    monkeypatch.setenv("PUMPS__DATABASE__URL", url)
    assert schema_standing(url, MIGRATIONS).standing == "behind"
    result = CliRunner().invoke(pump_cli, ["migrate"])
    assert result.exit_code == 0, result.output
    assert schema_standing(url, MIGRATIONS).standing == "current"
