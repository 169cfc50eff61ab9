"""The chassis ships as a wheel that works outside the monorepo."""

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def wheel() -> Path:
    wheels = sorted(Path.cwd().rglob("fleet_chassis-*.whl"))
    assert wheels, "Pants did not build shared:wheel into the sandbox"
    return wheels[-1]


def test_wheel_holds_the_chassis_and_contracts_but_no_tests(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "chassis/app/factory.py" in names
    assert "chassis/testing/plugin.py" in names
    assert "contracts/__init__.py" in names
    assert not [n for n in names if "/tests/" in n]


def test_wheel_declares_its_third_party_requirements(wheel: Path) -> None:
    metadata = next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith("METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Name: fleet-chassis" in text
    assert "Requires-Dist: fastapi" in text
    assert "Requires-Dist: paho-mqtt" in text


def test_wheel_imports_without_the_monorepo_sources(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    # Only the unpacked wheel and third-party packages: no source roots of this repo.
    path = [str(target), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    code = (
        "import sys; sys.path[:0] = %r; import chassis.app, contracts; print(chassis.app.__file__)"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", code % path], capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith(str(target))
