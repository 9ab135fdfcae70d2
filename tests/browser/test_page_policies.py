"""The pages under their Content-Security-Policy (bot/api/hardening.py), in real headless Chromium: each runs
its script (no policy violation, no page error) and loads nothing from outside the app. No engine needed:
the app runs here on its own port, with its engine down.

Needs /usr/bin/chromium (`make chromium`).
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import serve_offline

pytestmark = [pytest.mark.browser]

PAGES = [("/chat", ".msg.bot"), ("/wechat/simulator", "#composer"), ("/docs", ".opblock")]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    var = tmp_path_factory.mktemp("pages")
    with serve_offline(f"sqlite:///{var / 'app.db'}") as url:
        yield url


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
