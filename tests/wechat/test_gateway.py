"""The WeChat gateway with the real engine, action server and app; WeChat itself is played by the
simulator (signed, encrypted, retried as WeChat does) and its API by the bundled stand-in."""
from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest
from sqlalchemy import func, select

from bot.staff import handoff
from bot.channels.inbox import InboundMessage
from bot.channels.wechat.models import WechatFollower, WechatInbound, WechatOutbox
from bot.channels.wechat.protocol import PASSIVE_LIMIT_BYTES, WeChatKeys
from dev.wechat.client import WeChatSimulator
from dev.wechat.guard import TOKEN_HEADER
from bot.settings import get_settings

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def keys(stack_settings) -> WeChatKeys:
    s = stack_settings
    return WeChatKeys(s.wechat_token, s.wechat_app_id, s.wechat_aes_key)


@pytest.fixture
def wechat(live_app_url, keys):
    """Run one simulator coroutine to completion (plaintext unless encrypted=True)."""
    def run(action, encrypted: bool = False, **options):
        async def go():
            sim = WeChatSimulator(f"{live_app_url}/wechat", keys, encrypted=encrypted, **options)
            try:
                return await action(sim)
            finally:
                await sim.aclose()
        return asyncio.run(go())
    return run


def openid() -> str:
    return "o" + uuid.uuid4().hex[:27]


def sent_to(live_app_url: str, user: str, at_least: int = 1, wait_s: float = 10.0) -> list[str]:
    """Customer-service messages the stand-in for WeChat's API received for this follower."""
    deadline = time.monotonic() + wait_s
    while True:
        rows = httpx.get(f"{live_app_url}/wechat-sim/sent", params={"touser": user}, timeout=5,
                         headers={TOKEN_HEADER: get_settings().simulator_token}).json()
        if len(rows) >= at_least or time.monotonic() > deadline:
            return [r["content"] for r in rows]
        time.sleep(0.2)


def test_url_verification_echoes_only_for_a_valid_signature(wechat, live_app_url):
    assert wechat(lambda sim: sim.verify_url())
    forged = httpx.get(f"{live_app_url}/wechat", params={"signature": "0" * 40, "timestamp": str(int(time.time())),
                                                         "nonce": "1", "echostr": "hello"})
    assert forged.status_code == 403 and "hello" not in forged.text


@pytest.mark.parametrize("encrypted", [False, True])
def test_a_question_is_answered_passively(wechat, encrypted):
    delivery = wechat(lambda sim: sim.send_text(openid(), "低保要啥条件"), encrypted=encrypted)
    assert delivery.status == 200 and delivery.attempts == 1
    assert "【低保·申请条件】" in delivery.passive and len(delivery.passive.encode()) <= PASSIVE_LIMIT_BYTES


def test_forged_stale_malformed_and_oversized_requests(wechat, live_app_url):
    user = openid()
    stale = wechat(lambda sim: sim.send_raw(f"<xml><FromUserName>{user}</FromUserName></xml>",
                                            timestamp=str(int(time.time()) - 3600)))
    unsigned = wechat(lambda sim: sim.send_raw("<xml/>", sign=False))
    broken = wechat(lambda sim: sim.send_raw("<xml><ToUserName>gh"))
    bomb = wechat(lambda sim: sim.send_raw(
        '<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>'))
    huge = wechat(lambda sim: sim.send_raw("<xml><Content>" + "救" * 100_000 + "</Content></xml>"))
    assert (stale.status, unsigned.status, broken.status, bomb.status, huge.status) == (403, 403, 400, 400, 413)
    assert httpx.get(f"{live_app_url}/healthz").status_code == 200


def test_a_retry_storm_is_answered_once(wechat, app_db):
    user, msg_id = openid(), 7_000_000_000 + int(time.time() * 1000) % 1_000_000_000

    async def storm(sim):
        first = await sim.send_text(user, "临时救助能给多少钱", msg_id=msg_id)
        again = [await sim.send_text(user, "临时救助能给多少钱", msg_id=msg_id) for _ in range(2)]
        together = await asyncio.gather(*[sim.send_text(user, "特困怎么申请", msg_id=msg_id + 1) for _ in range(3)])
        return first, again, together

    first, again, together = wechat(storm)
    assert first.passive and all(d.passive == first.passive for d in again)  # the lost answer, repeated
    answered = [d for d in together if d.passive]
    assert len(answered) == 1 and all(d.status == 200 for d in together)
    app_db.expire_all()
    inbox = app_db.scalar(select(func.count()).select_from(InboundMessage).where(InboundMessage.sender == f"wx-{user}"))
    assert inbox == 2  # two distinct messages reached the engine, once each
    retries = app_db.scalars(select(WechatInbound.retries_seen).where(WechatInbound.openid == user)).all()
    assert sorted(retries) == [2, 2]


def test_subscribe_then_a_number_from_the_welcome_menu(wechat, app_db):
    user = openid()
    welcome = wechat(lambda sim: sim.send_event(user, "subscribe"))
    assert "救助小助手" in welcome.passive and "2 看看家里能申请什么救助" in welcome.passive
    assert "住在哪个乡镇" in wechat(lambda sim: sim.send_text(user, "2")).passive
    wechat(lambda sim: sim.send_event(user, "unsubscribe"))
    app_db.expire_all()
    assert app_db.get(WechatFollower, user).subscribed is False


