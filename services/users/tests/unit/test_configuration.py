"""The users service refuses a configuration that names a setting it does not have."""

import pytest
from typer.testing import CliRunner

from users.main import cli


def test_migrate_stops_on_a_variable_that_names_no_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("USERS__AUTHX__FOO", "x")
    result = CliRunner().invoke(cli, ["migrate"])
    assert result.exit_code == 2
    assert "authx: unknown key (from environment variable USERS__AUTHX__FOO)" in result.output
    assert "did you mean auth?" in result.output


def test_a_signing_key_under_auth_is_pointed_to_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USERS__AUTH__SIGNING_KEY", "-----BEGIN PRIVATE KEY-----")
    result = CliRunner().invoke(cli, ["check-config"])
    assert result.exit_code == 2
    assert "auth.signing_key: unknown key" in result.output
    assert "did you mean tokens.signing_key?" in result.output
