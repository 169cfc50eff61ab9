"""/monitor as a person meets it: a service running as a process, its page in headless Chromium,
the login through the page's own form, and a log tail that shows no credentials."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import httpx
import pytest

from chassis.local import free_port, wait_for_port
from chassis.testing.browser import keep_artifact, launch_chromium, needs_chromium
from chassis.testing.jwks_server import JWKS_PATH
from chassis.testing.tokens import TokenIssuer

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = needs_chromium

# The accounts the users stand-in knows: username -> (subject, password, role).
_ACCOUNTS = {
    "olga": ("1001", "Olga-Operator-Pass-1", "operator"),
    "tom": ("1002", "Tom-Technician-Pass-2", "technician"),
}


class _Users:
    """The users service as the page's login reaches it: the key set, and the token endpoint's
    password grant beside it (chassis.monitor.access logs in at the key set's origin)."""

    def __init__(self) -> None:
        self.issuer = TokenIssuer()
        self.issued: list[str] = []  # every token the login handed out
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def jwks_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{JWKS_PATH}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def password_grant(self, form: dict[str, str]) -> str | None:
        subject, password, role = _ACCOUNTS.get(form.get("username", ""), ("", "", ""))
        if form.get("grant_type") != "password" or not password or form.get("password") != password:
            return None
        token = self.issuer.mint(subject, role, username=form["username"])
        self.issued.append(token)
        return token

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        users = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == JWKS_PATH:
                    self._answer(200, users.issuer.jwks())
                else:
                    self._answer(404, {"title": "Not Found"})

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                token = users.password_grant(dict(parse_qsl(body)))
                if self.path != "/v1/auth/token" or token is None:
                    self._answer(401, {"title": "Unauthorized"})
                else:
                    self._answer(200, {"access_token": token, "token_type": "bearer"})

            def _answer(self, status: int, document: dict[str, Any]) -> None:
                data = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture(scope="module")
def users() -> Iterator[_Users]:
    users = _Users()
    yield users
    users.close()


@pytest.fixture(scope="module")
def service(users: _Users, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The chassis's example service as a process (NiceGUI is process-global), trusting `users`."""
    port = free_port()
    log = tmp_path_factory.mktemp("service") / "greeter.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "GREETER__AUTH__JWKS_URL": users.jwks_url,
    }
    args = ["-m", "chassis.app.tests.example_service", "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, *args], env=env, stdout=out, stderr=out)
        try:
            if not wait_for_port("127.0.0.1", port, timeout=60):
                raise RuntimeError(f"the service did not listen on {port}:\n{log.read_text()}")
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=15)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(
            playwright, tmp_path / "chromium-profile", viewport={"width": 1280, "height": 1000}
        )
        yield browser.new_page()
        browser.close()


def _log_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def _screenshot(page: Page, path: Path) -> None:
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5_000
    keep_artifact(path)


def test_without_a_login_the_page_shows_the_login_form_and_no_data(
    service: str, page: Page, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    httpx.get(f"{service}/v1/greetings/visitor-before-login", timeout=10)
    page.goto(f"{service}/monitor/", wait_until="networkidle")

    expect(page.get_by_text("Log in as an operator or admin.")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    _screenshot(page, tmp_path / "monitor-login.png")
    html = page.content()
    assert "Last log lines" not in html
    assert "visitor-before-login" not in html


def test_a_technician_is_refused_with_a_message_and_sees_no_data(
    service: str, page: Page, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(f"{service}/monitor/", wait_until="networkidle")
    _log_in(page, "tom", _ACCOUNTS["tom"][1])

    refusal = "the monitor is for operators and admins; you are technician"
    expect(page.get_by_text(refusal)).to_be_visible(timeout=15_000)
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(page.get_by_text("Last log lines")).to_have_count(0)
    _screenshot(page, tmp_path / "monitor-technician-refused.png")


def test_an_operator_sees_the_log_tail_without_tokens_passwords_or_url_credentials(
    service: str, users: _Users, page: Page, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    token = users.issuer.mint("1002", "technician", username="tom")
    forged = users.issuer.forge_unsigned()
    with httpx.Client(base_url=service, timeout=10) as client:
        bearer = {"Authorization": f"Bearer {token}"}
        # What careless clients send, and the access log echoes: a token, a password and a
        # broker URL with its account in the path.
        client.get(f"/v1/greetings/{token}", headers=bearer)
        client.get("/v1/greetings/password=Path-Pass-3", headers=bearer)
        client.get("/v1/greetings/mqtt:%2F%2Fdevices:Broker-Pass-4@mosquitto", headers=bearer)
        # A login with its password in the form body (this service has no such route: 404).
        form = {"grant_type": "password", "username": "tom", "password": "Form-Pass-5"}
        client.post("/v1/auth/token", data=form)
        # A forged token, refused and logged by the auth check.
        client.get("/monitor/snapshot", headers={"Authorization": f"Bearer {forged}"})

    page.goto(f"{service}/monitor/", wait_until="networkidle")
    _log_in(page, "olga", _ACCOUNTS["olga"][1])

    body = page.locator("body")
    expect(page.get_by_text("Last log lines")).to_be_visible(timeout=15_000)
    for line in (
        "monitor opened by olga (operator)",
        "GET /v1/greetings/[redacted] 200",
        "GET /v1/greetings/password=[redacted] 200",
        "GET /v1/greetings/mqtt://[redacted]@mosquitto 404",
        "POST /v1/auth/token 404",
        "token refused: signature algorithm 'none' is not accepted",
    ):
        expect(body).to_contain_text(line, timeout=15_000)
    expect(page.get_by_label("Password")).to_have_count(0)
    _screenshot(page, tmp_path / "monitor-operator.png")

    shown = page.content() + body.inner_text()
    secrets = [
        *token.split(".")[1:],  # the claims and signature of the token sent
        forged.split(".")[1],
        "Path-Pass-3",
        "Broker-Pass-4",
        "Form-Pass-5",
        _ACCOUNTS["olga"][1],  # the operator's own password, typed into the page
        *(issued.split(".")[1] for issued in users.issued),  # the tokens the page's login got
    ]
    assert [secret for secret in secrets if secret in shown] == []
