"""The WeChat official-account server protocol, with wechatpy: signatures, replay window, safe-mode AES,
safe XML parsing, passive replies that fit WeChat's size limit.

Everything here is pure (no database, no network); bot/channels/wechat/gateway.py decides what to answer.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass

import xmltodict
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.events import BaseEvent
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.fields import BaseField
from wechatpy.messages import BaseMessage
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

PASSIVE_LIMIT_BYTES = 2048        # WeChat drops a passive text reply longer than this (UTF-8 bytes)
MAX_DEPTH = 6                     # nesting of the parsed message; WeChat's deepest (a shake-around event) has 4
_DANGEROUS_XML = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")
_TIMESTAMP = re.compile(r"[0-9]{1,10}")      # Unix seconds (10 digits last until the year 2286)
_USER = re.compile(r"[A-Za-z0-9_-]{1,64}")   # an openid (28 characters), the account's id (gh_…)
_MSG_ID = re.compile(r"[0-9]{1,20}")         # a 64-bit number


class ProtocolError(Exception):
    """A request WeChat would never send: answered with `status` and logged with `reason`."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class WeChatKeys:
    token: str
    app_id: str
    aes_key: str | None  # EncodingAESKey (43 chars); None = plaintext mode only


@dataclass(frozen=True)
class Query:
    """The query string WeChat signs every request with."""

    signature: str
    timestamp: str
    nonce: str
    msg_signature: str | None = None
    encrypt_type: str | None = None
    echostr: str | None = None

    @property
    def encrypted(self) -> bool:
        return (self.encrypt_type or "").lower() == "aes"


def verify(keys: WeChatKeys, query: Query, window_s: int, now: float | None = None) -> None:
    """Reject a forged request (wrong signature) or a stale one (timestamp outside the replay window)."""
    try:
        check_signature(keys.token, query.signature, query.timestamp, query.nonce)
    except InvalidSignatureException:
        raise ProtocolError(403, "signature does not match") from None
    if not _TIMESTAMP.fullmatch(query.timestamp):
        raise ProtocolError(400, "timestamp is not a Unix time")
    if abs((now or time.time()) - int(query.timestamp)) > window_s:
        raise ProtocolError(403, "timestamp outside the replay window")


def _safe(xml: bytes) -> bytes:
    # WeChat never sends a DTD: refusing one rules out XXE and entity expansion (billion laughs)
    if _DANGEROUS_XML.search(xml):
        raise ProtocolError(400, "XML with a DTD or entity declaration")
    return xml


def open_body(keys: WeChatKeys, query: Query, body: bytes) -> str:
    """The message XML: decrypted (and its msg_signature checked) in safe mode."""
    _safe(body)
    if not query.encrypted:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "body is not UTF-8") from None
    if not keys.aes_key:
        raise ProtocolError(400, "encrypted message but no WECHAT_AES_KEY configured")
    try:  # the ciphertext exactly as sent (wechatpy's own parse strips it: the signature would not match)
        encrypt = xmltodict.parse(body, strip_whitespace=False)["xml"].get("Encrypt")
    except Exception as exc:
        raise ProtocolError(400, f"malformed envelope: {type(exc).__name__}") from None
    if not isinstance(encrypt, str):  # missing, empty (None), markup inside, repeated
        raise ProtocolError(400, "envelope without Encrypt")
    crypto = WeChatCrypto(keys.token, keys.aes_key, keys.app_id)
    try:
        plain = crypto.decrypt_message({"Encrypt": encrypt}, query.msg_signature or "", query.timestamp, query.nonce)
    except InvalidSignatureException:
        raise ProtocolError(403, "msg_signature does not match") from None
    except Exception as exc:  # wechatpy raises assorted errors for bad ciphertext, padding, app id or XML
        raise ProtocolError(400, f"cannot decrypt: {type(exc).__name__}") from None
    return _safe(plain.encode("utf-8")).decode("utf-8")  # wechatpy gives text (it decoded the UTF-8 itself)


