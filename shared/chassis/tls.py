"""The TLS client context of the process: one, shared by every HTTP client the chassis makes.

httpx builds a context per client and loads the CA bundle into each (0.7 MB apiece, 1.4 MB for
the first). A service's clients (one per service it calls, the JWKS fetch, the span exporter)
share this one, built once, as httpx builds its own: certifi's CAs, or SSL_CERT_FILE /
SSL_CERT_DIR when set. A context is safe to share between threads and event loops.
"""

from __future__ import annotations

import ssl
from functools import cache

import httpx


@cache
def client_tls() -> ssl.SSLContext:
    """Verifying certificates and host names, as httpx's default does."""
    return httpx.create_ssl_context()
