"""create_app(settings) opens every session on settings.database_url, whatever DATABASE_URL says: two apps
with two databases in one process each see their own (issue 11 §0)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from bot.app import create_app
from bot.db import session as db_session
from bot.settings import Settings, get_settings


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """DATABASE_URL points at a database no app here is given; the cached globals are cleared around."""
    env_db = tmp_path / "env" / "app.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{env_db}")
    for cached in (get_settings, db_session.get_engine, db_session.get_sessionmaker):
        cached.cache_clear()
    yield env_db
    for cached in (get_settings, db_session.get_engine, db_session.get_sessionmaker):
        cached.cache_clear()


def townships_seen(url: str, token: str, name: str) -> tuple[int, dict]:
    settings = Settings(database_url=url, service_token=token)
    with TestClient(create_app(settings)) as client:
        answer = client.get("/intake/api/townships", headers={"Authorization": f"Bearer {token}"})
        renamed = client.patch("/intake/api/townships/220382101", headers={"Authorization": f"Bearer {token}"},
                               json={"office_name": f"双山镇窗口（{name}）"})
    return answer.status_code, renamed.json()


def office_of(url: str) -> str:
    with create_engine(url).connect() as connection:
        return connection.execute(text("SELECT office_name FROM townships WHERE code = '220382101'")).scalar_one()


def test_each_app_uses_the_database_of_its_own_settings(tmp_path, elsewhere):
    first, second = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    assert townships_seen(first, "token-one", "一")[0] == 200
    assert townships_seen(second, "token-two", "二")[0] == 200
    assert office_of(first) == "双山镇窗口（一）" and office_of(second) == "双山镇窗口（二）"
    assert not elsewhere.exists()  # the environment's database was never opened
