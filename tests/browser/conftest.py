"""What the browser tests share: headless Chromium (one per module) and the app served in-process on its own
port and database, its engine down (`serve_offline`), or an app built some other way (`serve`)."""
from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import playwright.sync_api as playwright_sync
import pytest
import uvicorn

from bot.app import create_app
from bot.db import session as db
from bot.settings import get_settings
from tests.conftest import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CACHED = (get_settings, db.get_engine, db.get_sessionmaker)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is not installed (run `make chromium`)")
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def offline_env(database_url: str, unset: tuple[str, ...] = ()):
    """DATABASE_URL set, ENGINE_URL at a port nobody listens on, `unset` removed, the cached settings and
    database engine cleared on the way in and out; yields the MonkeyPatch for more."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATABASE_URL", database_url)
        env.setenv("ENGINE_URL", f"http://127.0.0.1:{free_port()}")
        for name in unset:
            env.delenv(name, raising=False)
        for cached in CACHED:
            cached.cache_clear()
        try:
            yield env
        finally:
            for cached in CACHED:
                cached.cache_clear()


@contextmanager
def serve(app, port: int):
    """`app` under uvicorn in a daemon thread on 127.0.0.1:`port`; yields its URL once it has started."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def serve_offline(database_url: str, unset: tuple[str, ...] = (), **settings_overrides):
    """The app (create_app) on a free port and `database_url`, its engine down (1 s timeout); the settings
    from the environment with `settings_overrides`; yields its URL."""
    port = free_port()
    with offline_env(database_url, unset):
        settings = replace(get_settings(), app_port=port, engine_timeout_s=1.0, **settings_overrides)
        with serve(create_app(settings), port) as url:
            yield url


@contextmanager
def page_opener(browser, expected: re.Pattern):
    """open(viewport) -> (page, problems): a fresh browser context (own cookies, zh-CN) and its page; problems
    are the console errors and warnings, but not those `expected` matches, and the page errors. The contexts
    are closed on the way out."""
    contexts = []

    def _open(viewport):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning")
                and not expected.match(m.text) else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        return page, problems

    try:
        yield _open
    finally:
        for context in contexts:
            context.close()
