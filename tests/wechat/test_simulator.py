"""The WeChat simulator and the stand-in for WeChat's API, checked against wechatpy itself (no app needed)."""
from __future__ import annotations

import asyncio
import builtins
import hashlib
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from types import SimpleNamespace
from urllib.parse import parse_qs

import httpx
import pytest
import uvicorn
import xmltodict
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.testclient import TestClient
from wechatpy import events, messages, parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import check_signature

from bot.settings import ROOT
from bot.channels.wechat.gateway import incoming
from bot.channels.wechat.protocol import Query, WeChatKeys, open_body, parse, reply_xml, verify
from dev.wechat import cli, fake_api, routes
from dev.wechat.client import WeChatSimulator, cdata, msg_key
from dev.wechat.fake_api import FakeWeChat
from dev.wechat.guard import IssuedOpenids, is_loopback
from tests.wechat.wire import wechat_app  # noqa: F401 (a fixture)

KEYS = WeChatKeys(token="sim-test-token", app_id="wx1234567890abcdef",
                  aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
APP_ID, SECRET = "wxfake0000000001", "s3cret-of-the-fake"
USER = "oSimUser0000000000000000000A"
SIM_TOKEN = "simulator-test-token"
SIM = {"X-Simulator-Token": SIM_TOKEN}
LOOPBACK = ("127.0.0.1", 50000)  # the test client's address (its default, "testclient", is no address at all)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Captured:
    """A MockTransport that records every request and answers with `answer(request)` (default: success)."""

    def __init__(self, answer=None):
        self.requests: list[httpx.Request] = []
        self.answer = answer or (lambda request: httpx.Response(200, text="success"))

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        result = self.answer(request)
        return await result if asyncio.iscoroutine(result) else result

    def query(self, n: int = -1) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.requests[n].url.query.decode()).items()}

    def body(self, n: int = -1) -> str:
        return self.requests[n].content.decode("utf-8")


def simulator(captured: Captured, **options) -> WeChatSimulator:
    return WeChatSimulator("http://gateway.test/wechat", KEYS, transport=httpx.MockTransport(captured), **options)


def answering_like_the_gateway(request: httpx.Request) -> httpx.Response:
    """What our gateway does with the request (bot.channels.wechat.protocol): verify, open, parse, reply."""
    q = {k: v[0] for k, v in parse_qs(request.url.query.decode()).items()}
    query = Query(signature=q.get("signature", ""), timestamp=q.get("timestamp", ""), nonce=q.get("nonce", ""),
                  msg_signature=q.get("msg_signature"), encrypt_type=q.get("encrypt_type"))
    verify(KEYS, query, window_s=300)
    message = parse(open_body(KEYS, query, request.content))
    text = getattr(message, "content", None) or f"a {message.type}"
    return httpx.Response(200, text=reply_xml(KEYS, query, message, "收到：" + text))


# -- requests as WeChat sends them ----------------------------------------------------------------------
async def test_every_request_is_signed_like_wechat_signs_it():
    captured = Captured()
    sim = simulator(captured)
    try:
        await sim.send_text(USER, "低保怎么申请")
        await sim.send_event(USER, "subscribe")
        await sim.send_raw("<xml><FromUserName><![CDATA[oRaw]]></FromUserName></xml>", timestamp="1700000000",
                           nonce="12345")
    finally:
        await sim.aclose()
    for n in range(3):
        q = captured.query(n)
        check_signature(KEYS.token, q["signature"], q["timestamp"], q["nonce"])  # raises if wrong
        expected = hashlib.sha1("".join(sorted([KEYS.token, q["timestamp"], q["nonce"]])).encode()).hexdigest()
        assert q["signature"] == expected and "encrypt_type" not in q
        assert captured.requests[n].headers["content-type"].startswith("text/xml")
    assert captured.query(0)["openid"] == USER and captured.query(2)["openid"] == "oRaw"
    assert (captured.query(2)["timestamp"], captured.query(2)["nonce"]) == ("1700000000", "12345")
    assert abs(int(captured.query(0)["timestamp"]) - time.time()) < 5


