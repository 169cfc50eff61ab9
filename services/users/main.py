"""The users service: the identity provider of the fleet (accounts, logins, tokens, keys)."""

from fastapi import FastAPI

from chassis.app import create_app
from chassis.auth import RetainedRevocations
from chassis.cli import service_cli
from chassis.db import Database
from chassis.mqtt import Bus
from chassis.outbox import OutboxRelay
from users import commands
from users.adapters.issuing import issuing_from
from users.adapters.own_keys import OwnKeySet
from users.adapters.passwords import Argon2Hasher
from users.adapters.recent_users import RecentUsers
from users.adapters.signing_keys import SigningKeys
from users.api import auth, keys, users
from users.settings import UsersSettings


def build(settings: UsersSettings) -> FastAPI:
    database = Database(settings.database, migrations="users.migrations", source="users")
    bus = Bus(settings.mqtt, service="users", required=False)  # events wait in the outbox
    signing_keys = SigningKeys(settings.tokens)
    own_keys = OwnKeySet(settings.auth, signing_keys)  # verifies our tokens with our own keys
    return create_app(
        settings,
        routers=[users.router, auth.router, keys.router],
        components=[
            database,
            bus,
            OutboxRelay(database, bus.publish, settings.outbox),
            signing_keys,
            own_keys,
            RetainedRevocations(own_keys.revocations, bus.publish),  # the snapshot: users' alone
            Argon2Hasher(),
            issuing_from(settings),
            RecentUsers(database),
        ],
    )


cli = commands.add_to(service_cli(UsersSettings, build), build=build)
if __name__ == "__main__":
    cli()
