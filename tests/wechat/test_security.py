"""POST /wechat under attack, in-process (no engine): plaintext when only safe mode is allowed, a signed
query reused for another body, a MsgId reused by another follower, and malformed signed requests —
each refused with 400, never a 500. Requests are built by hand (tests/wechat/wire.py)."""
from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from bot.channels.wechat.gateway import Gateway, incoming
from bot.channels.wechat.models import WechatInbound
from bot.channels.wechat.protocol import ProtocolError, Query, parse
from bot.db.session import session_scope
from bot.security.store import MemoryStore, RedisStore
from bot.settings import Settings
from tests.wechat.wire import (
    KEYS, encrypted, fresh_nonce, passive, payload, plaintext, post, sealed_raw, text_xml,
    wechat_app,  # noqa: F401 (a fixture)
)

_counter = iter(range(10**6))


def unique(prefix: str = "oSec") -> str:
    """A fresh openid (28 characters, as WeChat's)."""
    return f"{prefix}{time.time_ns() % 10**12:012d}{next(_counter):06d}".ljust(28, "x")[:28]


def nonce() -> str:
    return fresh_nonce()


# -- 1. plaintext refused when safe mode is required ---------------------------------------------------
@pytest.mark.parametrize("env,flag,required", [
    ("production", None, True), ("dev", None, False), ("test", None, False),
    ("production", "0", False), ("production", "off", False), ("dev", "1", True), ("dev", "true", True),
    ("dev", "yes please", True),  # not a clear "off": refuse plaintext
])
def test_require_aes_is_on_in_production_unless_turned_off(monkeypatch, env, flag, required):
    monkeypatch.setenv("BOT_ENV", env)
    if flag is None:
        monkeypatch.delenv("WECHAT_REQUIRE_AES", raising=False)
    else:
        monkeypatch.setenv("WECHAT_REQUIRE_AES", flag)
    assert Settings().wechat_require_aes is required


def test_plaintext_is_refused_while_safe_mode_is_required(wechat_app):
    user = unique()
    assert post(wechat_app, plaintext(text_xml(user, msg_id=11))).status_code == 200  # dev: the simulator's mode
    gateway = wechat_app.gateway
    gateway.settings = replace(wechat_app.settings, wechat_require_aes_flag="1")
    try:
        refused = post(wechat_app, plaintext(text_xml(user, "转人工", msg_id=12), nonce=nonce()))
        answered = post(wechat_app, encrypted(text_xml(user, "安全模式的消息", msg_id=13), nonce=nonce()))
    finally:
        gateway.settings = wechat_app.settings
    assert (refused.status_code, refused.text) == (400, "plaintext message refused (WECHAT_REQUIRE_AES)")
    assert answered.status_code == 200 and "<Encrypt>" in answered.text
    assert (user, "转人工") not in wechat_app.heard and (user, "安全模式的消息") in wechat_app.heard


# -- 2. a signed query is good for one delivery (and WeChat's retries of it) -------------------------
def test_a_signed_query_cannot_carry_another_body(wechat_app):
    resident, intruder, n = unique("oRes"), unique("oBad"), nonce()
    genuine = plaintext(text_xml(resident, "低保要啥条件", msg_id=21), nonce=n)
    first = post(wechat_app, genuine)
    assert first.status_code == 200 and passive(first) == "答：低保要啥条件"
    forged = plaintext(text_xml(intruder, "转人工", msg_id=22), timestamp=genuine.params["timestamp"], nonce=n)
    assert forged.params == genuine.params  # the same signed query string
    refused = post(wechat_app, forged)
    assert (refused.status_code, refused.text) == (400, "signed query reused with another body")
    same_user = plaintext(text_xml(resident, "转人工", msg_id=23), timestamp=genuine.params["timestamp"], nonce=n)
    assert post(wechat_app, same_user).status_code == 400
    assert [h for h in wechat_app.heard if h[1] == "转人工" and h[0] in (resident, intruder)] == []


