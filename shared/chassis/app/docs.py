"""/docs and /redoc served with their scripts, styles and icon from the service itself.

FastAPI's own pages load Swagger UI, ReDoc and a favicon from public CDNs: on a plant network,
which reaches no CDN, /docs is a blank page. The `fastapi-offline` wheel ships those same files
as package data, so they travel in every service's pex (pinned in the lockfile, not copied into
the repo). Only its files are used: the pages are FastAPI's own HTML helpers, as FastAPI builds
them (same Swagger parameters, `init_oauth`, OAuth2 redirect), with local asset URLs. Every URL
starts with the request's `root_path`, so the pages work behind a proxy that serves the service
under a prefix. The Authorize button keeps the password flow, at the token URL create_app set.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/docs"
REDOC_PATH = "/redoc"
ASSETS_PATH = "/docs/assets"
# swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js, favicon.png
_ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"
# The pages load scripts, styles, images and fonts from the service alone; the browser refuses
# the rest before asking the network (ReDoc's sidebar logo is on a CDN: it hides itself).
# Requests the reader makes (Authorize, Try it out) may go to any host, e.g. users' token URL.
_ONLY_OWN_FILES = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src *"
)


def mount_docs(app: FastAPI) -> None:
    """Add /docs, /docs/oauth2-redirect, /redoc and /docs/assets/ to an app built with
    `docs_url=None, redoc_url=None` (FastAPI's CDN pages off)."""
    openapi_url = app.openapi_url
    if openapi_url is None:
        return  # no document, nothing to show
    redirect_url = app.swagger_ui_oauth2_redirect_url

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = _root_path(request)
        page = get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
            oauth2_redirect_url=root + redirect_url if redirect_url else None,
            init_oauth=app.swagger_ui_init_oauth,
            swagger_ui_parameters=app.swagger_ui_parameters,
        )
        page.headers["Content-Security-Policy"] = _ONLY_OWN_FILES
        return page

    async def redoc(request: Request) -> HTMLResponse:
        root = _root_path(request)
        page = get_redoc_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS_PATH}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
            with_google_fonts=False,  # fonts from Google are a CDN too
        )
        page.headers["Content-Security-Policy"] = _ONLY_OWN_FILES
        return page

    async def oauth2_redirect(_: Request) -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    app.add_route(DOCS_PATH, swagger_ui, include_in_schema=False)
    if redirect_url:
        app.add_route(redirect_url, oauth2_redirect, include_in_schema=False)
    app.add_route(REDOC_PATH, redoc, include_in_schema=False)
    app.mount(ASSETS_PATH, StaticFiles(directory=_ASSETS_DIR), name="docs-assets")


def _root_path(request: Request) -> str:
    # The prefix a proxy serves the service under (settings.http.root_path), as FastAPI uses it.
    root: str = request.scope.get("root_path", "")
    return root.rstrip("/")
