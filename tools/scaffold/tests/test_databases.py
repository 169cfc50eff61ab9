from scaffold import databases
from scaffold.region import BEGIN, END
from scaffold.tests.fleets import STOCKROOM, with_stockroom

HEADER = "-- One database per service.\n"


def _script() -> str:
    [artifact] = databases.artifacts(with_stockroom())
    assert artifact.path == "deploy/overlays/dev/platform/create-databases.sql"
    return artifact.render(f"{HEADER}-- {BEGIN}\n-- {END}\n")


def test_every_service_with_a_database_gets_one_named_after_it() -> None:
    named = [d.name for d in with_stockroom() if d.database]
    assert named
    assert [f"CREATE DATABASE {name};" for name in named] == [
        line for line in _script().splitlines() if line.startswith("CREATE")
    ]


def test_a_service_without_a_database_gets_none() -> None:
    assert not STOCKROOM.database
    assert STOCKROOM.name not in _script()


def test_the_hand_written_header_stays() -> None:
    assert _script().startswith(HEADER)
