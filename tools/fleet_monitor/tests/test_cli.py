"""The services to watch come from the command line (or FLEET_MONITOR_SERVICES), named by the
runner: `--service NAME=URL` for each, in the order shown."""

import pytest
from typer.testing import CliRunner

from fleet_monitor import cli


def test_watches_each_named_service_in_the_order_given() -> None:
    given = ["billing=http://b:8010/", "archive=http://a:8011"]
    assert cli.parse_services(given) == {"billing": "http://b:8010/", "archive": "http://a:8011"}


def test_commas_separate_services_too() -> None:
    assert list(cli.parse_services(["billing=http://b:8010,archive=http://a:8011"])) == [
        "billing",
        "archive",
    ]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--service", "http://b:8010"], {}, "expected NAME=URL"),
        ([], {"FLEET_MONITOR_SERVICES": "b=http://b:1 http://b:2"}, "expected NAME=URL"),
        (["--service", "b=http://b:1", "--service", "b=http://b:2"], {}, "b is named twice"),
        (["--service", "b=ftp://b"], {}, "must look like http://host:port"),
        (["--username", "op", "--password", "pw"], {}, "--username needs --token-url"),
    ],
)
def test_refuses_what_it_cannot_watch_saying_why(
    args: list[str], env: dict[str, str], message: str
) -> None:
    result = CliRunner().invoke(cli.app, ["serve", *args], env=env)
    assert result.exit_code == 2
    assert message in result.output
