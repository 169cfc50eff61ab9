"""Importing the chassis builds nothing from a default URL: addresses are settings, which an
app gets when it is built, never module-level objects that every app of the process shares."""

from __future__ import annotations

import importlib
import pkgutil
import sys

from fastapi.security.base import SecurityBase
from pydantic import BaseModel

import chassis


def _shipped_modules() -> list[str]:
    names = [info.name for info in pkgutil.walk_packages(chassis.__path__, "chassis.")]
    # Test code may build what it likes; the shipped chassis may not.
    return [n for n in names if ".tests" not in n and not n.startswith("chassis.testing")]


def _urls_held_by(value: object) -> bool:
    # A security scheme's OpenAPI model (its token URL), a settings or other pydantic object.
    model = value.model if isinstance(value, SecurityBase) else value
    return isinstance(model, BaseModel) and "://" in model.model_dump_json()


def test_no_module_of_the_chassis_holds_an_object_built_with_a_url() -> None:
    names = _shipped_modules()
    for name in names:
        importlib.import_module(name)
    holding = [
        f"{name}.{attribute}"
        for name in names
        for attribute, value in vars(sys.modules[name]).items()
        if _urls_held_by(value)
    ]
    assert holding == []
