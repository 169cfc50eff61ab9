"""Swap one of an app's adapters for a fake, in one line, before the app starts."""

from fastapi import FastAPI

from chassis.lifecycle import Component, Components


def swap(app: FastAPI, kind: type[Component], fake: Component) -> None:
    """`swap(app, UsersClient, FakeUsers())`: routes asking for UsersClient get the fake.

    Raises LookupError when the app has no component of that type.
    """
    components: Components = app.state.components
    components.swap(kind, fake)
