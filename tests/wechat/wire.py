"""Requests to POST /wechat built by hand, as WeChat (or someone holding a signed query) sends them, and the
app in-process with an answer that needs no engine: for the security tests and the fuzzer."""
from __future__ import annotations

import base64
import hashlib
import os
import secrets
import struct
import time
from dataclasses import dataclass, replace

import pytest
import xmltodict
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from fastapi.testclient import TestClient
from wechatpy import events, messages
from wechatpy.crypto import WeChatCrypto

from bot.channels.wechat.protocol import WeChatKeys

KEYS = WeChatKeys(token="security-test-token", app_id="wx1234567890abcdef",
                  aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def text_xml(openid: str = "oResident0000000000000000001", text: str = "低保怎么申请", msg_id: object = 1234567890,
             created: object = None, **fields: object) -> str:
    """A text message; a field given as None is left out, any other value goes in as it is."""
    values = {"ToUserName": "<![CDATA[gh_jiuzhu]]>", "FromUserName": f"<![CDATA[{openid}]]>",
              "CreateTime": int(time.time()) if created is None else created, "MsgType": "<![CDATA[text]]>",
              "Content": f"<![CDATA[{text}]]>", "MsgId": msg_id, **fields}
    return "<xml>" + "".join(f"<{k}>{v}</{k}>" for k, v in values.items() if v is not None) + "</xml>"


@dataclass
class Signed:
    """One request's query string and body."""

    params: dict[str, str]
    body: bytes


def fresh_nonce() -> str:
    return str(secrets.randbelow(9_000_000_000) + 1_000_000_000)  # WeChat's are 10 digits


def plaintext(body: bytes | str, timestamp: str | None = None, nonce: str | None = None) -> Signed:
    """Every request its own nonce unless told: a signed query is good for one body only."""
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    nonce = fresh_nonce() if nonce is None else nonce
    body = body.encode("utf-8") if isinstance(body, str) else body
    return Signed({"signature": sign(KEYS.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}, body)


def encrypted(xml: str | None = None, *, encrypt: str | None = None, envelope: str | None = None,
              app_id: str = KEYS.app_id, timestamp: str | None = None, nonce: str | None = None) -> Signed:
    """Safe mode: `xml` sealed by wechatpy (under `app_id`), or `encrypt` as the ciphertext as it is, in
    `envelope` (default WeChat's) — every signature correct."""
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    nonce = fresh_nonce() if nonce is None else nonce
    if encrypt is None:
        sealed = WeChatCrypto(KEYS.token, KEYS.aes_key, app_id).encrypt_message(xml or "", nonce, timestamp)
        encrypt = xmltodict.parse(sealed)["xml"]["Encrypt"]
    body = envelope if envelope is not None else (
        f"<xml><ToUserName><![CDATA[gh_jiuzhu]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
    return Signed({"signature": sign(KEYS.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                   "encrypt_type": "aes", "msg_signature": sign(KEYS.token, timestamp, nonce, encrypt)},
                  body.encode("utf-8"))


def sealed_raw(plain: bytes) -> str:
    """AES-CBC of `plain` exactly as given (no padding added): WeChat's cipher with wrong insides."""
    key = base64.b64decode(KEYS.aes_key + "=")
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def payload(xml: bytes, app_id: bytes = KEYS.app_id.encode(), pad: int | None = None) -> bytes:
    """WeChat's plaintext layout: 16 random bytes, the length, the XML, the app id, PKCS#7 to 32 bytes
    (or every padding byte = `pad`)."""
    body = os.urandom(16) + struct.pack(">I", len(xml)) + xml + app_id
    n = 32 - len(body) % 32
    return body + bytes([n if pad is None else pad]) * n


def post(client: TestClient, request: Signed, **params: str):
    return client.post("/wechat", params={**request.params, **params}, content=request.body,
                       headers={"Content-Type": "text/xml"})


def passive(response) -> str | None:
    """The text of a plaintext passive reply."""
    if not response.text.startswith("<"):
        return None
    return xmltodict.parse(response.text)["xml"].get("Content")


@pytest.fixture(scope="module")
def wechat_app(tmp_path_factory):
    """The app with the test keys, a throw-away database and nothing listening where the engine, the app
    itself and WeChat's API would be, and a body cap of 256 KiB. Text is answered by a stand-in for the conversation
    ("答：" + the text) and recorded in `client.heard` as (openid, text); other messages get the real answers."""
    from bot.app import create_app
    from bot.db import session as db
    from bot.settings import get_settings
    from tests.conftest import free_port

    cached = (get_settings, db.get_engine, db.get_sessionmaker)
    var = tmp_path_factory.mktemp("wechat")
    nowhere = f"http://127.0.0.1:{free_port()}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATABASE_URL", f"sqlite:///{var / 'app.db'}")
        for name in ("ENGINE_URL", "APP_URL", "WECHAT_API_BASE"):
            env.setenv(name, nowhere)
        for function in cached:
            function.cache_clear()
        # a cap above the default 64 KiB: XML nested 10,000 deep (70 kB) must reach the parser
        settings = replace(get_settings(), env="test", engine_timeout_s=0.5, wechat_token=KEYS.token,
                           wechat_app_id=KEYS.app_id, wechat_aes_key=KEYS.aes_key, wechat_require_aes_flag="",
                           wechat_max_body_bytes=256 * 1024)
        app = create_app(settings)
        gateway = app.state.services.wechat
        heard: list[tuple[str, str]] = []
        real_answer = gateway._answer

        async def answer(message) -> list[str]:
            if isinstance(message, messages.TextMessage):
                heard.append((message.source, message.content))
                return ["答：" + (message.content or "")]
            if isinstance(message, (events.SubscribeEvent, events.ClickEvent)):
                return ["事件：" + message.event]
            return await real_answer(message)

        gateway._answer = answer
        with TestClient(app) as client:
            client.heard = heard
            client.gateway = gateway
            client.settings = settings
            yield client
    for function in cached:
        function.cache_clear()
