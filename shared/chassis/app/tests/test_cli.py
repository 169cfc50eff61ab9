"""The commands every service gets from the chassis."""

import json

from typer.testing import CliRunner

from chassis.app.tests.example_service import cli


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