@pytest.mark.parametrize("key,expected", [("APPLY", "住在哪个乡镇"), ("STATUS", "案件号"), ("POLICY", "回复数字")])
def test_menu_clicks_start_the_right_conversation(wechat, key, expected):
    assert expected in wechat(lambda sim: sim.send_event(openid(), "CLICK", key)).passive


def test_other_message_types_get_a_short_useful_answer(wechat):
    user = openid()
    said = wechat(lambda sim: sim.send_voice(user, "低保怎么申请")).passive
    assert "低保" in said
    assert "打字" in wechat(lambda sim: sim.send_voice(user, None)).passive
    assert "文字" in wechat(lambda sim: sim.send_image(user)).passive
    assert "文字" in wechat(lambda sim: sim.send_video(user)).passive
    assert "链接" in wechat(lambda sim: sim.send_link(user, "标题", "https://example.com")).passive
    assert "双山镇" in wechat(lambda sim: sim.send_location(user, 43.5, 123.5, "吉林省四平市双辽市双山镇")).passive


def test_handoff_pauses_the_bot_and_staff_replies_go_out(wechat, app_db, live_app_url, service_headers):
    user = openid()
    assert "结束人工" in wechat(lambda sim: sim.send_event(user, "CLICK", "HUMAN")).passive
    first = wechat(lambda sim: sim.send_text(user, "我家低保停了怎么回事"))
    assert first.passive == handoff.ACKNOWLEDGEMENT  # kept for staff; the bot only says it was passed on
    quiet = wechat(lambda sim: sim.send_text(user, "有人吗"))
    assert quiet.passive is None  # within ACK_AGAIN_AFTER of that: nothing more (tests/unit/test_handoff_ack.py)
    app_db.expire_all()
    statuses = app_db.scalars(select(InboundMessage.status).where(InboundMessage.sender == f"wx-{user}")).all()
    assert statuses[-2:] == ["for_staff", "for_staff"]
    response = httpx.post(f"{live_app_url}/api/handoffs/wx-{user}/reply", headers=service_headers,
                          json={"staff": "clerk-li", "text": "您好，我是民政局的小李，帮您查一下。"})
    assert response.status_code == 202
    assert sent_to(live_app_url, user) == ["您好，我是民政局的小李，帮您查一下。"]
    waiting = httpx.get(f"{live_app_url}/api/handoffs", headers=service_headers).json()
    assert {"sender": f"wx-{user}", "staff": "clerk-li"}.items() <= next(
        h for h in waiting if h["sender"] == f"wx-{user}").items()
    assert "小助手回来了" in wechat(lambda sim: sim.send_text(user, "结束人工")).passive
    assert "【低保" in wechat(lambda sim: sim.send_text(user, "低保要啥材料")).passive


def test_every_passive_reply_fits_and_the_rest_follows(wechat, live_app_url, app_db):
    user = openid()
    for text in ["家里日子过不下去了，想申请救助", "双山镇秀水村", "仨", "一个月一千来块", "1 5", "儿子自己也困难", "0", "0", "0"]:
        delivery = wechat(lambda sim: sim.send_text(user, text))
        assert delivery.passive and len(delivery.passive.encode()) <= PASSIVE_LIMIT_BYTES
    result = wechat(lambda sim: sim.send_text(user, "对"))  # result + consent question: long
    app_db.expire_all()
    queued = app_db.scalar(select(func.count()).select_from(WechatOutbox).where(WechatOutbox.openid == user))
    assert len(result.passive.encode()) <= PASSIVE_LIMIT_BYTES
    if queued:
        assert len(sent_to(live_app_url, user, at_least=queued)) == queued


def test_many_residents_at_once_are_all_answered(wechat, live_app_url):
    """More residents than database connections: none may hold one while the engine works."""
    users = [openid() for _ in range(40)]

    async def crowd(sim):
        return await asyncio.gather(*[sim.send_text(user, "低保怎么申请") for user in users])

    deliveries = wechat(crowd, timeout_s=20, retries=0)
    assert all(d.status == 200 for d in deliveries)
    late = [u for u, d in zip(users, deliveries) if d.passive is None]
    assert all(sent_to(live_app_url, user) for user in late)  # answered through the outbox instead


def test_a_retry_takes_over_when_the_first_delivery_died(wechat, app_db):
    """The replica that claimed the message crashed before answering: WeChat's next retry is answered."""
    from datetime import datetime, timedelta, timezone

    user, msg_id = openid(), 5_000_000_000 + int(time.time() * 1000) % 1_000_000_000
    app_db.add(WechatInbound(msg_key=f"msg:{user}:{msg_id}", openid=user, msg_type="text", status="processing",
                             received_at=datetime.now(timezone.utc) - timedelta(seconds=30)))
    app_db.commit()
    delivery = wechat(lambda sim: sim.send_text(user, "特困供养要什么条件", msg_id=msg_id))
    assert delivery.passive and "特困" in delivery.passive
