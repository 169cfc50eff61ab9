"""A whole Fleet service: settings, a domain error, a router, the app, the CLI (`... serve`)."""

import asyncio

from fastapi import APIRouter, FastAPI

from chassis.app import create_app
from chassis.auth import AuthSettings, JwksKeySet
from chassis.cli import service_cli
from chassis.config import ServiceSettings, service_config
from chassis.errors import DomainError


class GreeterSettings(ServiceSettings):
    model_config = service_config("greeter", __file__)
    name: str = "greeter"
    greeting: str = "Hello"
    auth: AuthSettings | None = None  # set: it verifies tokens (its /monitor/snapshot wants one)


class NobodyToGreet(DomainError):  # the domain's own error, answered as a 404 problem
    status = 404


def build(settings: GreeterSettings) -> FastAPI:
    router = APIRouter(prefix="/v1", tags=["greetings"])

    @router.get("/greetings/{who}")
    async def greet(who: str, delay: float = 0.0) -> dict[str, str]:
        if who == "nobody":
            raise NobodyToGreet("there is nobody to greet")
        await asyncio.sleep(delay)  # lets tests hold a request in flight
        return {"message": f"{settings.greeting}, {who}!"}

    keys = [JwksKeySet(settings.auth)] if settings.auth is not None else []
    return create_app(settings, routers=[router], components=keys)


cli = service_cli(GreeterSettings, build)
if __name__ == "__main__":
    cli()
