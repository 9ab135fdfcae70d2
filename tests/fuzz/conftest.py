"""The app in-process for the fuzzers: a throw-away SQLite database, a stand-in for the engine (harness.py),
and every outside address (the app's own URL the WeChat simulator posts to, WeChat's API stand-in) on a port
where nothing listens, so a fuzzed request never leaves the process nor touches a developer's `var/`."""
from __future__ import annotations

from dataclasses import replace

import pytest

import bot.services
from bot.app import create_app, prepare_database
from bot.db import session as db
from bot.settings import get_settings
from tests.conftest import free_port
from tests.fuzz.harness import APP, EngineStandIn

CACHED = (get_settings, db.get_engine, db.get_sessionmaker)


@pytest.fixture(scope="module")  # its environment must not outlive the fuzz tests
def fuzz_app(tmp_path_factory: pytest.TempPathFactory):
    var = tmp_path_factory.mktemp("fuzz")
    nowhere = f"http://127.0.0.1:{free_port()}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATABASE_URL", f"sqlite:///{var / 'app.db'}")
        for name in ("ENGINE_URL", "APP_URL", "WECHAT_API_BASE"):
            env.setenv(name, nowhere)
        env.setattr(bot.services, "EngineClient", EngineStandIn)  # the paths past the engine, without a model
        for cached in CACHED:
            cached.cache_clear()
        settings = replace(get_settings(), engine_timeout_s=0.5)
        prepare_database(settings)  # what the lifespan does first; its workers (outbox, sweeps) are not needed
        APP.app = create_app(settings)
        yield APP.app
        APP.app = None
    for cached in CACHED:
        cached.cache_clear()


@pytest.fixture(scope="module")
def token_headers(fuzz_app) -> dict[str, str]:
    return {"Authorization": f"Bearer {get_settings().service_token}"}
