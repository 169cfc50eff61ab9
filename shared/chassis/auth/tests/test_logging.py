"""Tokens never reach the logs, whatever happens to them."""

from __future__ import annotations

import io
import logging
import uuid

from fastapi.testclient import TestClient

from chassis.auth import JwksKeySet
from chassis.auth.tests.conftest import sample_app
from chassis.logging.formatters import JsonFormatter
from chassis.testing.tokens import TokenIssuer


def test_tokens_never_appear_in_log_output(token_issuer: TokenIssuer) -> None:
    app = sample_app(JwksKeySet(token_issuer.auth_settings(min_refetch_interval=0)))
    # Every record of every logger at DEBUG, with its extras, attached after create_app (which
    # replaces the root handlers).
    log_output = io.StringIO()
    handler = logging.StreamHandler(log_output)
    handler.setFormatter(JsonFormatter("auth-sample"))
    root = logging.getLogger()
    root.addHandler(handler)
    level, httpx_level = root.level, logging.getLogger("httpx").level
    root.setLevel(logging.DEBUG)
    logging.getLogger("httpx").setLevel(logging.DEBUG)
    tokens = [
        token_issuer.mint(role="operator"),
        token_issuer.mint(aud="billing"),
        token_issuer.mint(headers={"kid": "unknown"}),
        token_issuer.forge_unsigned(),
        token_issuer.forge_hs256(),
        f"garbage.{uuid.uuid4().hex}.{uuid.uuid4().hex}",
    ]
    try:
        with TestClient(app) as client:
            for token in tokens:
                client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
                client.post("/v1/devices", headers={"Authorization": f"Bearer {token}"})
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        logging.getLogger("httpx").setLevel(httpx_level)
    output = log_output.getvalue()
    assert "token refused" in output  # the refusals were logged, without the tokens
    for token in tokens:
        assert token not in output
        signature = token.rsplit(".", 1)[-1]
        assert not signature or signature not in output
