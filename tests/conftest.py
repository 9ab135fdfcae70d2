"""Shared fixtures. The live stack (real trained model, engine, action server, app) starts once per
session on its own ports and a throw-away database, so it never touches a developer's `make run`."""
from __future__ import annotations

import socket
from dataclasses import replace

import httpx
import pytest

from bot.knowledge.loader import KnowledgeBase, load
from bot.settings import ROOT, Settings, get_settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load(ROOT / "policies")


@pytest.fixture(scope="session")
def stack_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    var = tmp_path_factory.mktemp("stack")
    return replace(
        get_settings(),
        env="test",
        app_port=free_port(),
        engine_port=free_port(),
        actions_port=free_port(),
        database_url=f"sqlite:///{var / 'app.db'}",
        tracker_store_url=f"sqlite:///{var / 'tracker.db'}",
        event_broker_url=f"sqlite:///{var / 'events.db'}",
        lock_store_url="",
        # its own addresses, whatever an earlier fixture left in the environment
        engine_url_setting="", app_url_setting="", wechat_api_base="",
        # the whole suite speaks from one address, faster than residents: limits ×50 (their tests run at ×1)
        rate_limit_factor=50,
    )


@pytest.fixture(scope="session")
def live_stack(stack_settings: Settings):
    from bot.runtime.stack import Stack

    stack = Stack(stack_settings)
    stack.start()
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def live_app_url(live_stack) -> str:
    return f"http://127.0.0.1:{live_stack.settings.app_port}"


@pytest.fixture(scope="session")
def service_headers(stack_settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack_settings.service_token}"}


@pytest.fixture
def chat(live_app_url: str):
    """A resident on the web chat: each call sends one message and returns the bot's answers."""
    token = httpx.post(f"{live_app_url}/api/chat/session", timeout=10).json()["sender"]

    def send(text: str) -> list[str]:
        response = httpx.post(f"{live_app_url}/api/chat", json={"sender": token, "text": text}, timeout=60)
        assert response.status_code == 200, response.text
        assert response.json()["sender"] == token  # the same conversation throughout
        return response.json()["messages"]

    send.sender = f"web-{token.split('.')[0]}"
    return send


@pytest.fixture
def app_db(stack_settings: Settings):
    """A session on the live stack's app database (to check what was recorded)."""
    from sqlalchemy.orm import Session

    from bot.db.session import make_engine

    engine = make_engine(stack_settings.database_url)
    with Session(engine) as session:
        yield session
    engine.dispose()

