"""The WeChat protocol layer against what wechatpy itself produces (signatures, AES, XML)."""
from __future__ import annotations

import hashlib
import time

import pytest
import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.messages import TextMessage

from bot.channels.wechat.protocol import (
    PASSIVE_LIMIT_BYTES, ProtocolError, Query, WeChatKeys, blocks, cdata_safe, fit_passive, open_body, parse, reply_xml,
    verify,
)

KEYS = WeChatKeys(token="jiuzhu-test-token", app_id="wx1234567890abcdef",
                  aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
TEXT = ("<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[oResident001]]></FromUserName>"
        "<CreateTime>{t}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[低保怎么申请]]></Content>"
        "<MsgId>1234567890123456</MsgId></xml>")


def signed(timestamp: str | None = None, nonce: str = "n0nce", **extra) -> Query:
    timestamp = timestamp or str(int(time.time()))
    signature = hashlib.sha1("".join(sorted([KEYS.token, timestamp, nonce])).encode()).hexdigest()
    return Query(signature=signature, timestamp=timestamp, nonce=nonce, **extra)


def test_a_correct_signature_passes():
    verify(KEYS, signed(), window_s=300)


@pytest.mark.parametrize("query", [
    Query(signature="0" * 40, timestamp=str(int(time.time())), nonce="n"),
    signed(timestamp=str(int(time.time()) - 3600)),            # a replay an hour later
    signed(timestamp=str(int(time.time()) + 3600)),
])
def test_forged_or_stale_requests_are_refused(query):
    with pytest.raises(ProtocolError) as caught:
        verify(KEYS, query, window_s=300)
    assert caught.value.status == 403


def test_plaintext_message_parses():
    xml = TEXT.format(t=int(time.time()))
    message = parse(open_body(KEYS, signed(), xml.encode()))
    assert isinstance(message, TextMessage) and message.content == "低保怎么申请" and message.id == 1234567890123456


def encrypted_request(xml: str) -> tuple[Query, bytes]:
    """What WeChat sends in safe mode, produced by wechatpy's own crypto."""
    timestamp, nonce = str(int(time.time())), "safeNonce"
    crypto = WeChatCrypto(KEYS.token, KEYS.aes_key, KEYS.app_id)
    packed = xmltodict.parse(crypto.encrypt_message(xml, nonce, timestamp))["xml"]  # Encrypt, MsgSignature
    body = f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><Encrypt><![CDATA[{packed['Encrypt']}]]></Encrypt></xml>"
    query = signed(timestamp, nonce, msg_signature=packed["MsgSignature"], encrypt_type="aes")
    return query, body.encode()


def test_aes_round_trip_with_wechatpy():
    query, body = encrypted_request(TEXT.format(t=int(time.time())))
    message = parse(open_body(KEYS, query, body))
    assert message.content == "低保怎么申请"
    reply = reply_xml(KEYS, query, message, "您好")
    crypto = WeChatCrypto(KEYS.token, KEYS.aes_key, KEYS.app_id)
    packed = xmltodict.parse(reply)["xml"]
    plain = crypto.decrypt_message(reply, packed["MsgSignature"], packed["TimeStamp"], packed["Nonce"])
    assert "<![CDATA[您好]]>" in plain and "<ToUserName><![CDATA[oResident001]]>" in plain


def test_a_wrong_msg_signature_is_refused():
    query, body = encrypted_request(TEXT.format(t=int(time.time())))
    forged = Query(**{**query.__dict__, "msg_signature": "0" * 40})
    with pytest.raises(ProtocolError) as caught:
        open_body(KEYS, forged, body)
    assert caught.value.status == 403


@pytest.mark.parametrize("body", [
    b"<xml><ToUserName>gh", b"not xml at all", b"", b"<xml></xml>",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>',
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b"<xml><Content>&lol2;</Content></xml>",
])
def test_malformed_or_dangerous_xml_is_a_bad_request(body):
    with pytest.raises(ProtocolError) as caught:
        parse(open_body(KEYS, signed(), body))
    assert caught.value.status == 400


def test_cdata_end_in_our_text_cannot_break_the_reply():
    message = parse(open_body(KEYS, signed(), TEXT.format(t=1).encode()))
    xml = reply_xml(KEYS, signed(), message, "a]]><evil/>b")
    assert parse(xml)._data["Content"] == cdata_safe("a]]><evil/>b") and "<evil/>" not in parse(xml)._data


def test_short_answers_go_out_whole_in_one_passive_reply():
    passive, rest = fit_passive(["第一条。", "第二条。"])
    assert passive == "第一条。\n\n第二条。" and rest == []


def test_long_answers_split_on_message_then_sentence_boundaries():
    messages = ["甲" * 300 + "。", "乙" * 300 + "。", "丙" * 300 + "。"]
    passive, rest = fit_passive(messages)
    assert len(passive.encode()) <= PASSIVE_LIMIT_BYTES and passive.startswith("甲") and rest[-1] == messages[-1]
    assert "".join([passive.replace("\n\n", ""), *rest]) == "".join(messages)
    one = "。".join(["句子" * 50] * 10) + "。"
    passive, rest = fit_passive([one])
    assert len(passive.encode()) <= PASSIVE_LIMIT_BYTES and passive.endswith("。") and passive + rest[0] == one


def test_customer_service_blocks_keep_everything_in_order():
    messages = ["一" * 300, "二" * 300, "三" * 300, "短。"]
    out = blocks(messages)
    assert all(len(b.encode()) <= PASSIVE_LIMIT_BYTES for b in out) and len(out) == 2
    assert "".join(b.replace("\n\n", "") for b in out) == "".join(messages)
