"""The users app as a zero-argument factory, for `uvicorn benchmarks.users.app:create --factory`."""

from fastapi import FastAPI

from users.main import build
from users.settings import UsersSettings


def create() -> FastAPI:
    return build(UsersSettings.load())
