from scaffold import values
from scaffold.region import BEGIN, END
from scaffold.tests.fleets import ROOT, STOCKROOM, this_repository

FOLDER = ROOT / values.FOLDER


def _render(name: str, current: str | None) -> str:
    fleet = [*this_repository(), STOCKROOM]
    [artifact] = [a for a in values.artifacts(fleet) if a.path == f"{values.FOLDER}/{name}.yaml"]
    return artifact.render(current)


def test_a_new_service_gets_a_whole_file_of_what_its_descriptor_decides() -> None:
    # stockroom has no database: no database URL, no migrations, no way to a database.
    assert _render("stockroom", None) == (
        f"# {BEGIN}\n"
        "# stockroom: parts, and reserving one for a task.\n"
        "name: stockroom\n"
        "image:\n"
        "  repository: fleet/stockroom\n"
        "# Port, calls, auth URLs, accounts: added by `release render`"
        " (services/stockroom/service.toml).\n"
        "secretEnv:\n"
        "  MQTT__URL: {secret: stockroom-mqtt, key: url}\n"
        "ingress:\n"
        "  enabled: true\n"
        "  host: stockroom.fleet.example.com\n"
        "  tlsSecretName: stockroom-tls\n"
        "networkPolicy:\n"
        "  broker: {enabled: true}\n"
        f"# {END}\n"
    )


def test_a_service_with_a_database_reads_its_url_from_a_secret_and_migrates_it() -> None:
    text = _render("tasks", None)
    assert "  DATABASE__URL: {secret: tasks-database, key: url}\n" in text
    assert "migrations:\n  enabled: true\n" in text
    assert "  database: {enabled: true}\n" in text


def test_the_identity_service_routes_the_keys_everyone_verifies_tokens_with() -> None:
    assert "  exactPaths: [/.well-known/jwks.json]\n" in _render("users", None)
    assert "exactPaths" not in _render("tasks", None)


def test_what_a_values_file_adds_by_hand_stays_as_written() -> None:
    committed = (FOLDER / "devices.yaml").read_text()
    extras = committed[committed.index(f"# {END}\n") :]
    assert "brokerAlerts:\n  enabled: true\n" in extras
    assert _render("devices", committed).endswith(extras)
