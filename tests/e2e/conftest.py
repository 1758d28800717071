"""Browser tests: the real site in a real browser, checked with axe on every page.

The site runs as ``flask run`` in a subprocess against a database of its own,
built by the migrations and loaded with the demo data (the app's database session
is module-global, so it never runs inside the test process). The browser is
Debian's chromium driven by Playwright; nothing is downloaded. If chromium is
missing, the tests fail with a message saying so: they never skip.

Every page a test visits goes through ``visit`` (or ``follow`` after a click that
loads a new page), which checks the HTTP status and runs axe-core on the result.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from marketplace.demo import DEMO_PASSWORD
from tests.conftest import _database_url, recreate_database

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SERVER_START_SECONDS = 60
DEFAULT_TIMEOUT_MS = 10_000

__all__ = ["DEMO_PASSWORD", "axe", "follow", "sign_in", "sign_in_directly", "sign_out",
           "visit"]


# --- the live server ------------------------------------------------------------


@dataclass(frozen=True)
class LiveServer:
    url: str
    database_url: str
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _e2e_database_url(tmp: Path) -> str:
    raw = os.environ.get("TEST_DATABASE_URL", "sqlite").strip() or "sqlite"
    if raw != "sqlite" and make_url(raw).get_backend_name() != "postgresql":
        pytest.fail(f"TEST_DATABASE_URL must be 'sqlite' or a PostgreSQL URL, not {raw!r}")
    # A database of this run's own (dropped when the run ends; see tests/conftest.py).
    return _database_url(tmp, "e2e")


def _server_env(database_url: str, instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env.update({
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance),
        "MARKETPLACE_ENV": "development",
        "MAIL_BACKEND": "file",
        "SECRET_KEY": secrets.token_hex(32),
        "PYTHONUNBUFFERED": "1",
    })
    for key in ("SEARCH_INDEX_DIR", "MAIL_DIR", "SESSION_COOKIE_SECURE"):
        env.pop(key, None)
    return env


def _flask(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "app", *args]


# Migrating and seeding the demo (18 months of history for the reports) takes about a
# minute of CPU; allow for a busy machine.
PREPARE_SECONDS = 600


def _prepare(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=PREPARE_SECONDS, check=False)
    if done.returncode != 0:
        pytest.fail(f"{what} failed ({' '.join(command[1:])}):\n{done.stdout}\n{done.stderr}",
                    pytrace=False)


def _wait_until_up(proc: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the site stopped while starting (exit {proc.returncode}):\n"
                        f"{log_path.read_text(errors='replace')}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200 and json.load(response).get("status") == "ok":
                    return
        except (urllib.error.URLError, OSError, ValueError) as exc:
            last_error = exc
        time.sleep(0.1)
    pytest.fail(f"the site did not answer {url}/healthz within {SERVER_START_SECONDS}s "
                f"({last_error}):\n{log_path.read_text(errors='replace')}", pytrace=False)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    from marketplace.i18n import compile_catalogues

    tmp = tmp_path_factory.mktemp("e2e")
    instance = tmp / "instance"
    instance.mkdir()
    database_url = _e2e_database_url(tmp)
    recreate_database(database_url)
    compile_catalogues()  # the server reads the .mo files; make them match the .po files
    env = _server_env(database_url, instance)
    _prepare(_flask("db", "upgrade"), env, "Building the e2e database")
    _prepare(_flask("demo", "seed"), env, "Loading the demo data")

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(  # noqa: S603
            _flask("run", "--port", str(port), "--host", "127.0.0.1"),
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(proc, url, log_path)
        yield LiveServer(url=url, database_url=database_url, log_path=log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# --- the browser ----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"The browser tests need Debian's chromium at {CHROMIUM}, and it is not "
                    "there. Install it with: sudo apt-get install chromium "
                    "(./test.sh does this for you).", pytrace=False)
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run npm ci (./test.sh does this).",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as exc:
        playwright.stop()
        pytest.fail(f"chromium at {CHROMIUM} would not start: {exc}", pytrace=False)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


def _new_page(browser, live_server: LiveServer, **options):
    context = browser.new_context(bypass_csp=True, base_url=live_server.url, **options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context, context.new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


def _close(request, context, page, live_server: LiveServer) -> None:
    if getattr(request.node, "e2e_failed", False):
        # Shown under "Captured stdout teardown": where the browser was, and what
        # the site logged just before.
        print(f"The browser was at {page.url}\nThe site's log ends:\n{live_server.log_tail()}")
    context.close()


@pytest.fixture()
def page(request, browser, live_server):
    context, page = _new_page(browser, live_server)
    yield page
    _close(request, context, page, live_server)


@pytest.fixture()
def page_without_javascript(request, browser, live_server):
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    yield page
    _close(request, context, page, live_server)


# --- helpers the tests use --------------------------------------------------------

_NO_TIMERS_SHIM = """() => {
  window.setTimeout = (callback, _delay, ...args) => {
    Promise.resolve().then(() => callback(...args));
    return 0;
  };
  window.clearTimeout = () => {};
}"""

# resultTypes only trims the detail axe gathers about passing checks (faster); every
# rule with these tags still runs and every violation is still reported in full.
_AXE_RUN = """async (tags) => {
  const result = await window.axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                 resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')),
  }));
}"""


# Fingerprints of pages axe has passed this session. A page whose markup is the same
# as one already checked (say the sign-in form, for the tenth time) gets the same
# result, so it is not run again. Per-request values are left out of the comparison.
_PASSED: set[str] = set()
_PER_REQUEST = re.compile(r'(name="csrf_token"[^>]*?value="|nonce=")[^"]*')


def _fingerprint(page) -> str:
    markup = _PER_REQUEST.sub(r"\1", page.content())
    return hashlib.sha256(markup.encode()).hexdigest()


def axe(page) -> None:
    """Run axe-core on the page as it is now; fail listing every violation."""
    fingerprint = _fingerprint(page)
    if fingerprint in _PASSED:
        return
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
        if not page.evaluate("() => typeof window.axe === 'object'"):
            # JavaScript is turned off in this context: the <script> never ran.
            # The browser still evaluates what Playwright sends it directly, but it
            # fires no timers, and axe.run waits on setTimeout; run those callbacks
            # as microtasks instead (the page itself has no scripts running).
            page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;0")
            page.evaluate(_NO_TIMERS_SHIM)
    violations = page.evaluate(_AXE_RUN, AXE_TAGS)
    report = "\n".join(
        f"  - {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"      at {target}" for target in v["targets"])
        for v in violations
    )
    assert not violations, f"axe found {len(violations)} problem(s) on {page.url}:\n{report}"
    _PASSED.add(fingerprint)


def _check_status(page, response, expected: int | None) -> None:
    assert response is not None, f"no response for {page.url}"
    if expected is None:
        assert response.status < 400, f"{page.url} answered {response.status}"
    else:
        assert response.status == expected, (
            f"{page.url} answered {response.status}, expected {expected}")


def visit(page, path: str, status: int | None = None):
    """Go to ``path``, check the status (< 400 unless told) and run axe on the page."""
    response = page.goto(path)
    _check_status(page, response, status)
    axe(page)
    return response


def follow(page, action: Callable[[], object], status: int | None = None):
    """Do ``action`` (a click or key press that loads a page), then check that page
    like ``visit`` does: the status of the page it lands on, and axe."""
    with page.expect_navigation() as navigation:
        action()
    response = navigation.value
    _check_status(page, response, status)
    axe(page)
    return response


def sign_in(page, email: str, password: str = DEMO_PASSWORD):
    """Sign in through the form, as a person would; returns the landing response."""
    visit(page, "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    response = follow(page, page.get_by_role("button", name="Sign in", exact=True).click)
    assert "/sign-in" not in page.url, f"signing in as {email} failed: still on {page.url}"
    return response


def sign_out(page):
    follow(page, page.get_by_role("button", name="Sign out").click)


_CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def sign_in_directly(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in without showing the form, for tests about what comes after: the page's
    request API shares its cookies. (The form itself is tested in test_signing_in.)"""
    form = page.request.get("/sign-in")
    match = _CSRF.search(form.text())
    assert match, "no CSRF token on /sign-in"
    response = page.request.post("/sign-in", max_redirects=0, form={
        "email": email, "password": password, "csrf_token": match.group(1)})
    assert response.status == 302, f"signing in as {email} failed ({response.status})"
