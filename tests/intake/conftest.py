"""Fixtures of the intake tests: every test runs once on SQLite (a file in tmp_path) and once on a
fresh PostgreSQL database, which is dropped afterwards.

PostgreSQL comes from TEST_POSTGRES_URL (default: the local trust-auth server). When it cannot be
reached the PostgreSQL variants FAIL (they are never skipped: CI has PostgreSQL).

The app reads its database from get_settings().database_url, and get_settings(), get_engine() and
get_sessionmaker() are lru_cached: the `client` fixture sets DATABASE_URL (and the tokens) with
monkeypatch and clears those caches before and after, so no other test module sees this database.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.db import models  # noqa: F401  (every table registered on Base.metadata)
from bot.db import session as db_session
from bot.db.migrate import upgrade
from bot.db.session import make_engine
from bot.intake.seed import seed_townships
from bot.settings import ROOT, get_settings

DIVISIONS = ROOT / "policies" / "shuangliao-divisions.yml"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _postgres_server_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


def _admin_connection() -> psycopg.Connection:
    """An autocommit connection to the server's maintenance database; fails the test if unreachable."""
    url = make_url(_postgres_server_url())
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        return psycopg.connect(conninfo, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        problem = f"{type(exc).__name__}: {str(exc).strip()}"
    shown = url.render_as_string(hide_password=True)
    pytest.fail(
        f"PostgreSQL is not reachable at {shown} ({problem}). The intake tests run on PostgreSQL too "
        "and are never skipped: start the server, or point TEST_POSTGRES_URL at one "
        f"(default {DEFAULT_POSTGRES_URL}).",
        pytrace=False,
    )


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database `jiuzhu_test_<hex>`, dropped afterwards (also used by
    the WeChat replica tests)."""
    name = f"jiuzhu_test_{secrets.token_hex(6)}"
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(_postgres_server_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'intake.db'}"
        return
    with postgres_database() as url:
        yield url


@pytest.fixture
def db_kind(database_url: str) -> str:
    return make_url(database_url).get_backend_name()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine of our own on the test database (the same options the app uses)."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def migrated(database_url: str, engine: Engine) -> str:
    """The test database at the newest schema, with the 18 townships seeded."""
    upgrade(database_url)
    with Session(engine) as session:
        seed_townships(session, DIVISIONS)
    return database_url


@pytest.fixture
def session(migrated: str, engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def _clear_caches() -> None:
    get_settings.cache_clear()
    db_session.get_engine.cache_clear()
    db_session.get_sessionmaker.cache_clear()


@pytest.fixture
def service_token() -> str:
    return f"test-service-{secrets.token_hex(8)}"


@pytest.fixture
def service_headers(service_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {service_token}"}


@pytest.fixture
def app_env(database_url: str, service_token: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The environment create_app() reads, scoped to one test; caches cleared on both sides."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SERVICE_TOKEN", service_token)
    monkeypatch.setenv("ENGINE_TOKEN", f"test-engine-{secrets.token_hex(8)}")
    monkeypatch.setenv("BOT_ENV", "test")
    monkeypatch.setenv("POLICIES_DIR", str(ROOT / "policies"))
    _clear_caches()
    try:
        yield
    finally:
        if db_session.get_engine.cache_info().currsize:
            db_session.get_engine().dispose()
        _clear_caches()


@pytest.fixture
def client(app_env: None, service_headers: dict[str, str]) -> Iterator[TestClient]:
    """The app on the test database; startup (migrations + township seeding) has run.

    `client.service_headers` carries the Authorization header of the service token."""
    from bot.app import create_app

    app = create_app()
    assert app.state.services.settings.database_url == get_settings().database_url
    with TestClient(app) as test_client:
        test_client.service_headers = service_headers
        yield test_client


@pytest.fixture
def make_draft():
    """A valid referral payload (a dict for the HTTP API); keyword arguments override fields."""
    import uuid

    def make(**overrides) -> dict:
        draft = {
            "idempotency_key": uuid.uuid4().hex,
            "kind": "apply",
            "channel": "web",
            "sender": f"web-{uuid.uuid4().hex[:12]}",
            "township_code": "220382101",  # 双山镇
            "place_text": "双山镇秀水村",
            "contact_name": "张桂兰",
            "contact_phone": "13912345678",
            "summary": "3口人，月收入一千来块，家里有老人和重病人",
            "screening": {"household_size": 3, "monthly_income": 1000},
            "suggestions": [{"programme": "dibao", "outcome": "likely", "reasons": ["人均收入低于低保标准"]}],
            "consent_text": "我同意把以上信息转给乡镇（街道）社会救助窗口，用于办理救助。",
        }
        draft.update(overrides)
        return draft

    return make
