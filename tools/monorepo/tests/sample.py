"""A miniature Fleet: a chassis module and three services, two of which import it."""

from monorepo.throwaway import ThrowawayRepo


def add_sample_fleet(repo: ThrowawayRepo) -> None:
    repo.write("shared/chassis/__init__.py", "")
    repo.write("shared/chassis/clock.py", "def now() -> int:\n    return 0\n")
    repo.write("shared/chassis/tests/test_clock.py", _test("chassis.clock", "now"))
    for service, imports_chassis in (("alpha", True), ("beta", True), ("gamma", False)):
        body = "from chassis.clock import now\n" if imports_chassis else "def now() -> int:\n"
        body += "\n\ndef run() -> int:\n    return now()\n" if imports_chassis else "    return 1\n"
        repo.write(f"services/{service}/BUILD", f"fleet_service({service!r})\n")
        repo.write(f"services/{service}/__init__.py", "")
        repo.write(f"services/{service}/app.py", body)
        repo.write(f"services/{service}/tests/__init__.py", "")
        repo.write(f"services/{service}/tests/test_app.py", _test(f"{service}.app", "now"))
    repo.commit("sample fleet")


def _test(module: str, name: str) -> str:
    return (
        f"from {module} import {name}\n\n\ndef test_{name}() -> None:\n    assert {name}() >= 0\n"
    )
