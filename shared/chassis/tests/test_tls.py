"""A service's HTTP clients share one TLS context, which verifies: each context httpx would build
holds the CA bundle (0.7 MB apiece)."""

import ssl

# The process below imports these: imported here too, so they are packed with this test.
import chassis.auth
import chassis.http
import chassis.tracing.transport  # noqa: F401
from chassis.testing import run_alone
from chassis.tls import client_tls

_CLIENTS = """
import asyncio, gc, ssl
from chassis.auth import AuthSettings, JwksKeySet
from chassis.http import DownstreamClient, DownstreamSettings
from chassis.tracing.transport import HttpxTransport

NOBODY = "http://127.0.0.1:9"  # refused at once: the clients are made, nothing is served

async def main() -> None:
    calls = [DownstreamClient(name, DownstreamSettings(base_url=NOBODY)) for name in ("a", "b")]
    keys = JwksKeySet(AuthSettings(jwks_url=f"{NOBODY}/.well-known/jwks.json", required=False))
    for component in (*calls, keys):
        await component.start()
    exporter = HttpxTransport()
    print("TLS contexts:", sum(isinstance(o, ssl.SSLContext) for o in gc.get_objects()))
    exporter.close()
    for component in (*calls, keys):
        await component.stop()

asyncio.run(main())
"""


def test_the_chassis_http_clients_of_a_process_hold_one_tls_context() -> None:
    run = run_alone(_CLIENTS)
    assert run.returncode == 0, run.stderr
    assert "TLS contexts: 1" in run.stdout, run.stdout


def test_the_shared_context_verifies_certificates_and_host_names() -> None:
    context = client_tls()
    assert context is client_tls()
    assert (context.verify_mode, context.check_hostname) == (ssl.CERT_REQUIRED, True)
    assert context.cert_store_stats()["x509_ca"] > 0
