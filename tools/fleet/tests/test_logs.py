from fleet.logs import LogPrefixer, strip_colors


def test_prefixes_align_every_service_and_the_runner() -> None:
    prefixer = LogPrefixer(["users", "devices"], colors=False)
    assert prefixer.line("users", "started\n") == "users   | started"
    assert prefixer.line("devices", "started") == "devices | started"
    assert prefixer.line("fleet", "ready") == "fleet   | ready"


def test_each_service_gets_its_own_color() -> None:
    prefixer = LogPrefixer(["users", "tasks"], colors=True)
    users, tasks = prefixer.prefix("users"), prefixer.prefix("tasks")
    assert users != tasks
    assert strip_colors(users) == "users |"


def test_without_colors_a_service_line_loses_its_own_color_codes() -> None:
    prefixer = LogPrefixer(["users"], colors=False)
    assert prefixer.line("users", "\x1b[32mINFO\x1b[0m up") == "users | INFO up"
