"""The users service's own commands, beside the chassis's serve / migrate / shell."""

from __future__ import annotations

from collections.abc import Callable

import typer
from fastapi import FastAPI
from sqlmodel import Session

from chassis.cli import load_or_exit, migrate_databases
from chassis.db import UnitOfWork, create_engine, next_id
from users.adapters.passwords import Argon2Hasher
from users.adapters.repository import SqlUserRepository
from users.adapters.signing_keys import rotate_keys
from users.service.errors import AccountExists, WeakPassword
from users.service.registration import Registration, register
from users.settings import UsersSettings


def add_to(cli: typer.Typer, *, build: Callable[[UsersSettings], FastAPI]) -> typer.Typer:
    """`cli` with users' own commands; `build` makes the app whose database they migrate."""

    @cli.command("create-admin")
    def create_admin(
        username: str = typer.Option(..., help="The admin's username."),
        email: str = typer.Option(..., help="The admin's email."),
        password: str = typer.Option(
            ...,
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="USERS_ADMIN_PASSWORD",
        ),
    ) -> None:
        """Create an admin account (migrating the database first)."""
        settings = load_or_exit(UsersSettings)
        migrate_databases(build(settings))
        engine = create_engine(settings.database)
        try:
            with UnitOfWork(lambda: Session(engine), source="users") as uow:
                user = register(
                    Registration(username, email, password, role="admin"),
                    new_id=next_id(),
                    users=SqlUserRepository(uow.session),
                    hasher=Argon2Hasher(),
                    events=uow,
                )
                uow.commit()
        except (AccountExists, WeakPassword) as exc:
            typer.secho(str(exc), fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from None
        finally:
            engine.dispose()
        typer.echo(f"admin {user.username} created (id {user.id})")

    @cli.command("rotate-keys")
    def rotate() -> None:
        """Sign with a new key from the next start; the old key stays published as previous."""
        settings = load_or_exit(UsersSettings)
        if settings.tokens.signing_key is not None or settings.tokens.signing_key_file is not None:
            typer.secho(
                "keys come from a secret: put the new key in tokens.signing_key and the old one "
                "in tokens.previous_signing_key",
                fg=typer.colors.RED,
                err=True,
            )
            raise typer.Exit(1)
        kid = rotate_keys(settings.tokens.keys_dir)
        typer.echo(f"new signing key {kid} in {settings.tokens.keys_dir}; restart to use it")

    @cli.command("hash-secret")
    def hash_secret(
        secret: str = typer.Option(..., prompt=True, hide_input=True, envvar="USERS_CLIENT_SECRET"),
    ) -> None:
        """Print the argon2 hash of a service account's secret, for `service_accounts`."""
        typer.echo(Argon2Hasher().hash(secret))

    return cli