def parse(xml: str) -> BaseMessage:
    """The message, with every field the gateway reads checked: anything WeChat would never send is a
    ProtocolError(400), never an exception further on."""
    raw = _safe(xml.encode("utf-8"))
    try:
        message = parse_message(raw)
    except Exception as exc:  # expat / xmltodict errors, missing MsgType…
        raise ProtocolError(400, f"malformed XML: {type(exc).__name__}") from None
    if message is None:
        raise ProtocolError(400, "empty message")
    _check(message)
    return message


def _too_deep(tree: object) -> bool:
    """Whether the parsed XML nests deeper than MAX_DEPTH below <xml> (iteratively, depth first: a
    10,000-deep body is found out after MAX_DEPTH steps down, and never exhausts the stack)."""
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return False


def _check(message: BaseMessage) -> None:
    data = message._data
    if _too_deep(data):
        raise ProtocolError(400, "XML nested too deep")
    for name, pattern in (("ToUserName", _USER), ("FromUserName", _USER), ("CreateTime", _TIMESTAMP)):
        if not isinstance(data.get(name), str) or not pattern.fullmatch(data[name]):
            raise ProtocolError(400, f"{name} missing or malformed")
    if not is_event(message) and not (isinstance(data.get("MsgId"), str) and _MSG_ID.fullmatch(data["MsgId"])
                                      and int(data["MsgId"]) < 2 ** 64):
        raise ProtocolError(400, "MsgId missing or malformed")
    for attr, spec in type(message)._fields.items():  # the rest: text where wechatpy converts, and convertible
        value = data.get(spec.name)
        if value is None or type(spec) is BaseField:  # BaseField: a nested structure wechatpy keeps as it is
            continue
        try:
            if not isinstance(value, str):
                raise TypeError("not text")
            getattr(message, attr)
        except Exception as exc:
            raise ProtocolError(400, f"{spec.name} malformed: {type(exc).__name__}") from None


def is_event(message: BaseMessage) -> bool:
    """An event (subscribe, a menu click…), also one wechatpy does not know (it makes those UnknownMessage)."""
    return isinstance(message, BaseEvent) or str(message._data.get("MsgType", "")).lower() == "event"


def cdata_safe(text: str) -> str:
    """Our text goes into CDATA: a "]]>" inside it (a resident's words quoted back) would end it early."""
    return text.replace("]]>", "]]〉")


def fit_passive(messages: list[str]) -> tuple[str, list[str]]:
    """One passive reply ≤ 2,048 bytes (the messages joined, cut on sentence ends), and the rest,
    which goes out through the customer-service API."""
    passive, rest = "", []
    for n, message in enumerate(messages):
        candidate = (passive + "\n\n" + message) if passive else message
        if len(candidate.encode("utf-8")) <= PASSIVE_LIMIT_BYTES:
            passive = candidate
            continue
        if not passive:  # a single message over the limit: cut it on sentence ends
            head = ""
            for piece in _SENTENCE_END.split(message):
                if len((head + piece).encode("utf-8")) > PASSIVE_LIMIT_BYTES:
                    break
                head += piece
            head = head or message.encode("utf-8")[:PASSIVE_LIMIT_BYTES].decode("utf-8", errors="ignore")
            return head.rstrip(), [message[len(head):].lstrip()] + messages[n + 1:]
        rest = messages[n:]
        break
    return passive, rest


def blocks(messages: list[str]) -> list[str]:
    """The messages joined into as few texts of ≤ 2,048 bytes as possible (for the customer-service API),
    none of them blank (WeChat refuses an empty text: 44004)."""
    out, rest = [], messages
    while rest := [m for m in rest if m.strip()]:  # a cut may leave only the blanks that ended a message
        head, rest = fit_passive(rest)
        if head:
            out.append(head)
    return out


def reply_xml(keys: WeChatKeys, query: Query, message: BaseMessage, text: str) -> str:
    """A passive text reply, encrypted when the request was."""
    xml = TextReply(message=message, content=cdata_safe(text)).render()
    if not query.encrypted:
        return xml
    crypto = WeChatCrypto(keys.token, keys.aes_key, keys.app_id)
    return crypto.encrypt_message(xml, query.nonce, query.timestamp)
