"""The WeChat official-account server protocol, with wechatpy: signatures, replay window, safe-mode AES,
safe XML parsing, passive replies that fit WeChat's size limit.

Everything here is pure (no database, no network); bot/channels/wechat/gateway.py decides what to answer.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass

from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.messages import BaseMessage
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

PASSIVE_LIMIT_BYTES = 2048        # WeChat drops a passive text reply longer than this (UTF-8 bytes)
_DANGEROUS_XML = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")


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
    try:
        sent = int(query.timestamp)
    except ValueError:
        raise ProtocolError(403, "timestamp is not a number") from None
    if abs((now or time.time()) - sent) > window_s:
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
        return body.decode("utf-8", errors="replace")
    if not keys.aes_key:
        raise ProtocolError(400, "encrypted message but no WECHAT_AES_KEY configured")
    crypto = WeChatCrypto(keys.token, keys.aes_key, keys.app_id)
    try:
        plain = crypto.decrypt_message(body, query.msg_signature or "", query.timestamp, query.nonce)
    except InvalidSignatureException:
        raise ProtocolError(403, "msg_signature does not match") from None
    except Exception as exc:  # wechatpy raises assorted errors for bad ciphertext, app id or XML
        raise ProtocolError(400, f"cannot decrypt: {type(exc).__name__}") from None
    return _safe(plain.encode("utf-8") if isinstance(plain, str) else plain).decode("utf-8")


def parse(xml: str) -> BaseMessage:
    try:
        message = parse_message(_safe(xml.encode("utf-8")))
    except Exception as exc:  # expat / xmltodict errors, missing MsgType…
        raise ProtocolError(400, f"malformed XML: {type(exc).__name__}") from None
    if message is None:
        raise ProtocolError(400, "empty message")
    return message


def cdata_safe(text: str) -> str:
    """Our text goes into CDATA: a "]]>" inside it (a resident's words quoted back) would end it early."""
    return text.replace("]]>", "]]〉")


def fit_passive(messages: list[str]) -> tuple[str, list[str]]:
    """One passive reply ≤ 2,048 bytes (the messages joined, cut on sentence ends), and the rest,
    which goes out through the customer-service API."""
    passive, rest = "", []
    joined = "\n\n".join(messages)
    if len(joined.encode("utf-8")) <= PASSIVE_LIMIT_BYTES:
        return joined, []
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
    """The messages joined into as few texts of ≤ 2,048 bytes as possible (for the customer-service API)."""
    out, rest = [], [m for m in messages if m]
    while rest:
        head, rest = fit_passive(rest)
        out.append(head)
    return out


def reply_xml(keys: WeChatKeys, query: Query, message: BaseMessage, text: str) -> str:
    """A passive text reply, encrypted when the request was."""
    xml = TextReply(message=message, content=cdata_safe(text)).render()
    if not query.encrypted:
        return xml
    crypto = WeChatCrypto(keys.token, keys.aes_key, keys.app_id)
    return crypto.encrypt_message(xml, query.nonce, query.timestamp)