async def test_an_unsigned_raw_request_carries_no_signature():
    captured = Captured()
    sim = simulator(captured)
    try:
        await sim.send_raw("<xml/>", sign=False)
    finally:
        await sim.aclose()
    assert "signature" not in captured.query() and captured.body() == "<xml/>"


async def test_safe_mode_bodies_decrypt_back_to_the_exact_xml():
    captured = Captured()
    sim = simulator(captured, encrypted=True, to_user="gh_account")
    raw = ("<xml><ToUserName><![CDATA[gh_account]]></ToUserName><FromUserName><![CDATA[oRaw]]></FromUserName>"
           "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
           "<Content><![CDATA[特困 ]]]]><![CDATA[> 供养]]></Content><MsgId>42</MsgId></xml>")
    try:
        await sim.send_raw(raw)
        await sim.send_text(USER, "医疗救助要什么材料", msg_id=7)
    finally:
        await sim.aclose()
    crypto = WeChatCrypto(KEYS.token, KEYS.aes_key, KEYS.app_id)
    for n in range(2):
        q = captured.query(n)
        assert q["encrypt_type"] == "aes"
        check_signature(KEYS.token, q["signature"], q["timestamp"], q["nonce"])
        envelope = xmltodict.parse(captured.body(n))["xml"]
        assert set(envelope) == {"ToUserName", "Encrypt"} and envelope["ToUserName"] == "gh_account"
        plain = crypto.decrypt_message(captured.body(n), q["msg_signature"], q["timestamp"], q["nonce"])
        if n == 0:
            assert plain == raw
            assert parse_message(plain).content == "特困 ]]> 供养"
        else:
            message = parse_message(plain)
            assert (message.content, message.id, message.source) == ("医疗救助要什么材料", 7, USER)


async def test_passive_replies_are_read_back_plain_and_encrypted():
    for encrypted in (False, True):
        captured = Captured(answering_like_the_gateway)
        sim = simulator(captured, encrypted=encrypted)
        try:
            delivery = await sim.send_text(USER, "低保要啥条件", msg_id=99)
        finally:
            await sim.aclose()
        assert (delivery.status, delivery.attempts, delivery.problem) == (200, 1, None)
        assert delivery.passive == "收到：低保要啥条件" and delivery.msg_key == f"msg:{USER}:99"
        assert ("<Encrypt>" in delivery.raw) is encrypted


async def test_success_and_refusals_have_no_passive_reply():
    answers = iter([httpx.Response(200, text="success"), httpx.Response(200, text=""),
                    httpx.Response(403, text="forbidden"), httpx.Response(200, text="not xml")])
    sim = simulator(Captured(lambda request: next(answers)))
    try:
        results = [await sim.send_text(USER, "你好") for _ in range(4)]
    finally:
        await sim.aclose()
    assert [(d.status, d.passive) for d in results] == [(200, None), (200, None), (403, None), (200, None)]
    assert results[2].raw == "forbidden" and results[3].problem == "the reply is not XML"
    assert results[0].problem is None


