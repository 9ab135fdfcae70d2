"""Delivery across processes: a slow engine, an outbox that outlives its app, replicas on one
PostgreSQL database sharing retries and the access token. Each app here is a real uvicorn process next
to the session's engine and action server; WeChat's API is the stand-in, as its own process."""
from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import create_engine, text

from bot.runtime.stack import Stack
from bot.settings import ROOT, get_settings
from bot.channels.wechat.protocol import WeChatKeys
from dev.wechat.client import WeChatSimulator
from dev.wechat.guard import TOKEN_HEADER
from tests.conftest import free_port
from tests.intake.conftest import postgres_database

pytestmark = pytest.mark.engine


@pytest.fixture
def fake_wechat(stack_settings):
    """WeChat's API stand-in in its own process (it must outlive app restarts)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "dev.wechat.fake_api", "--port", str(port),
                             # one argument with "=": a random secret starting with "-" is not read as an option
                             f"--app-id={stack_settings.wechat_app_id}", f"--secret={stack_settings.wechat_app_secret}",
                             f"--token={stack_settings.simulator_token}"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_up(f"{url}/wechat-sim/stats")
    yield url
    proc.terminate()
    proc.wait(10)


def simulator() -> dict[str, str]:
    """The header the stand-in's own routes (/sent, /stats, /control) want; /healthz ignores it."""
    return {TOKEN_HEADER: get_settings().simulator_token}


