"""The service layer's view of one unit of work: users' SQL repositories, its events, its commit."""

from __future__ import annotations

from chassis.db import EventLog, UnitOfWork
from users.adapters.login_failures import SqlLoginFailures
from users.adapters.repository import SqlRefreshTokenRepository, SqlUserRepository


class SqlUserWork:
    """Accounts, refresh tokens and failed logins on one transaction; events commit with it."""

    def __init__(self, uow: UnitOfWork) -> None:
        session = uow.session
        self.users = SqlUserRepository(session)
        self.refresh_tokens = SqlRefreshTokenRepository(session)
        self.login_failures = SqlLoginFailures(session)
        self.events: EventLog = uow  # `record` stamps the envelope (id, source, correlation id)
        # A failed login is counted although the request then fails: the service layer commits
        # it before raising (the transaction's own commit comes after a success).
        self.commit = uow.commit