def test_wechat_retrying_the_same_delivery_gets_the_first_answer(wechat_app):
    user = unique()
    delivery = plaintext(text_xml(user, "临时救助能给多少钱", msg_id=31), nonce=nonce())
    answers = [post(wechat_app, delivery) for _ in range(3)]  # the same query and body, three times
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert {passive(a) for a in answers} == {"答：临时救助能给多少钱"}
    assert wechat_app.heard.count((user, "临时救助能给多少钱")) == 1
    safe = encrypted(text_xml(user, "特困怎么申请", msg_id=32), nonce=nonce())
    assert [post(wechat_app, safe).status_code for _ in range(2)] == [200, 200]
    assert wechat_app.heard.count((user, "特困怎么申请")) == 1


def test_a_new_nonce_is_a_new_request(wechat_app):
    user = unique()
    for n, text in enumerate(["第一句", "第二句"]):
        request = plaintext(text_xml(user, text, msg_id=40 + n), nonce=nonce())
        assert post(wechat_app, request).status_code == 200
    assert [h[1] for h in wechat_app.heard if h[0] == user] == ["第一句", "第二句"]


def test_the_marks_last_as_long_as_the_query_is_acceptable(wechat_app):
    seen = []

    class Recording(MemoryStore):
        def add(self, key, ttl_s):
            seen.append((key.split(":")[1], ttl_s))
            return super().add(key, ttl_s)

    gateway = second_instance(wechat_app, Recording())
    request = plaintext(text_xml(unique(), msg_id=45))
    asyncio.run(gateway.receive(query_of(request), request.body))
    window = wechat_app.settings.wechat_replay_window_s
    assert seen == [("delivery", 2 * window), ("query", 2 * window)]


def second_instance(wechat_app, store) -> Gateway:
    """Another app instance: its own Gateway, the same database, `store` as its shared store."""
    first = wechat_app.gateway
    services = SimpleNamespace(store=store, conversation=first.services.conversation, db=first.services.db)
    gateway = Gateway(wechat_app.settings, services, first.outbox, first.click_intents)
    gateway._answer = first._answer
    return gateway


def query_of(request) -> Query:
    p = request.params
    return Query(signature=p["signature"], timestamp=p["timestamp"], nonce=p["nonce"],
                 msg_signature=p.get("msg_signature"), encrypt_type=p.get("encrypt_type"))


REDIS_URL = "redis://127.0.0.1:6379/0"  # the machine's Redis, as in CI (tests/unit/test_limit_store.py)


@pytest.mark.parametrize("stores", ["redis", "memory"])
def test_across_instances_sharing_the_store(wechat_app, stores):
    """Redis shares the marks between instances (each its own client here): WeChat's retry reaching the
    other instance is answered with the first answer, a forged body reaching it is refused."""
    if stores == "redis":
        first_store, second_store = RedisStore(REDIS_URL), RedisStore(REDIS_URL)
    else:
        first_store = second_store = MemoryStore()
    one, two = second_instance(wechat_app, first_store), second_instance(wechat_app, second_store)
    user, n = unique(), nonce()
    genuine = plaintext(text_xml(user, "医疗救助要什么材料", msg_id=51), nonce=n)
    forged = plaintext(text_xml(unique("oBad"), "转人工", msg_id=52), timestamp=genuine.params["timestamp"], nonce=n)

    async def go():
        first = await one.receive(query_of(genuine), genuine.body)
        retry = await two.receive(query_of(genuine), genuine.body)
        try:
            await two.receive(query_of(forged), forged.body)
        except ProtocolError as exc:
            return first, retry, exc
        return first, retry, None

    first, retry, refusal = asyncio.run(go())
    assert "答：医疗救助要什么材料" in first and retry == first
    assert refusal is not None and (refusal.status, refusal.reason) == (400, "signed query reused with another body")
    assert wechat_app.heard.count((user, "医疗救助要什么材料")) == 1


# -- 3. a MsgId is unique per follower only --------------------------------------------------------------
def test_the_same_msg_id_from_two_followers_is_two_messages(wechat_app):
    first, second, msg_id = unique("oOne"), unique("oTwo"), 6_000_000_001
    a = post(wechat_app, plaintext(text_xml(first, "低保怎么申请", msg_id=msg_id), nonce=nonce()))
    b = post(wechat_app, plaintext(text_xml(second, "我想转人工", msg_id=msg_id), nonce=nonce()))
    again = post(wechat_app, plaintext(text_xml(first, "低保怎么申请", msg_id=msg_id), nonce=nonce()))
    assert (passive(a), passive(b), passive(again)) == ("答：低保怎么申请", "答：我想转人工", "答：低保怎么申请")
    assert (first, "低保怎么申请") in wechat_app.heard and (second, "我想转人工") in wechat_app.heard
    assert wechat_app.heard.count((first, "低保怎么申请")) == 1  # the first follower's retry: not again
    with session_scope() as session:
        keys = dict(session.execute(select(WechatInbound.openid, WechatInbound.msg_key)
                                    .where(WechatInbound.openid.in_([first, second]))).all())
    assert keys == {first: f"msg:{first}:{msg_id}", second: f"msg:{second}:{msg_id}"}


