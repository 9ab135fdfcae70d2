"""Fixtures of the staff console's tests: a migrated SQLite database per test (copied from one migrated once,
so the audit log's triggers are there), accounts made with a cheap argon2 setting, and the app in-process
(engine down) with a client that logs in through the real login form.
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bot.db import models  # noqa: F401  (every table registered)
from bot.db import session as db_session
from bot.db.migrate import upgrade
from bot.db.session import make_engine
from bot.intake.seed import seed_townships
from bot.security.limits import Limiter
from bot.security.store import MemoryStore
from bot.settings import ROOT, get_settings
from bot.staff import accounts
from bot.staff.config import StaffConfig
from tests.conftest import free_port
from tests.intake.conftest import postgres_database

# argon2id with the smallest cost: the tests hash many passwords; production uses argon2-cffi's defaults
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
CONFIG = StaffConfig(hasher=FAST)
PASSWORD = "correct horse 42"
TOWNSHIP, OTHER_TOWNSHIP = "220382100", "220382101"  # 茂林镇, 双山镇 (policies/shuangliao-divisions.yml)
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("staff-template") / "app.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        seed_townships(session, ROOT / "policies" / "shuangliao-divisions.yml")
        session.commit()
    engine.dispose()
    return path


@pytest.fixture
def db_url(migrated_template, tmp_path) -> str:
    path = tmp_path / "app.db"
    shutil.copy(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def db(db_url) -> Iterator[Session]:
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path) -> Iterator[str]:
    """An empty database on each engine, for tests of the migrations themselves."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'app.db'}"
        return
    with postgres_database() as postgres_url:
        yield postgres_url


@pytest.fixture
def limiter() -> Limiter:
    return Limiter(MemoryStore(), 1.0)


def make_user(session: Session, username: str, role: str, township: str | None = None) -> None:
    accounts.create(session, CONFIG, username, role, PASSWORD, township)
    session.commit()


def _clear() -> None:
    for cached in (get_settings, db_session.get_engine, db_session.get_sessionmaker):
        cached.cache_clear()


@pytest.fixture
def app(db_url, monkeypatch):
    """The whole app on the test's database, the engine down, production rate limits, cheap hashing."""
    from bot.app import create_app

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("ENGINE_URL", f"http://127.0.0.1:{free_port()}")
    _clear()
    application = create_app(replace(get_settings(), rate_limit_factor=1.0))
    application.state.staff_config = CONFIG
    yield application
    _clear()


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def users(db) -> dict[str, str]:
    """One account per role; the clerk works for 茂林镇."""
    make_user(db, "admin1", "admin")
    make_user(db, "agent1", "agent")
    make_user(db, "reviewer1", "reviewer")
    make_user(db, "clerk1", "clerk", TOWNSHIP)
    return {"admin": "admin1", "agent": "agent1", "reviewer": "reviewer1", "clerk": "clerk1"}


def form_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD, next_path: str = ""):
    page = client.get("/console/login" + (f"?next={next_path}" if next_path else ""))
    assert page.status_code == 200, page.text
    data = {"csrf": form_token(page.text), "username": username, "password": password, "next": next_path}
    return client.post("/console/login", data=data, follow_redirects=False)


@contextmanager
def logged_in(app, username: str) -> Iterator[TestClient]:
    """A client of its own (own cookies) logged in as `username` through the login form."""
    with TestClient(app) as test_client:
        response = login(test_client, username)
        assert response.status_code == 303, response.text
        yield test_client
