"""Real-browser tests: Debian's Chromium driven by Playwright against a live server.

The server is a real `manage.py runserver` process on its own SQLite database in a temporary
folder, migrated and seeded with the fixtures (so the browser sees exactly what `make run`
serves), started once per session. Under CI=true a missing Chromium or axe-core fails the run;
elsewhere the suite is skipped with the reason.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
IN_CI = os.environ.get("CI") == "true"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Users the journeys log in as (created in the live server's database by `prepare_site`).
PASSWORD = "browser-test-Pa55!"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk)"
    if not AXE.exists():
        return "axe-core is not installed (make node_modules)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def pytest_collection_modifyitems(config, items):
    # Under CI the fixtures fail instead: a browser suite that cannot run must not pass.
    reason = _missing()
    if reason is None or IN_CI:
        return
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


def _require_tools():
    reason = _missing()
    if reason and IN_CI:
        pytest.fail(f"CI=true but the browser suite cannot run: {reason}")
    if reason:
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True, **kwargs
    )


@pytest.fixture(scope="session")
def live_site():
    """Base URL of a seeded site served by a separate runserver process."""
    _require_tools()
    workdir = tempfile.mkdtemp(prefix="wfc-browser-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wfc_platform.settings.dev",
        "DATA_DIR": workdir,
        "DATABASE_URL": f"sqlite:///{workdir}/site.sqlite3",
        "SEARCH_URL": "",
        "EMAIL_URL": "console://",
    }
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "createcachetable")
    _manage(env, "load_fixtures", stdout=subprocess.DEVNULL)
    _manage(env, "load_indicators", stdout=subprocess.DEVNULL)
    env["BROWSER_TEST_PASSWORD"] = PASSWORD
    _manage(env, "shell", "-c", (Path(__file__).parent / "prepare_site.py").read_text())
    _manage(env, "shell", "-c", (Path(__file__).parent / "prepare_indicators.py").read_text())
    port = _free_port()
    log = open(Path(workdir) / "server.log", "w")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError((Path(workdir) / "server.log").read_text()[-3000:]) from None
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    _require_tools()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_site):
    """A fresh page (desktop width) that records every request it makes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.requests_made = []
    page.on("request", lambda request: page.requests_made.append(request))
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def browser_password():
    """The password of the accounts prepare_site.py creates."""
    return PASSWORD


@pytest.fixture
def shoot():
    """`shoot(page, name)` saves a screenshot of the page as test-artifacts/screenshots/NAME.png."""
    return screenshot


@pytest.fixture
def axe():
    """`axe(page, name)` runs axe-core in the page, saves the full result as
    test-artifacts/axe/NAME.json and returns the serious and critical violations."""

    def run(page, name):
        # Evaluated through the DevTools protocol: the site's CSP (no inline script) blocks a
        # <script> tag added to the page, as it should.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        folder = ARTIFACTS / "axe"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.json").write_text(
            json.dumps(result["violations"], ensure_ascii=False, indent=1)
        )
        return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]

    return run