async def test_wechatpy_reads_every_message_type_the_simulator_builds():
    captured = Captured()
    sim = simulator(captured, to_user="gh_account")
    try:
        await sim.send_text(USER, "低保怎么申请", msg_id=1)
        await sim.send_voice(USER, "临时救助", msg_id=2)
        await sim.send_voice(USER, None, msg_id=3)
        await sim.send_image(USER, msg_id=4)
        await sim.send_location(USER, 43.5, 123.5, "吉林省四平市双辽市双山镇", msg_id=5)
        await sim.send_link(USER, "标题", "https://example.com/a?b=1&c=2", msg_id=6)
        await sim.send_video(USER, msg_id=7)
        await sim.send_event(USER, "subscribe")
        await sim.send_event(USER, "unsubscribe")
        await sim.send_event(USER, "CLICK", "APPLY")
        await sim.send_text(USER, "第二条")
    finally:
        await sim.aclose()
    parsed = [parse_message(captured.body(n)) for n in range(len(captured.requests))]
    text, voice, mute, image, location, link, video, subscribe, unsubscribe, click, second = parsed
    for message in parsed:
        assert (message.source, message.target) == (USER, "gh_account")
        assert abs(message.time - time.time()) < 5
    assert isinstance(text, messages.TextMessage) and (text.content, text.id) == ("低保怎么申请", 1)
    assert isinstance(voice, messages.VoiceMessage) and (voice.recognition, voice.id) == ("临时救助", 2)
    assert voice.media_id and voice.format == "amr"
    assert isinstance(mute, messages.VoiceMessage) and mute.recognition is None
    assert isinstance(image, messages.ImageMessage) and image.image.startswith("http") and image.media_id
    assert isinstance(location, messages.LocationMessage) and location.label == "吉林省四平市双辽市双山镇"
    assert (float(location.location_x), float(location.location_y)) == (43.5, 123.5) and location.id == 5
    assert isinstance(link, messages.LinkMessage) and (link.title, link.url) == ("标题", "https://example.com/a?b=1&c=2")
    assert isinstance(video, messages.VideoMessage) and video.media_id and video.thumb_media_id and video.id == 7
    assert isinstance(subscribe, events.SubscribeEvent)
    assert isinstance(unsubscribe, events.UnsubscribeEvent)
    assert isinstance(click, events.ClickEvent) and click.key == "APPLY"
    assert 0 < second.id < 2 ** 64
    # the same XML shape as WeChat: CDATA for strings, bare numbers
    body = captured.body(0)
    assert "<MsgType><![CDATA[text]]></MsgType>" in body and "<MsgId>1</MsgId>" in body
    assert "<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[APPLY]]></EventKey>" in captured.body(9)


def test_cdata_keeps_any_text_intact():
    for text in ["a]]>b", "]]>", "<b>&amp;</b>", "换行\n和\t制表"]:
        assert parse_message(f"<xml><MsgType>text</MsgType><Content>{cdata(text)}</Content></xml>").content == text


def test_message_keys_match_the_gateway():
    sim = WeChatSimulator("http://gateway.test/wechat", KEYS)
    assert msg_key(sim.text_xml(USER, "x", msg_id=123)) == f"msg:{USER}:123"
    assert msg_key(sim.text_xml(USER, "x", msg_id=123)) == incoming(parse(sim.text_xml(USER, "x", msg_id=123))).key
    event = parse_message(sim.event_xml(USER, "CLICK", "HUMAN"))
    assert msg_key(sim.event_xml(USER, "CLICK", "HUMAN")) == f"{USER}:{event.time}:click:HUMAN"
    assert incoming(parse(sim.event_xml(USER, "CLICK", "HUMAN"))).key == f"{USER}:{event.time}:click:HUMAN"
    with pytest.raises(ValueError):
        sim.event_xml(USER, "CLICK")
    asyncio.run(sim.aclose())


# -- retries like WeChat -------------------------------------------------------------------------------
async def test_a_late_answer_makes_wechat_send_the_same_message_again():
    async def stall_first(request: httpx.Request) -> httpx.Response:
        if len(captured.requests) == 1:
            await asyncio.sleep(5)  # longer than WeChat waits
        return answering_like_the_gateway(request)

    captured = Captured(stall_first)
    sim = simulator(captured, timeout_s=0.3)
    try:
        delivery = await sim.send_text(USER, "临时救助能给多少钱")
    finally:
        await sim.aclose()
    assert delivery.attempts == 2 and delivery.status == 200 and delivery.passive == "收到：临时救助能给多少钱"
    assert 0.3 <= delivery.elapsed_s < 3
    first, second = (parse_message(captured.body(n)) for n in range(2))
    assert first.id == second.id and delivery.msg_key == f"msg:{USER}:{first.id}"
    assert captured.body(0) == captured.body(1)
    q1, q2 = captured.query(0), captured.query(1)
    assert q1["nonce"] != q2["nonce"] and q1["signature"] != q2["signature"]
    check_signature(KEYS.token, q2["signature"], q2["timestamp"], q2["nonce"])