def wait_up(url: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, headers=simulator(), timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(url)


@contextmanager
def app_replica(settings):
    """One more app process on `settings` (its own port), using the session's engine and actions."""
    env = Stack(settings).child_env("app")
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "bot.app:create_app", "--factory", "--host",
                             "127.0.0.1", "--port", str(settings.app_port), "--no-access-log"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        wait_up(f"http://127.0.0.1:{settings.app_port}/healthz")
        yield f"http://127.0.0.1:{settings.app_port}"
    finally:
        proc.terminate()
        proc.wait(15)


def send(app_url: str, settings, user: str, words: str, msg_id: int | None = None):
    keys = WeChatKeys(settings.wechat_token, settings.wechat_app_id, settings.wechat_aes_key)

    async def go():
        sim = WeChatSimulator(f"{app_url}/wechat", keys)
        try:
            return await sim.send_text(user, words, msg_id=msg_id)
        finally:
            await sim.aclose()
    return asyncio.run(go())


def sent(api_url: str, user: str, at_least: int, wait_s: float = 15) -> list[str]:
    deadline = time.monotonic() + wait_s
    while True:
        rows = httpx.get(f"{api_url}/wechat-sim/sent", params={"touser": user}, headers=simulator(), timeout=5).json()
        if len(rows) >= at_least or time.monotonic() > deadline:
            return [r["content"] for r in rows]
        time.sleep(0.2)


def own_database(tmp_path) -> str:
    """Replicas here get their own database: the session's app would otherwise deliver their outbox rows to
    its own stand-in for WeChat's API."""
    return f"sqlite:///{tmp_path / 'replica.db'}"


def test_a_slow_turn_gets_success_then_exactly_one_customer_service_message(live_stack, fake_wechat, tmp_path):
    # a budget far below the engine's time: every turn is "slow"
    settings = replace(live_stack.settings, app_port=free_port(), wechat_api_base=fake_wechat,
                       wechat_passive_budget_s=0.001, database_url=own_database(tmp_path))
    user = "o" + uuid.uuid4().hex[:27]
    with app_replica(settings) as app:
        delivery = send(app, settings, user, "低保要啥条件")
        assert delivery.status == 200 and delivery.passive is None and delivery.attempts == 1
        messages = sent(fake_wechat, user, at_least=1)
        time.sleep(2)  # nothing else may follow
        assert sent(fake_wechat, user, at_least=2, wait_s=0) == messages and len(messages) == 1
        assert "【低保·申请条件】" in messages[0]


def test_the_outbox_survives_an_app_restart(live_stack, fake_wechat, tmp_path):
    settings = replace(live_stack.settings, app_port=free_port(), wechat_api_base=fake_wechat,
                       wechat_passive_budget_s=0.001, database_url=own_database(tmp_path))
    user = "o" + uuid.uuid4().hex[:27]
    httpx.post(f"{fake_wechat}/wechat-sim/control", json={"fail_next": 1000, "errcode": -1},
               headers=simulator())  # WeChat is down
    with app_replica(settings) as app:
        assert send(app, settings, user, "临时救助怎么申请").passive is None
        time.sleep(1.5)
        assert sent(fake_wechat, user, at_least=1, wait_s=0) == []
    httpx.post(f"{fake_wechat}/wechat-sim/control", json={"fail_next": 0}, headers=simulator())  # WeChat is back
    with app_replica(settings):
        delivered = sent(fake_wechat, user, at_least=1, wait_s=40)  # backoff may hold it a few seconds
    assert len(delivered) == 1 and "临时救助" in delivered[0]


@pytest.fixture
def postgres_url():
    with postgres_database() as url:
        yield url


def test_replicas_on_postgresql_share_retries_and_the_token(live_stack, fake_wechat, postgres_url):
    base = replace(live_stack.settings, database_url=postgres_url, wechat_api_base=fake_wechat,
                   wechat_passive_budget_s=0.001)
    first, second = replace(base, app_port=free_port()), replace(base, app_port=free_port())
    user, msg_id = "o" + uuid.uuid4().hex[:27], 880_000_000 + int(time.time()) % 100_000
    with app_replica(first) as a, app_replica(second) as b:
        async def both():
            return await asyncio.gather(asyncio.to_thread(send, a, first, user, "特困怎么申请", msg_id),
                                        asyncio.to_thread(send, b, second, user, "特困怎么申请", msg_id))
        deliveries = asyncio.run(both())
        assert all(d.status == 200 for d in deliveries)
        send(b, second, user, "医疗救助要什么材料")  # another message, through the other replica
        messages = sent(fake_wechat, user, at_least=2)
    assert len(messages) == 2  # the retry on the other replica was not answered again
    with create_engine(postgres_url).connect() as db:
        inbound = db.execute(text("select count(*) from inbound_messages where sender = :s"),
                             {"s": f"wx-{user}"}).scalar()
    assert inbound == 2
    stats = httpx.get(f"{fake_wechat}/wechat-sim/stats", headers=simulator()).json()
    assert stats["token_fetches"] == 1  # both replicas used the one shared token


def test_a_turn_lost_with_its_replica_gets_an_apology(live_stack, fake_wechat, postgres_url):
    settings = replace(live_stack.settings, app_port=free_port(), database_url=postgres_url,
                       wechat_api_base=fake_wechat)
    with app_replica(settings):
        pass  # the first start migrates the database
    user = "o" + uuid.uuid4().hex[:27]
    with create_engine(postgres_url).begin() as db:  # a replica died five minutes ago, mid-turn
        db.execute(text("insert into wechat_followers (openid, subscribed, last_inbound_at, updated_at) "
                        "values (:u, true, now(), now())"), {"u": user})
        db.execute(text("insert into wechat_inbound (msg_key, openid, msg_type, received_at, status, retries_seen) "
                        "values (:k, :u, 'text', now() - interval '5 minutes', 'processing', 0)"),
                   {"k": f"msg:{uuid.uuid4().int % 10**15}", "u": user})
    with app_replica(settings):  # the sweeper runs at start
        apology = sent(fake_wechat, user, at_least=1)
    assert len(apology) == 1 and "再发一次" in apology[0]
    with create_engine(postgres_url).connect() as db:
        assert db.execute(text("select status from wechat_inbound where openid = :u"), {"u": user}).scalar() == "failed"
