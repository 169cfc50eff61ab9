"""The users service: the identity provider of the fleet (accounts, logins, tokens, keys)."""

from fastapi import FastAPI

from chassis.app import create_app
from chassis.auth import RetainedRevocations, use_token_url
from chassis.cli import service_cli
from chassis.db import Database, InvalidCursor, migrate
from chassis.mqtt import Bus
from chassis.outbox import OutboxRelay
from users import commands
from users.adapters.issuing import issuing_from
from users.adapters.own_keys import OwnKeySet
from users.adapters.passwords import Argon2Hasher
from users.adapters.recent_users import RecentUsers
from users.adapters.signing_keys import SigningKeys
from users.api import auth, keys, users
from users.service import errors
from users.settings import UsersSettings

MIGRATIONS = "users.migrations"
ERRORS: dict[type[Exception], int] = {
    InvalidCursor: 400,
    errors.InvalidCredentials: 401,
    errors.InvalidRefreshToken: 401,
    errors.ChangeNotAllowed: 403,
    errors.UserNotFound: 404,
    errors.AccountExists: 409,
    errors.WeakPassword: 422,
    errors.TooManyAttempts: 429,
}


def build(settings: UsersSettings) -> FastAPI:
    database = Database(settings.database, migrations=MIGRATIONS)
    bus = Bus(settings.mqtt, service="users", required=False)  # events wait in the outbox
    signing_keys = SigningKeys(settings.tokens)
    own_keys = OwnKeySet(settings.auth, signing_keys)  # verifies our tokens with our own keys
    app = create_app(
        settings,
        routers=[users.router, auth.router, keys.router],
        components=[
            database,
            bus,
            OutboxRelay(database, bus.publish, settings.outbox),
            signing_keys,
            own_keys,
            # Users alone publishes the retained snapshot new processes learn revocations from.
            RetainedRevocations(own_keys.revocations, bus.publish),
            Argon2Hasher(),
            issuing_from(settings),
            RecentUsers(database),
        ],
        errors=ERRORS,
    )
    use_token_url(app, settings.auth.token_url)
    return app


def run_migrations(settings: UsersSettings) -> None:
    migrate(settings.database.url, MIGRATIONS)


cli = service_cli(UsersSettings, build, migrate=run_migrations)
commands.add_to(cli, migrate=run_migrations)

if __name__ == "__main__":
    cli()