async def test_encrypted_retries_carry_the_same_message_in_a_new_envelope():
    async def stall_first(request: httpx.Request) -> httpx.Response:
        if len(captured.requests) == 1:
            await asyncio.sleep(5)
        return answering_like_the_gateway(request)

    captured = Captured(stall_first)
    sim = simulator(captured, encrypted=True, timeout_s=0.3)
    try:
        delivery = await sim.send_event(USER, "CLICK", "STATUS")
    finally:
        await sim.aclose()
    crypto = WeChatCrypto(KEYS.token, KEYS.aes_key, KEYS.app_id)
    queries = [captured.query(n) for n in range(2)]
    plain = [crypto.decrypt_message(captured.body(n), q["msg_signature"], q["timestamp"], q["nonce"])
             for n, q in enumerate(queries)]
    assert delivery.attempts == 2 and delivery.passive == "收到：a event"
    assert plain[0] == plain[1] and captured.body(0) != captured.body(1)


async def test_connection_failures_are_retried_then_given_up():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    captured = Captured(refuse)
    sim = simulator(captured, retries=3)
    try:
        delivery = await sim.send_text(USER, "有人吗", msg_id=5)
    finally:
        await sim.aclose()
    assert (delivery.attempts, delivery.status, delivery.passive, delivery.msg_key) == (4, 0, None, f"msg:{USER}:5")
    assert len(captured.requests) == 4 and len({captured.body(n) for n in range(4)}) == 1


