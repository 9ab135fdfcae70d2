"""WeChat's servers, played towards our gateway: messages and events as WeChat pushes them.

The XML is built field by field as WeChat sends it (CDATA where WeChat uses CDATA), every request is
signed (`signature` = sha1 of the sorted token, timestamp and nonce), safe mode wraps the message in an
AES `<Encrypt>` envelope with `msg_signature`, and a request that gets no answer within `timeout_s` (or
whose connection fails) is sent again — the same message, with a new timestamp, nonce and signature —
up to `retries` more times, as WeChat does.
"""
from __future__ import annotations

import asyncio
import re
import secrets
import string
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import httpx
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.events import BaseEvent
from wechatpy.utils import WeChatSigner

from bot.channels.wechat.protocol import PASSIVE_LIMIT_BYTES, WeChatKeys

# WeChat writes most event names in lower case and the menu ones in upper case
_EVENT_NAMES = {"subscribe": "subscribe", "unsubscribe": "unsubscribe", "click": "CLICK", "view": "VIEW",
                "scan": "SCAN", "location": "LOCATION"}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FROM_USER = re.compile(r"<FromUserName>\s*(?:<!\[CDATA\[)?([^<\]]*)")
HEADERS = {"Content-Type": "text/xml", "User-Agent": "Mozilla/4.0", "Accept": "*/*", "Pragma": "no-cache"}


@dataclass
class Delivery:
    """What one message's delivery came to, after WeChat's retries.

    status is the HTTP status of the answer (0 when no attempt got one); passive is the text of the
    passive reply (decrypted in safe mode), None for `success` / an empty body / an error status;
    problem says why WeChat would not show the reply to the follower ("该公众号暂时无法提供服务").
    """

    msg_key: str
    attempts: int
    status: int
    passive: str | None
    raw: str
    elapsed_s: float
    problem: str | None = None


def sign(*parts: str) -> str:
    """WeChat's signature: sha1 of the sorted parts, concatenated."""
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def cdata(text: str) -> str:
    """Text as WeChat puts it in CDATA: characters XML forbids dropped, a "]]>" split across two sections."""
    text = _XML_INVALID.sub("", text)
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _nonce() -> str:
    return str(secrets.randbelow(9_000_000_000) + 1_000_000_000)  # WeChat's nonces are 10 digits


def _media_id() -> str:
    alphabet = string.ascii_letters + string.digits + "-_"
    return "".join(secrets.choice(alphabet) for _ in range(64))


def _number(value: float) -> str:
    return f"{value:.6f}"


def msg_key(xml: str) -> str:
    """The key the gateway dedupes on: FromUserName + MsgId for messages (a MsgId is unique per follower
    only), FromUserName:CreateTime:Event:EventKey for events."""
    try:
        message = parse_message(xml)
    except Exception:
        return ""
    if message is None:
        return ""
    if isinstance(message, BaseEvent):
        event, button = getattr(message, "event", "event"), getattr(message, "key", None) or ""
        return f"{message.source}:{message.time}:{event}:{button}"
    return f"msg:{message.source}:{message.id}"


