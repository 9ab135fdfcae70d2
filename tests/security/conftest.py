"""Security tests. Those marked `engine` attack the live stack (real model, engine, action server, app);
the others build the app in-process with the engine down, at the production rate limits (factor 1)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.db import session as db
from bot.settings import get_settings
from tests.conftest import free_port


def _clear() -> None:
    for cached in (get_settings, db.get_engine, db.get_sessionmaker):
        cached.cache_clear()


@pytest.fixture
def make_app(tmp_path, monkeypatch):
    """App instances on one database (and, when given, one Redis), with the engine down."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ENGINE_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    _clear()
    clients = []

    def make(**overrides) -> TestClient:
        settings = replace(get_settings(), engine_timeout_s=1.0, rate_limit_factor=1.0, **overrides)
        client = TestClient(create_app(settings))
        client.__enter__()
        client.settings = settings
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
    _clear()


@pytest.fixture
def app(make_app) -> TestClient:
    return make_app()


@pytest.fixture
def service(app) -> dict[str, str]:
    return {"Authorization": f"Bearer {app.settings.service_token}"}
