"""What the token endpoints share for the app's lifetime: policies and service accounts."""

from __future__ import annotations

from collections.abc import Mapping

from chassis.lifecycle import Component
from users.service.login_throttle import ThrottlePolicy
from users.service.tokens import TokenPolicy
from users.settings import UsersSettings


class Issuing(Component):
    name = "issuing"
    required = False

    def __init__(
        self,
        policy: TokenPolicy,
        throttle: ThrottlePolicy,
        service_accounts: Mapping[str, str],
    ) -> None:
        self.policy = policy
        self.throttle = throttle  # the counts live in the database (adapters/login_failures.py)
        self.service_accounts = dict(service_accounts)


def issuing_from(settings: UsersSettings) -> Issuing:
    policy = TokenPolicy(
        issuer=settings.auth.issuer,  # the verifiers' defaults: one source of truth
        audience=settings.auth.audience,
        access_ttl=settings.tokens.access_ttl,
        refresh_ttl=settings.tokens.refresh_ttl,
    )
    throttle = ThrottlePolicy(**settings.login_limit.model_dump())
    accounts = {cid: secret.get_secret_value() for cid, secret in settings.service_accounts.items()}
    return Issuing(policy, throttle, accounts)