def test_the_exactly_once_key():
    message = parse(text_xml("oKey000000000000000000000001", msg_id=77))
    assert incoming(message).key == "msg:oKey000000000000000000000001:77"
    event = parse("<xml><ToUserName>gh_x</ToUserName><FromUserName>oEv</FromUserName><CreateTime>1700000000"
                  "</CreateTime><MsgType>event</MsgType><Event>CLICK</Event><EventKey>APPLY</EventKey></xml>")
    assert (incoming(event).key, incoming(event).kind) == ("oEv:1700000000:click:APPLY", "event:click")
    unknown = parse("<xml><ToUserName>gh_x</ToUserName><FromUserName>oEv</FromUserName><CreateTime>1700000000"
                    "</CreateTime><MsgType>event</MsgType><Event>SOMETHING_NEW</Event></xml>")
    assert (incoming(unknown).key, incoming(unknown).kind) == ("oEv:1700000000:something_new:", "event:something_new")


# -- 4. malformed signed requests: 400, never 500 --------------------------------------------------------
DEEP = "<a>" * 10_000 + "x" + "</a>" * 10_000
EVENT = ("<xml><ToUserName>gh_jiuzhu</ToUserName><FromUserName>oEvent000000000000000000001</FromUserName>"
         "<CreateTime>{t}</CreateTime><MsgType>event</MsgType><Event>CLICK</Event><EventKey>{key}</EventKey></xml>")
LOCATION = ("<xml><ToUserName>gh_jiuzhu</ToUserName><FromUserName>oPlace000000000000000000001</FromUserName>"
            "<CreateTime>{t}</CreateTime><MsgType>location</MsgType><Location_X>43.5</Location_X>"
            "<Location_Y>123.5</Location_Y><Scale>15</Scale><Label>{label}</Label><MsgId>5</MsgId></xml>")


