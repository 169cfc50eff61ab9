"""/docs and /redoc work on a network with no way out: every file they load is the service's own."""

import re

import pytest
from fastapi.testclient import TestClient

from chassis.app.tests.example_service import GreeterSettings, build
from chassis.config import HttpServerSettings

# What a page makes the browser load: scripts, styles, the icon, the OpenAPI document.
_LOADED = re.compile(r"""(?:src|href|spec-url)="([^"]*)"|\burl: '([^']*)'""")
_CONTENT_TYPES = {
    ".js": ("text/javascript", "application/javascript"),
    ".css": ("text/css",),
    ".png": ("image/png",),
    ".json": ("application/json",),
}


def _loaded_by(page: str) -> list[str]:
    return [src or url for src, url in _LOADED.findall(page)]


@pytest.fixture
def client() -> TestClient:
    return TestClient(build(GreeterSettings()))


@pytest.fixture
def proxied() -> TestClient:
    """The service behind a proxy that serves it under /greeter (settings.http.root_path)."""
    return TestClient(build(GreeterSettings(http=HttpServerSettings(root_path="/greeter"))))


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_a_docs_page_names_no_other_host(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert "://" not in response.text  # no http(s)://cdn..., no //host/... either
    urls = _loaded_by(response.text)
    assert urls, "the page loads nothing: the pattern no longer matches FastAPI's HTML"
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_every_file_a_docs_page_loads_answers_with_its_content_type(
    client: TestClient, page: str
) -> None:
    for url in _loaded_by(client.get(page).text):
        response = client.get(url)
        assert response.status_code == 200, url
        suffix = url[url.rindex(".") :]
        assert response.headers["content-type"].startswith(_CONTENT_TYPES[suffix]), url
        assert len(response.content) > 1000, url  # the real file, not an empty stand-in


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_a_docs_page_tells_the_browser_to_load_files_from_the_service_alone(
    client: TestClient, page: str
) -> None:
    # ReDoc's sidebar logo comes from a CDN: the browser must not even ask for it.
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in client.get(page).headers["content-security-policy"].split(";")
    )
    for kind in ("default-src", "script-src", "style-src", "img-src", "font-src"):
        sources = policy[kind].split()
        assert "'self'" in sources, kind
        assert set(sources) <= {"'self'", "'unsafe-inline'", "data:"}, (kind, sources)


def test_the_swagger_page_loads_swagger_ui_its_styles_and_an_icon(client: TestClient) -> None:
    assert sorted(_loaded_by(client.get("/docs").text)) == [
        "/docs/assets/favicon.png",
        "/docs/assets/swagger-ui-bundle.js",
        "/docs/assets/swagger-ui.css",
        "/openapi.json",
    ]


def test_the_redoc_page_loads_redoc_and_an_icon(client: TestClient) -> None:
    assert sorted(_loaded_by(client.get("/redoc").text)) == [
        "/docs/assets/favicon.png",
        "/docs/assets/redoc.standalone.js",
        "/openapi.json",
    ]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
@pytest.mark.parametrize("proxy", ["keeps the prefix", "strips the prefix"])
def test_behind_a_proxy_a_docs_page_loads_its_files_under_the_root_path(
    proxied: TestClient, page: str, proxy: str
) -> None:
    urls = _loaded_by(proxied.get(_forwarded(f"/greeter{page}", proxy)).text)
    assert urls
    for url in urls:
        assert url.startswith("/greeter/"), url
        assert proxied.get(_forwarded(url, proxy)).status_code == 200, url


def _forwarded(url: str, proxy: str) -> str:
    """The path the service receives when the browser asks the proxy for `url`."""
    return url if proxy == "keeps the prefix" else url.removeprefix("/greeter")


def test_behind_a_proxy_swagger_returns_from_oauth2_under_the_root_path(
    proxied: TestClient,
) -> None:
    page = proxied.get("/docs").text
    assert "oauth2RedirectUrl: window.location.origin + '/greeter/docs/oauth2-redirect'" in page
    redirect = proxied.get("/greeter/docs/oauth2-redirect")
    assert redirect.status_code == 200
    assert "swaggerUIRedirectOauth2" in redirect.text


def test_the_docs_pages_stay_out_of_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith(("/docs", "/redoc"))]
