"""The one error for a server this machine was told to use and which does not answer."""


class ServerUnreachable(RuntimeError):
    """A server we were told to use does not answer; the message says how to start it."""