def malformed() -> dict[str, object]:
    """name → a request, every signature right (built when the test runs: timestamps are now)."""
    t = int(time.time())
    return {
        "huge timestamp": plaintext(text_xml(), timestamp="9" * 400),
        "timestamp not a number": plaintext(text_xml(), timestamp="soon"),
        "non-numeric MsgId": plaintext(text_xml(msg_id="abc")),
        "MsgId over 64 bits": plaintext(text_xml(msg_id=2 ** 64)),
        "MsgId of 400 digits": plaintext(text_xml(msg_id="9" * 400)),
        "negative MsgId": plaintext(text_xml(msg_id=-5)),
        "missing MsgId": plaintext(text_xml(msg_id=None)),
        "non-numeric CreateTime": plaintext(text_xml(created="yesterday")),
        "huge CreateTime": plaintext(text_xml(created="9" * 400)),
        "missing FromUserName": plaintext(text_xml(FromUserName=None)),
        "empty FromUserName": plaintext(text_xml(FromUserName="")),
        "FromUserName of 65 characters": plaintext(text_xml(openid="o" * 65)),
        "FromUserName with markup": plaintext(text_xml(FromUserName="<a>oX</a><b/>")),
        "FromUserName twice": plaintext(text_xml().replace("</xml>", "<FromUserName>oOther</FromUserName></xml>")),
        "missing ToUserName": plaintext(text_xml(ToUserName=None)),
        "missing MsgType": plaintext(text_xml(MsgType=None)),
        "MsgType with markup": plaintext(text_xml(MsgType="<a>text</a>")),
        "Content with markup": plaintext(text_xml(text="]]><b>粗</b><![CDATA[")),
        "empty body": plaintext(b""),
        "blank body": plaintext(b"  \n"),
        "non-UTF-8 body": plaintext(text_xml(text="好").encode("utf-8").replace("好".encode(), b"\xff\xfe")),
        "GBK body": plaintext(text_xml(text="低保").encode("gbk")),
        "not XML": plaintext("低保怎么申请"),
        "truncated XML": plaintext(text_xml()[:40]),
        "text at the root": plaintext("<xml>text</xml>"),
        "another root": plaintext(text_xml().replace("xml>", "message>")),
        "nested 10,000 deep": plaintext("<xml>" + DEEP + "</xml>"),
        "opened 10,000 deep, never closed": plaintext("<xml>" + "<a>" * 10_000),
        "nested 10,000 deep in Content": plaintext(text_xml(text="]]>" + DEEP + "<![CDATA[")),
        "nested 10,000 deep in an event": plaintext(EVENT.format(t=t, key=DEEP)),
        "menu key with markup": plaintext(EVENT.format(t=t, key="<a>APPLY</a>")),
        "place name with markup": plaintext(LOCATION.format(t=t, label="<i>双山镇</i>")),
        "encrypted: bad base64": encrypted(encrypt="!!not*base64!!"),
        "encrypted: not a whole block": encrypted(encrypt="QUJD"),
        "encrypted: padding byte 0": encrypted(encrypt=sealed_raw(payload(text_xml().encode(), pad=0))),
        "encrypted: padding byte 255": encrypted(encrypt=sealed_raw(payload(text_xml().encode(), pad=255))),
        "encrypted: wrong app id": encrypted(text_xml(), app_id="wx0000000000000000"),
        "encrypted: no Encrypt": encrypted(encrypt="", envelope="<xml><ToUserName>gh_jiuzhu</ToUserName></xml>"),
        "encrypted: envelope not XML": encrypted(encrypt="x", envelope="Encrypt=x"),
        "encrypted: Encrypt with markup": encrypted(encrypt="x", envelope="<xml><Encrypt><a>x</a></Encrypt></xml>"),
        "encrypted: empty Encrypt": encrypted(encrypt=""),
        "encrypted: Encrypt twice": encrypted(encrypt="x",
                                              envelope="<xml><Encrypt>x</Encrypt><Encrypt>x</Encrypt></xml>"),
        "encrypted: text at the root": encrypted(encrypt="x", envelope="<xml>x</xml>"),
        "encrypted: non-UTF-8 inside": encrypted(encrypt=sealed_raw(payload(b"<xml>\xff\xfe</xml>"))),
        "encrypted: malformed message inside": encrypted(text_xml(msg_id="abc")),
        "encrypted: nested 10,000 deep inside": encrypted("<xml>" + DEEP + "</xml>"),
        "encrypted: empty message inside": encrypted(""),
    }


MALFORMED = list(malformed())


@pytest.mark.parametrize("name", MALFORMED)
def test_every_malformed_signed_request_is_a_bad_request(wechat_app, name):
    response = post(wechat_app, malformed()[name])
    assert response.status_code == 400, (name, response.status_code, response.text[:200])
    assert response.text != "signed query reused with another body"  # refused for its own flaw
    assert response.headers["content-type"].startswith("text/plain") and len(response.text) < 200


def test_the_well_formed_neighbours_of_the_malformed_are_answered(wechat_app):
    """The same builders without the flaw: what makes each request above a 400 is its flaw alone."""
    t = int(time.time())
    for request in (plaintext(text_xml(unique(), msg_id=2 ** 64 - 1)), plaintext(text_xml(unique(), msg_id=0)),
                    plaintext(text_xml(unique(), created=t)), plaintext(text_xml(unique(), text="]]]]><![CDATA[>粗")),
                    plaintext(text_xml("o" * 64, msg_id=8)),
                    plaintext(EVENT.format(t=t, key="APPLY")), plaintext(LOCATION.format(t=t, label="双山镇")),
                    encrypted(text_xml(unique(), msg_id=9)),
                    encrypted(encrypt=sealed_raw(payload(text_xml(unique(), msg_id=10).encode())))):
        response = post(wechat_app, request)
        assert response.status_code == 200, (request.body[:120], response.text[:200])


def test_a_wrong_signature_is_still_forbidden(wechat_app):
    request = plaintext(text_xml())
    request.params["signature"] = "0" * 40
    assert post(wechat_app, request).status_code == 403
    safe = encrypted(text_xml())
    safe.params["msg_signature"] = "0" * 40
    assert post(wechat_app, safe).status_code == 403