class WeChatSimulator:
    def __init__(self, gateway_url: str, keys: WeChatKeys, encrypted: bool = False, timeout_s: float = 5.0,
                 retries: int = 3, to_user: str = "gh_jiuzhu_sim", *,
                 transport: httpx.AsyncBaseTransport | None = None):
        """transport: for tests (httpx.MockTransport / ASGITransport) instead of the network."""
        if encrypted and not keys.aes_key:
            raise ValueError("safe mode needs the EncodingAESKey (keys.aes_key)")
        self.gateway_url = gateway_url
        self.keys = keys
        self.encrypted = encrypted
        self.timeout_s = timeout_s
        self.retries = retries
        self.to_user = to_user
        self._crypto = WeChatCrypto(keys.token, keys.aes_key, keys.app_id) if keys.aes_key else None
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout_s), trust_env=False, transport=transport)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> "WeChatSimulator":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    # -- messages, as WeChat builds them ----------------------------------------------------------
    def _head(self, openid: str, msg_type: str) -> str:
        return (f"<xml><ToUserName>{cdata(self.to_user)}</ToUserName><FromUserName>{cdata(openid)}</FromUserName>"
                f"<CreateTime>{int(time.time())}</CreateTime><MsgType>{cdata(msg_type)}</MsgType>")

    @staticmethod
    def _msg_id(msg_id: int | None) -> str:
        return f"<MsgId>{msg_id if msg_id is not None else (secrets.randbits(64) or 1)}</MsgId></xml>"

    def text_xml(self, openid: str, text: str, msg_id: int | None = None) -> str:
        return self._head(openid, "text") + f"<Content>{cdata(text)}</Content>" + self._msg_id(msg_id)

    def voice_xml(self, openid: str, recognition: str | None, msg_id: int | None = None) -> str:
        # Recognition is there only when the account has speech recognition on (empty if it heard nothing)
        heard = f"<Recognition>{cdata(recognition)}</Recognition>" if recognition is not None else ""
        return (self._head(openid, "voice") + f"<MediaId>{cdata(_media_id())}</MediaId><Format>{cdata('amr')}</Format>"
                + heard + self._msg_id(msg_id))

    def image_xml(self, openid: str, msg_id: int | None = None) -> str:
        pic = f"http://mmbiz.qpic.cn/mmbiz_jpg/{secrets.token_hex(16)}/0"
        return (self._head(openid, "image") + f"<PicUrl>{cdata(pic)}</PicUrl><MediaId>{cdata(_media_id())}</MediaId>"
                + self._msg_id(msg_id))

    def video_xml(self, openid: str, msg_id: int | None = None) -> str:
        return (self._head(openid, "video") + f"<MediaId>{cdata(_media_id())}</MediaId>"
                f"<ThumbMediaId>{cdata(_media_id())}</ThumbMediaId>" + self._msg_id(msg_id))

    def location_xml(self, openid: str, x: float, y: float, label: str, msg_id: int | None = None) -> str:
        return (self._head(openid, "location") + f"<Location_X>{_number(x)}</Location_X>"
                f"<Location_Y>{_number(y)}</Location_Y><Scale>15</Scale><Label>{cdata(label)}</Label>"
                + self._msg_id(msg_id))

    def link_xml(self, openid: str, title: str, url: str, msg_id: int | None = None) -> str:
        return (self._head(openid, "link") + f"<Title>{cdata(title)}</Title><Description>{cdata(title)}</Description>"
                f"<Url>{cdata(url)}</Url>" + self._msg_id(msg_id))

    def event_xml(self, openid: str, event: str, key: str | None = None) -> str:
        name = _EVENT_NAMES.get(event.lower(), event)
        if name in ("CLICK", "VIEW") and not key:
            raise ValueError(f"a {name} event needs a key")
        event_key = f"<EventKey>{cdata(key)}</EventKey>" if key is not None else ""
        return self._head(openid, "event") + f"<Event>{cdata(name)}</Event>" + event_key + "</xml>"

    # -- sending -----------------------------------------------------------------------------------
    async def send_text(self, openid: str, text: str, msg_id: int | None = None) -> Delivery:
        return await self._deliver(self.text_xml(openid, text, msg_id), openid)

    async def send_voice(self, openid: str, recognition: str | None, msg_id: int | None = None) -> Delivery:
        return await self._deliver(self.voice_xml(openid, recognition, msg_id), openid)

    async def send_image(self, openid: str, msg_id: int | None = None) -> Delivery:
        return await self._deliver(self.image_xml(openid, msg_id), openid)

    async def send_location(self, openid: str, x: float, y: float, label: str, msg_id: int | None = None) -> Delivery:
        return await self._deliver(self.location_xml(openid, x, y, label, msg_id), openid)

    async def send_link(self, openid: str, title: str, url: str, msg_id: int | None = None) -> Delivery:
        return await self._deliver(self.link_xml(openid, title, url, msg_id), openid)

    async def send_video(self, openid: str, msg_id: int | None = None) -> Delivery:
        return await self._deliver(self.video_xml(openid, msg_id), openid)

    async def send_event(self, openid: str, event: str, key: str | None = None) -> Delivery:
        return await self._deliver(self.event_xml(openid, event, key), openid)

    async def send_raw(self, xml: str, *, msg_id_for_log: str = "", sign: bool = True, timestamp: str | None = None,
                       nonce: str | None = None) -> Delivery:
        """Any body (forged, stale, malformed…): signed unless sign=False, encrypted in safe mode; the given
        timestamp / nonce are used on every attempt."""
        found = _FROM_USER.search(xml)
        return await self._deliver(xml, found.group(1) if found else None, key=msg_id_for_log, signed=sign,
                                   timestamp=timestamp, nonce=nonce)

    async def verify_url(self) -> str:
        """The server-URL handshake (GET with echostr); the body of the answer (our echostr if it passed)."""
        timestamp, nonce = str(int(time.time())), _nonce()
        echostr = str(secrets.randbits(63))
        response = await self._client.get(self.gateway_url, params={
            "signature": sign(self.keys.token, timestamp, nonce), "echostr": echostr,
            "timestamp": timestamp, "nonce": nonce}, headers={"User-Agent": "Mozilla/4.0"})
        return response.text

    def envelope(self, xml: str, openid: str | None, timestamp: str, nonce: str,
                 signed: bool = True) -> tuple[dict[str, str], bytes]:
        """The query string and body of one attempt."""
        params: dict[str, str] = {}
        if signed:
            params["signature"] = sign(self.keys.token, timestamp, nonce)
        params.update(timestamp=timestamp, nonce=nonce)
        if openid:
            params["openid"] = openid
        if not self.encrypted:
            return params, xml.encode("utf-8")
        sealed = ET.fromstring(self._crypto.encrypt_message(xml, nonce, timestamp))
        encrypt = sealed.findtext("Encrypt") or ""
        params["encrypt_type"] = "aes"
        if signed:
            params["msg_signature"] = sealed.findtext("MsgSignature") or ""
        body = f"<xml><ToUserName>{cdata(self.to_user)}</ToUserName><Encrypt>{cdata(encrypt)}</Encrypt></xml>"
        return params, body.encode("utf-8")

    async def _deliver(self, xml: str, openid: str | None, key: str | None = None, signed: bool = True,
                       timestamp: str | None = None, nonce: str | None = None) -> Delivery:
        key = msg_key(xml) if key is None else key
        started = time.monotonic()
        attempts = 0
        for attempt in range(self.retries + 1):
            attempts += 1
            params, body = self.envelope(xml, openid, timestamp or str(int(time.time())), nonce or _nonce(), signed)
            try:
                response = await asyncio.wait_for(
                    self._client.post(self.gateway_url, params=params, content=body, headers=HEADERS), self.timeout_s)
            except (asyncio.TimeoutError, httpx.TransportError):
                if attempt < self.retries:
                    await asyncio.sleep(0.05)
                continue
            passive, problem = self._read(response, openid)
            return Delivery(key, attempts, response.status_code, passive, response.text,
                            round(time.monotonic() - started, 3), problem)
        return Delivery(key, attempts, 0, None, "", round(time.monotonic() - started, 3),
                        f"no answer within {self.timeout_s:g} s, {attempts} attempts")

    def _read(self, response: httpx.Response, openid: str | None) -> tuple[str | None, str | None]:
        """The passive reply's text, and why WeChat would refuse it (None if it would show it)."""
        raw = response.text
        if response.status_code != 200:
            return None, f"HTTP {response.status_code}"
        if raw.strip() in ("", "success"):
            return None, None
        try:
            reply = ET.fromstring(raw)
        except ET.ParseError:
            return None, "the reply is not XML"
        if self.encrypted:
            if reply.find("Encrypt") is None:
                return None, "a plaintext reply to an encrypted message"
            try:
                plain = self._crypto.decrypt_message(raw, reply.findtext("MsgSignature") or "",
                                                     reply.findtext("TimeStamp") or "", reply.findtext("Nonce") or "")
                reply = ET.fromstring(plain)
            except Exception as exc:  # wrong msg_signature, key or app id
                return None, f"cannot decrypt the reply: {type(exc).__name__}"
        content = reply.findtext("Content")
        problems = []
        if reply.findtext("MsgType") != "text":
            problems.append(f"reply type {reply.findtext('MsgType')!r}")
        if openid and reply.findtext("ToUserName") != openid:
            problems.append("reply ToUserName is not the follower")
        if reply.findtext("FromUserName") != self.to_user:
            problems.append("reply FromUserName is not the account")
        if content is not None and len(content.encode("utf-8")) > PASSIVE_LIMIT_BYTES:
            problems.append(f"reply of {len(content.encode('utf-8'))} bytes (over {PASSIVE_LIMIT_BYTES})")
        return content, "; ".join(problems) or None