@contextmanager
def serving(app: FastAPI):
    """A real uvicorn server on a free port, in a thread."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def stub_app(fake: FakeWeChat, stall_first_s: float = 0.0) -> FastAPI:
    """A stand-in for our gateway (bot.channels.wechat.protocol answering) next to the fake WeChat API."""
    app = FastAPI()
    seen: list[str] = []
    app.state.seen = seen
    gateway = APIRouter()

    @gateway.post("/wechat")
    async def receive(request: Request) -> Response:
        p = request.query_params
        query = Query(signature=p.get("signature", ""), timestamp=p.get("timestamp", ""), nonce=p.get("nonce", ""),
                      msg_signature=p.get("msg_signature"), encrypt_type=p.get("encrypt_type"))
        verify(KEYS, query, window_s=300)
        message = parse(open_body(KEYS, query, await request.body()))
        key = msg_key(open_body(KEYS, query, await request.body()))
        seen.append(key)
        if stall_first_s and seen.count(key) == 1:
            await asyncio.sleep(stall_first_s)
        text = next(filter(None, (getattr(message, name, None) for name in ("content", "recognition", "key"))),
                    message.type)
        token = fake.issue_token("client_credential", APP_ID, SECRET)["access_token"]
        fake.custom_send(token, {"touser": message.source, "msgtype": "text", "text": {"content": "稍后：" + text}})
        return Response(reply_xml(KEYS, query, message, "收到：" + text), media_type="application/xml")

    @gateway.get("/wechat")
    def echo(request: Request) -> Response:
        p = request.query_params
        verify(KEYS, Query(signature=p.get("signature", ""), timestamp=p.get("timestamp", ""),
                           nonce=p.get("nonce", "")), window_s=300)
        return Response(p.get("echostr", ""), media_type="text/plain")

    app.include_router(gateway)
    app.include_router(fake_api.make_router(APP_ID, SECRET, fake, token=SIM_TOKEN))
    return app


def test_retries_over_real_sockets_and_the_url_handshake():
    with serving(stub_app(FakeWeChat(APP_ID, SECRET), stall_first_s=2)) as url:
        async def go():
            async with WeChatSimulator(f"{url}/wechat", KEYS, timeout_s=0.5) as sim:
                return await sim.send_text(USER, "特困怎么申请", msg_id=31337), await sim.verify_url()
        delivery, echoed = asyncio.run(go())
    assert delivery.attempts == 2 and delivery.passive == "收到：特困怎么申请"
    assert echoed.isdigit()


def test_the_terminal_chat(monkeypatch, capsys):
    fake = FakeWeChat(APP_ID, SECRET)
    with serving(stub_app(fake)) as url:
        settings = SimpleNamespace(app_url=url, wechat_api_url=f"{url}/wechat-sim", wechat_token=KEYS.token,
                                   wechat_app_id=KEYS.app_id, wechat_aes_key=KEYS.aes_key, simulator_token=SIM_TOKEN)
        lines = iter(["低保怎么申请", "/click apply", "/voice 临时救助", "/bogus", "exit"])
        monkeypatch.setattr(builtins, "input", lambda prompt="": next(lines))
        monkeypatch.setattr(cli, "QUIET_S", 0.5)
        assert cli.simulate(settings, encrypted=True, openid="oTerminal00000000000000000001") == 0
    out = capsys.readouterr().out
    assert "公众号：收到：低保怎么申请" in out and "公众号（客服消息）：稍后：低保怎么申请" in out
    assert "公众号：收到：APPLY" in out and "公众号：收到：临时救助" in out and "不认识的命令" in out
    assert out.count("稍后：低保怎么申请") == 1  # each customer-service message shown once
    assert [r["content"] for r in fake.delivered("oTerminal00000000000000000001")][0] == "稍后：低保怎么申请"


def test_the_terminal_finds_the_stand_in():
    dev = SimpleNamespace(wechat_api_url="http://127.0.0.1:8000/wechat-sim")
    separate = SimpleNamespace(wechat_api_url="http://127.0.0.1:9100")
    production = SimpleNamespace(wechat_api_url="https://api.weixin.qq.com")
    assert cli.sent_url(dev) == "http://127.0.0.1:8000/wechat-sim/sent"
    assert cli.sent_url(separate) == "http://127.0.0.1:9100/wechat-sim/sent"
    assert cli.sent_url(production) is None


# -- the stand-in for WeChat's API ----------------------------------------------------------------------
class Clock:
    def __init__(self):
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def api(clock) -> TestClient:
    fake = FakeWeChat(APP_ID, SECRET, clock=clock)
    with TestClient(fake_api.make_app(fake=fake, token=SIM_TOKEN), client=LOOPBACK, headers=SIM) as client:
        client.fake = fake
        yield client


def get_token(api: TestClient, prefix: str = "/wechat-sim") -> str:
    body = api.get(f"{prefix}/cgi-bin/token",
                   params={"grant_type": "client_credential", "appid": APP_ID, "secret": SECRET}).json()
    assert body["expires_in"] == 7200
    return body["access_token"]


def send(api: TestClient, token: str, touser: str = USER, content: str = "您好") -> dict:
    return api.post("/wechat-sim/cgi-bin/message/custom/send", params={"access_token": token},
                    content=f'{{"touser": "{touser}", "msgtype": "text", "text": {{"content": "{content}"}}}}'
                    .encode("utf-8")).json()


def test_tokens_are_issued_only_for_the_right_app_and_secret(api):
    token = get_token(api)
    assert len(token) > 64 and token != get_token(api)
    wrong = {"grant_type": "client_credential", "appid": APP_ID, "secret": "nope"}
    assert api.get("/wechat-sim/cgi-bin/token", params=wrong).json()["errcode"] == 40125
    assert api.get("/wechat-sim/cgi-bin/token", params={**wrong, "appid": "wxother"}).json()["errcode"] == 40013
    assert api.get("/wechat-sim/cgi-bin/token", params={"appid": APP_ID, "secret": SECRET}).json()["errcode"] == 40002
    stats = api.get("/wechat-sim/stats").json()
    assert (stats["token_fetches"], stats["token_refusals"]) == (2, 3)


def test_stale_and_unknown_tokens_are_refused(api, clock):
    old = get_token(api)
    assert send(api, old)["errcode"] == 0
    clock.now += 7199
    assert send(api, old)["errcode"] == 0
    clock.now += 2
    assert send(api, old)["errcode"] == 42001  # expired after 7200 s
    first = get_token(api)
    second = get_token(api)                    # a newer token: the first one stays valid 5 more minutes
    clock.now += 299
    assert send(api, first)["errcode"] == 0 and send(api, second)["errcode"] == 0
    clock.now += 2
    assert send(api, first)["errcode"] == 40001 and send(api, second)["errcode"] == 0
    assert send(api, "forged-token")["errcode"] == 40001
    no_token = api.post("/wechat-sim/cgi-bin/message/custom/send", json={"touser": USER}).json()
    assert no_token["errcode"] == 41001 and "rid:" in no_token["errmsg"]
    api.post("/wechat-sim/control", json={"expire_tokens": True})
    assert send(api, second)["errcode"] == 42001


def test_sends_are_recorded_per_follower(api, clock):
    token = get_token(api)
    assert send(api, token, content="低保审批通过了")["errcode"] == 0
    clock.now += 1
    assert send(api, token, touser="oSomeoneElse", content="别人的")["errcode"] == 0
    rows = api.get("/wechat-sim/sent", params={"touser": USER}).json()
    assert [(r["touser"], r["content"], r["at"]) for r in rows] == [(USER, "低保审批通过了", clock.now - 1)]
    assert len(api.get("/wechat-sim/sent").json()) == 2
    bad = api.post("/wechat-sim/cgi-bin/message/custom/send", params={"access_token": token},
                   json={"touser": USER, "msgtype": "text", "text": {"content": "救" * 683}}).json()
    assert bad["errcode"] == 45002  # 2,049 bytes
    assert api.post("/wechat-sim/cgi-bin/message/custom/send", params={"access_token": token},
                    content=b"{not json").json()["errcode"] == 47001
    assert api.get("/wechat-sim/stats").json()["sends"] == 2


def test_fail_next_then_recovery_and_reset(api):
    token = get_token(api)
    assert api.post("/wechat-sim/control", json={"fail_next": 2, "errcode": 45015}).json()["errcode"] == 0
    assert [send(api, token)["errcode"] for _ in range(3)] == [45015, 45015, 0]
    api.post("/wechat-sim/control", json={"fail_next": 1000})  # errcode -1 (system busy) by default
    assert send(api, token)["errcode"] == -1
    api.post("/wechat-sim/control", json={"fail_next": 0})
    assert send(api, token)["errcode"] == 0
    stats = api.get("/wechat-sim/stats").json()
    assert (stats["send_calls"], stats["sends"], stats["send_failures"]) == (5, 2, 3)
    api.post("/wechat-sim/control", json={"reset": True})
    assert api.get("/wechat-sim/sent").json() == [] and send(api, token)["errcode"] == 40001
    assert api.get("/wechat-sim/stats").json()["token_fetches"] == 0


def test_the_menu(api):
    from bot.channels.wechat import menu

    token = get_token(api)
    pushed = menu.for_wechat(menu.load())

    def create(access_token: str, payload: dict) -> int:
        return api.post("/wechat-sim/cgi-bin/menu/create", params={"access_token": access_token},
                        json=payload).json()["errcode"]

    assert (create("x", pushed), create(token, {"button": []}), create(token, pushed)) == (40001, 40016, 0)
    shown = api.get("/wechat-sim/cgi-bin/get_current_selfmenu_info", params={"access_token": token}).json()
    assert shown["is_menu_open"] == 1
    names = [b["name"] for b in shown["selfmenu_info"]["button"]]
    assert names == [b["name"] for b in pushed["button"]]
    subs = shown["selfmenu_info"]["button"][2]["sub_button"]["list"]
    assert [s["key"] for s in subs] == ["STATUS", "HUMAN"]


def test_wechat_paths_are_served_at_the_root_too(api):
    token = get_token(api, prefix="")
    assert api.post("/cgi-bin/message/custom/send", params={"access_token": token},
                    json={"touser": USER, "msgtype": "text", "text": {"content": "根路径"}}).json()["errcode"] == 0
    assert api.get("/wechat-sim/sent", params={"touser": USER}).json()[0]["content"] == "根路径"


def test_the_stand_in_runs_as_its_own_process():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "dev.wechat.fake_api", "--port", str(port),
                             "--app-id", APP_ID, "--secret", SECRET, f"--token={SIM_TOKEN}"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/wechat-sim/stats", headers=SIM, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, "the stand-in did not start"
            time.sleep(0.1)
        token = httpx.get(f"http://127.0.0.1:{port}/cgi-bin/token", params={
            "grant_type": "client_credential", "appid": APP_ID, "secret": SECRET}).json()["access_token"]
        assert httpx.get(f"http://127.0.0.1:{port}/wechat-sim/stats", headers=SIM).json()["token_fetches"] == 1
        assert httpx.get(f"http://127.0.0.1:{port}/wechat-sim/stats").status_code == 401
        assert token
    finally:
        proc.terminate()
        proc.wait(10)


# -- the demo page and who may use the simulator ---------------------------------------------------------
def page_app(settings: SimpleNamespace | None = None) -> FastAPI:
    app = FastAPI()
    app.include_router(routes.router)
    app.state.services = SimpleNamespace(settings=settings or SimpleNamespace(
        simulator_token=SIM_TOKEN, app_url="http://127.0.0.1:9", wechat_token=KEYS.token,
        wechat_app_id=KEYS.app_id, wechat_aes_key=KEYS.aes_key))
    return app


def test_the_demo_page_is_self_contained_and_checks_its_input():
    with TestClient(page_app(), client=LOOPBACK) as client:
        html = client.get("/wechat/simulator")
        assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
        page = html.text
        assert "innerHTML" not in page and "src=\"http" not in page and "href=\"http" not in page
        for label in ("安全模式", "关注", "政策查询", "申请救助", "进度查询", "人工服务", "客服消息", "/wechat-sim/sent"):
            assert label in page
        openid = client.post("/wechat-sim/ui/openid", headers=SIM).json()["openid"]
        for wrong in ({"openid": "o<script>", "text": "x"}, {"openid": openid}, {"openid": openid, "event": "CLICK"}):
            assert client.post("/wechat-sim/ui/send", headers=SIM, json=wrong).status_code == 422


def test_the_page_carries_the_token_to_this_machine_only():
    with TestClient(page_app(), client=LOOPBACK) as client:
        page = client.get("/wechat/simulator")
    assert f'<meta name="wxsim-token" content="{SIM_TOKEN}">' in page.text and "{{SIMULATOR_TOKEN}}" not in page.text
    assert page.headers["cache-control"] == "no-store"
    for host in ("192.168.1.20", "testclient", "203.0.113.7"):
        with TestClient(page_app(), client=(host, 50000)) as client:
            refused = client.get("/wechat/simulator")
        assert refused.status_code == 403 and SIM_TOKEN not in refused.text


def test_the_routes_want_this_machine_and_the_token():
    app = page_app()
    app.include_router(fake_api.make_router(APP_ID, SECRET, FakeWeChat(APP_ID, SECRET)))  # token: the settings'
    calls = [("get", "/wechat-sim/sent", {}), ("get", "/wechat-sim/stats", {}),
             ("post", "/wechat-sim/control", {"json": {"reset": True}}),
             ("post", "/wechat-sim/ui/openid", {}),
             ("post", "/wechat-sim/ui/send", {"json": {"openid": USER, "text": "转人工"}})]
    with TestClient(app, client=("10.0.0.8", 50000)) as remote, TestClient(app, client=LOOPBACK) as local:
        for method, path, extra in calls:
            assert getattr(remote, method)(path, headers=SIM, **extra).status_code == 403, path
            assert getattr(local, method)(path, **extra).status_code == 401, path
            wrong = {"X-Simulator-Token": SIM_TOKEN + "x"}
            assert getattr(local, method)(path, headers=wrong, **extra).status_code == 401, path
        assert local.get("/wechat-sim/stats", headers=SIM).status_code == 200
        assert local.get("/wechat-sim/sent", headers=SIM).json() == []
        # WeChat's own paths keep WeChat's shape: an access token, no simulator token (the outbox calls them)
        query = {"grant_type": "client_credential", "appid": APP_ID, "secret": SECRET}
        token = local.get("/wechat-sim/cgi-bin/token", params=query).json()["access_token"]
        sent = local.post("/wechat-sim/cgi-bin/message/custom/send", params={"access_token": token},
                          json={"touser": USER, "msgtype": "text", "text": {"content": "您好"}})
        assert sent.json()["errcode"] == 0
        assert remote.get("/wechat-sim/cgi-bin/token", params=query).status_code == 403


def test_the_simulator_signs_only_for_followers_it_created():
    fake = FakeWeChat(APP_ID, SECRET)
    app = stub_app(fake)
    app.include_router(routes.router)
    with serving(app) as url:
        app.state.services = SimpleNamespace(settings=SimpleNamespace(
            simulator_token=SIM_TOKEN, app_url=url, wechat_token=KEYS.token, wechat_app_id=KEYS.app_id,
            wechat_aes_key=KEYS.aes_key))
        openid = httpx.post(f"{url}/wechat-sim/ui/openid", headers=SIM).json()["openid"]
        sent = httpx.post(f"{url}/wechat-sim/ui/send", headers=SIM, json={"openid": openid, "text": "你好"}, timeout=10)
        stranger = httpx.post(f"{url}/wechat-sim/ui/send", headers=SIM, json={"openid": USER, "text": "转人工"})
        forged = httpx.post(f"{url}/wechat-sim/ui/send", headers=SIM,
                            json={"openid": openid[:-1] + ("A" if openid[-1] != "A" else "B"), "text": "转人工"})
        mine = httpx.get(f"{url}/wechat-sim/sent", headers=SIM, params={"touser": openid}).json()
    assert sent.status_code == 200 and sent.json()["passive"] == "收到：你好"
    assert (stranger.status_code, forged.status_code) == (403, 403)
    assert len(app.state.seen) == 1 and app.state.seen[0].startswith(f"msg:{openid}:")  # only the issued one
    assert [row["content"] for row in mine] == ["稍后：你好"]


def test_issued_openids():
    issued = IssuedOpenids(SIM_TOKEN)
    ids = {issued.issue() for _ in range(50)}
    assert len(ids) == 50 and all(len(i) == 28 and i.startswith("o") and i in issued for i in ids)
    one = next(iter(ids))
    assert one not in IssuedOpenids(SIM_TOKEN + "x")  # another checkout's simulator
    for other in (USER, one[:-1] + ("A" if one[-1] != "A" else "B"), "x" + one[1:], one + "A", one[:-1], "", None, 5):
        assert other not in issued


@pytest.mark.parametrize("host,local", [("127.0.0.1", True), ("127.8.9.1", True), ("::1", True),
                                        ("::ffff:127.0.0.1", True), ("10.0.0.1", False), ("::ffff:10.0.0.1", False),
                                        ("2001:db8::1", False), ("testclient", False), ("", False), (None, False)])
def test_loopback(host, local):
    assert is_loopback(host) is local


def test_the_app_mounts_the_simulator_behind_its_guard(wechat_app):
    """In the app (outside production): the test client, which is no loopback address, is refused; on
    loopback the token is needed."""
    assert wechat_app.get("/wechat-sim/sent").status_code == 403
    assert wechat_app.get("/wechat/simulator").status_code == 403
    with TestClient(wechat_app.app, client=LOOPBACK) as local:
        assert local.get("/wechat-sim/sent").status_code == 401
        token = {"X-Simulator-Token": wechat_app.settings.simulator_token}
        assert local.get("/wechat-sim/sent", headers=token).status_code == 200
        assert wechat_app.settings.simulator_token in local.get("/wechat/simulator").text


def test_the_simulator_is_no_part_of_the_shipped_package():
    """dev/ stays in the checkout: the package finder pyproject configures never picks it up, and no module of
    bot/ imports it by name (bot/devtools.py loads it at run time, outside production only)."""
    import re
    import tomllib
    from fnmatch import fnmatchcase

    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    tops = [d for d in ROOT.iterdir() if (d / "__init__.py").is_file()]  # bot, dev, tests, actions, …
    packages = [".".join(init.parent.relative_to(ROOT).parts) for top in tops for init in top.rglob("__init__.py")]
    # setuptools' find_packages: a package matching a pattern of `include` (fnmatch, case-sensitive) is shipped
    shipped = [name for name in packages if any(fnmatchcase(name, pattern) for pattern in find["include"])]
    assert "bot" in shipped and "bot.channels.wechat" in shipped
    assert not [name for name in shipped if name.split(".")[0] == "dev" or "simulator" in name]
    importing_dev = re.compile(r"^\s*(from|import)\s+dev\b", re.M)
    assert [p for p in (ROOT / "bot").rglob("*.py") if importing_dev.search(p.read_text(encoding="utf-8"))] == []


def test_production_mounts_no_simulator(monkeypatch):
    from bot.app import create_app
    from bot.settings import Settings

    monkeypatch.setattr(Settings, "check_production", lambda self: None)  # placeholder secrets are fine here
    local = TestClient(create_app(Settings(env="production")), client=LOOPBACK)  # no lifespan: no database
    assert local.get("/chat").status_code == 200
    for path in ("/wechat/simulator", "/wechat-sim/sent", "/wechat-sim/cgi-bin/token"):
        assert local.get(path, headers=SIM).status_code == 404
