"""The pages under their Content-Security-Policy (bot/api/hardening.py), in real headless Chromium: each runs
its script (no policy violation, no page error) and loads nothing from outside the app. No engine needed:
the app runs here on its own port, with its engine down.

Needs /usr/bin/chromium (`make chromium`).
"""
from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import playwright.sync_api as playwright_sync
import pytest
import uvicorn

from bot.app import create_app
from bot.db import session as db
from bot.settings import get_settings
from tests.conftest import free_port

pytestmark = [pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CACHED = (get_settings, db.get_engine, db.get_sessionmaker)
PAGES = [("/chat", ".msg.bot"), ("/wechat/simulator", "#composer"), ("/docs", ".opblock")]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    var = tmp_path_factory.mktemp("pages")
    port = free_port()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATABASE_URL", f"sqlite:///{var / 'app.db'}")
        env.setenv("ENGINE_URL", f"http://127.0.0.1:{free_port()}")
        for cached in CACHED:
            cached.cache_clear()
        app = create_app(replace(get_settings(), app_port=port, engine_timeout_s=1.0))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
        server.should_exit = True
        thread.join(10)
    for cached in CACHED:
        cached.cache_clear()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is not installed (run `make chromium`)")
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("path, rendered", PAGES)
def test_the_page_runs_under_its_policy_and_loads_nothing_from_outside(browser, app_url, path, rendered):
    page = browser.new_page()
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(app_url + path)
        page.wait_for_selector(rendered, timeout=15_000)  # drawn by the page's own script
        page.wait_for_load_state("networkidle")
        assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
        assert not [u for u in requests if not u.startswith((app_url, "data:"))], requests
    finally:
        page.close()
