"""The WeChat protocol layer against what wechatpy itself produces (signatures, AES, XML)."""
from __future__ import annotations

import hashlib
import time

import pytest
import xmltodict
from wechatpy import parse_message
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
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    signature = hashlib.sha1("".join(sorted([KEYS.token, timestamp, nonce])).encode()).hexdigest()
    return Query(signature=signature, timestamp=timestamp, nonce=nonce, **extra)


def test_a_correct_signature_passes():
    verify(KEYS, signed(), window_s=300)


@pytest.mark.parametrize("query", [
    Query(signature="0" * 40, timestamp=str(int(time.time())), nonce="n"),
    Query(signature="0" * 40, timestamp="9" * 400, nonce="n"),  # the signature is checked first
    signed(timestamp=str(int(time.time()) - 3600)),            # a replay an hour later
    signed(timestamp=str(int(time.time()) + 3600)),
])
def test_forged_or_stale_requests_are_refused(query):
    with pytest.raises(ProtocolError) as caught:
        verify(KEYS, query, window_s=300)
    assert caught.value.status == 403


@pytest.mark.parametrize("offset", [-300, -299, 0, 299, 300])
def test_the_edges_of_the_replay_window_pass(offset):
    now = 1_700_000_000
    verify(KEYS, signed(timestamp=str(now + offset)), window_s=300, now=now)


@pytest.mark.parametrize("offset", [-301, 301])
def test_just_outside_the_replay_window_is_refused(offset):
    now = 1_700_000_000
    with pytest.raises(ProtocolError) as caught:
        verify(KEYS, signed(timestamp=str(now + offset)), window_s=300, now=now)
    assert (caught.value.status, caught.value.reason) == (403, "timestamp outside the replay window")


@pytest.mark.parametrize("timestamp", ["9" * 400, "99999999999", "abc", "-1", "1e9", "", " 1700000000", "１７００"])
def test_a_signed_timestamp_that_is_no_unix_time_is_a_bad_request(timestamp):
    with pytest.raises(ProtocolError) as caught:
        verify(KEYS, signed(timestamp=timestamp), window_s=300, now=1_700_000_000)
    assert (caught.value.status, caught.value.reason) == (400, "timestamp is not a Unix time")


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
    b"<xml><ToUserName>gh", b"not xml at all", b"", b"<xml></xml>", b"<xml>text</xml>", b"<notxml/>",
])
def test_malformed_xml_is_a_bad_request(body):
    with pytest.raises(ProtocolError) as caught:
        parse(open_body(KEYS, signed(), body))
    assert caught.value.status == 400


# Each is a complete, valid text message but for its DTD, and the reason must be the guard's: without the
# guard the first three are accepted as they are (the DTD ignored, an external one never fetched) and
# xmltodict refuses the rest for another reason ("entities are disabled", a syntax error).
VALID = TEXT.format(t=1700000000)
DTD_BODIES = {
    "doctype": "<!DOCTYPE xml>" + VALID,
    "internal-subset": "<!DOCTYPE xml [<!ELEMENT xml ANY>]>" + VALID,
    "external-dtd": '<!DOCTYPE xml SYSTEM "http://127.0.0.1:9/x.dtd">' + VALID,
    "xxe": '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           + VALID.replace("低保怎么申请", "&xxe;"),
    "laughs": '<!DOCTYPE xml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              + VALID.replace("<![CDATA[低保怎么申请]]>", "&lol2;"),
    "lower-case": '<!doctype xml><!entity x "y">' + VALID,
    "entity-only": '<!ENTITY x "y">' + VALID,
}
DTD_REASON = "XML with a DTD or entity declaration"


def test_the_dtd_bodies_are_valid_messages_but_for_the_dtd():
    assert parse(VALID).content == "低保怎么申请"
    for name in ("doctype", "internal-subset", "external-dtd"):  # what wechatpy makes of them on its own
        assert parse_message(DTD_BODIES[name]).content == "低保怎么申请"
    assert all(body.endswith(VALID) or "&" in body for body in DTD_BODIES.values())


@pytest.mark.parametrize("name", DTD_BODIES)
def test_a_dtd_is_refused_by_the_guard_wherever_it_comes_in(name):
    body = DTD_BODIES[name]
    for step in (lambda: open_body(KEYS, signed(), body.encode()),  # the plaintext body
                 lambda: parse(body),                                 # the XML, however it was opened
                 lambda: open_body(KEYS, *encrypted_request(body))):  # inside the AES envelope
        with pytest.raises(ProtocolError) as caught:
            step()
        assert (caught.value.status, caught.value.reason) == (400, DTD_REASON)


def test_a_dtd_on_the_envelope_is_refused_before_decrypting():
    query, body = encrypted_request(VALID)
    with pytest.raises(ProtocolError) as caught:
        open_body(KEYS, query, b'<!DOCTYPE xml [<!ENTITY e "x">]>' + body)
    assert (caught.value.status, caught.value.reason) == (400, DTD_REASON)


def test_cdata_end_in_our_text_cannot_break_the_reply():
    message = parse(open_body(KEYS, signed(), TEXT.format(t=1).encode()))
    xml = reply_xml(KEYS, signed(), message, "a]]><evil/>b")
    reply = xmltodict.parse(xml)["xml"]
    assert reply["Content"] == "a]]〉<evil/>b" == cdata_safe("a]]><evil/>b")
    assert set(reply) == {"ToUserName", "FromUserName", "CreateTime", "MsgType", "Content"}
    assert (reply["ToUserName"], reply["FromUserName"], reply["MsgType"]) == ("oResident001", "gh_test", "text")
    assert cdata_safe("]]>]]>") == "]]〉]]〉" and cdata_safe("普通的话") == "普通的话"


# WeChat's documented limit for a passive text reply is 2,048 bytes: checked against that figure, not the constant
@pytest.mark.parametrize("size", [2047, 2048])
def test_a_reply_up_to_2048_bytes_goes_out_whole(size):
    text = "救" * ((size - 2) // 3) + "a" * ((size - 2) % 3 + 2)
    assert len(text.encode()) == size
    assert fit_passive([text]) == (text, [])
    assert blocks([text]) == [text]


@pytest.mark.parametrize("size", [2049, 2560])
def test_a_reply_over_2048_bytes_is_cut_and_the_rest_follows(size):
    text = "救" * ((size - 2) // 3) + "a" * ((size - 2) % 3 + 2)
    assert len(text.encode()) == size
    passive, rest = fit_passive([text])
    assert 2040 < len(passive.encode()) <= 2048 and passive + "".join(rest) == text
    out = blocks([text])
    assert len(out) == 2 and all(len(b.encode()) <= 2048 for b in out) and "".join(out) == text


def test_two_messages_of_exactly_2048_bytes_together_are_one_reply():
    first, second = "a" * 1000, "b" * 1046  # + the blank line between them: 2,048
    assert fit_passive([first, second]) == (first + "\n\n" + second, [])
    assert fit_passive([first, second + "b"]) == (first, [second + "b"])
    assert PASSIVE_LIMIT_BYTES == 2048


def test_a_cut_keeps_whole_sentences_and_characters():
    sentences = ["这是第%d句话，说明一件事。" % n for n in range(200)]
    passive, rest = fit_passive(["".join(sentences)])
    assert passive.endswith("。") and len(passive.encode()) <= 2048 and passive + rest[0] == "".join(sentences)
    assert len((passive + sentences[len(passive) // len(sentences[0])]).encode()) > 2048  # as many as fit
    one = "救" * 1000  # no sentence end at all: cut on a character, never inside one
    passive, rest = fit_passive([one])
    assert passive == "救" * 682 and rest == ["救" * 318]


def test_every_message_arrives_in_order_after_an_oversized_one():
    messages = ["开头。", "长" * 1000 + "。", "紧跟着的一条。", "乙" * 300 + "。", "最后一条。"]
    out = blocks(messages)
    assert all(0 < len(b.encode()) <= 2048 for b in out)
    assert "".join(b.replace("\n\n", "") for b in out) == "".join(messages)
    passive, rest = fit_passive(messages[1:])  # the oversized one first: cut, and everything after it follows
    assert rest[1:] == messages[2:] and passive + rest[0] == messages[1]
    passive, rest = fit_passive(messages)
    assert passive == "开头。" and rest == messages[1:]


def test_no_blank_customer_service_message():
    assert blocks(["救" * 682 + " " * 10]) == ["救" * 682]  # the cut leaves only blanks
    assert blocks([" " * 3000 + "后面的字"]) == ["后面的字"]
    assert blocks(["", "  ", "\n"]) == [] and blocks([]) == []


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


def test_a_protocol_error_says_why():
    error = ProtocolError(400, "the reason")
    assert (error.status, error.reason, str(error)) == (400, "the reason", "the reason")


# -- every field the gateway reads is checked: a malformed message is a 400 with its reason ----------------------
def message_xml(msg_type: str = "text", **fields: str | None) -> str:
    """A valid message of `msg_type`; a field given as None is left out, any other replaces (or adds) it."""
    values = {"ToUserName": "gh_test", "FromUserName": "oResident001", "CreateTime": "1700000000",
              "MsgType": msg_type, **{"text": {"Content": "低保", "MsgId": "42"},
                                      "voice": {"MediaId": "m", "Format": "amr", "Recognition": "低保", "MsgId": "43"},
                                      "event": {"Event": "LOCATION", "Latitude": "43.5", "Longitude": "123.5"},
                                      }[msg_type], **fields}
    return "<xml>" + "".join(f"<{k}>{v}</{k}>" for k, v in values.items() if v is not None) + "</xml>"


def nest(levels: int, leaf: str = "x", repeat: bool = False) -> str:
    """`levels` elements one inside the other (`repeat`: each one twice, which xmltodict makes a list)."""
    for _ in range(levels):
        leaf = f"<a>{leaf}</a><a>{leaf}</a>" if repeat else f"<a>{leaf}</a>"
    return leaf


@pytest.mark.parametrize("xml", [message_xml(), message_xml("voice"), message_xml("event"),
                                 message_xml(MsgId=str(2 ** 64 - 1)), message_xml(MsgId="0"),
                                 message_xml(FromUserName="o" * 64), message_xml(CreateTime="0"),
                                 message_xml(CreateTime="9999999999"), message_xml(Extra=nest(5)),
                                 message_xml(Extra=nest(2, repeat=True)), message_xml("voice", MediaId=None),
                                 message_xml("event", Latitude="-43.5")])
def test_well_formed_messages_pass_every_check(xml):
    assert parse(xml).source in ("oResident001", "o" * 64)


MALFORMED = {  # name: (xml, the reason)
    "nested one level too deep": (message_xml(Extra=nest(6)), "XML nested too deep"),
    "nested too deep through repeated elements": (message_xml(Extra=nest(3, repeat=True)), "XML nested too deep"),
    "nested 10,000 deep": (message_xml(Extra=nest(10_000)), "XML nested too deep"),
    "no ToUserName": (message_xml(ToUserName=None), "ToUserName missing or malformed"),
    "ToUserName with a space": (message_xml(ToUserName="gh test"), "ToUserName missing or malformed"),
    "no FromUserName": (message_xml(FromUserName=None), "FromUserName missing or malformed"),
    "FromUserName of 65 characters": (message_xml(FromUserName="o" * 65), "FromUserName missing or malformed"),
    "FromUserName with markup": (message_xml(FromUserName="<b>oX</b>"), "FromUserName missing or malformed"),
    "FromUserName with a colon": (message_xml(FromUserName="oA:1"), "FromUserName missing or malformed"),
    "no CreateTime": (message_xml(CreateTime=None), "CreateTime missing or malformed"),
    "CreateTime of 11 digits": (message_xml(CreateTime="99999999999"), "CreateTime missing or malformed"),
    "CreateTime not a number": (message_xml(CreateTime="yesterday"), "CreateTime missing or malformed"),
    "no MsgId": (message_xml(MsgId=None), "MsgId missing or malformed"),
    "MsgId not a number": (message_xml(MsgId="abc"), "MsgId missing or malformed"),
    "MsgId of 2**64": (message_xml(MsgId=str(2 ** 64)), "MsgId missing or malformed"),
    "MsgId of 21 digits": (message_xml(MsgId="1" * 21), "MsgId missing or malformed"),
    "MsgId with markup": (message_xml(MsgId="<b>1</b>"), "MsgId missing or malformed"),
    "MsgId negative": (message_xml(MsgId="-1"), "MsgId missing or malformed"),
    "Content with markup": (message_xml(Content="<b>低保</b>"), "Content malformed: TypeError"),
    "Content twice": (message_xml(Content="低保</Content><Content>特困"), "Content malformed: TypeError"),
    "Recognition with markup after a missing field": (message_xml("voice", MediaId=None, Recognition="<b>x</b>"),
                                                       "Recognition malformed: TypeError"),
    "Latitude not a number": (message_xml("event", Latitude="north"), "Latitude malformed: ValueError"),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_message_is_a_bad_request_with_its_reason(name):
    xml, reason = MALFORMED[name]
    with pytest.raises(ProtocolError) as caught:
        parse(xml)
    assert (caught.value.status, caught.value.reason) == (400, reason)


def test_an_event_needs_no_msg_id_and_a_message_does():
    assert parse(message_xml("event")).latitude == 43.5
    with pytest.raises(ProtocolError):
        parse(message_xml("voice", MsgId=None))


def sealed(encrypt: str, envelope: str | None = None) -> tuple[Query, bytes]:
    """A safe-mode request whose Encrypt is `encrypt` exactly as given, its msg_signature right."""
    query = signed(msg_signature=None, encrypt_type="aes")
    signature = hashlib.sha1("".join(sorted([KEYS.token, query.timestamp, query.nonce, encrypt])).encode()).hexdigest()
    body = envelope if envelope is not None else f"<xml><ToUserName>gh</ToUserName><Encrypt>{encrypt}</Encrypt></xml>"
    return Query(**{**query.__dict__, "msg_signature": signature}), body.encode("utf-8")


@pytest.mark.parametrize("request_,reason", [
    ((signed(), b"<xml>\xff\xfe</xml>"), "body is not UTF-8"),
    ((signed(), "<xml>低保</xml>".encode("gbk")), "body is not UTF-8"),
    (sealed("", envelope="<xml><ToUserName>gh</ToUserName></xml>"), "envelope without Encrypt"),
    (sealed("", envelope="<xml><Encrypt></Encrypt></xml>"), "envelope without Encrypt"),
    (sealed("x", envelope="<xml><Encrypt><a>x</a></Encrypt></xml>"), "envelope without Encrypt"),
    (sealed("x", envelope="<xml>x</xml>"), "malformed envelope: AttributeError"),
    (sealed("x", envelope="Encrypt=x"), "malformed envelope: ExpatError"),
    (sealed("!!not base64!!"), "cannot decrypt: Error"),
])
def test_bodies_that_cannot_be_opened(request_, reason):
    query, body = request_
    with pytest.raises(ProtocolError) as caught:
        open_body(KEYS, query, body)
    assert (caught.value.status, caught.value.reason) == (400, reason)


def test_the_msg_signature_covers_the_ciphertext_exactly_as_sent():
    """WeChat signs the Encrypt text as it is; blanks around it (xmltodict strips them) are part of it."""
    query, body = encrypted_request(VALID)
    encrypt = xmltodict.parse(body)["xml"]["Encrypt"]
    padded, _ = sealed("\n" + encrypt + "\n")
    with_blanks = f"<xml><Encrypt><![CDATA[\n{encrypt}\n]]></Encrypt></xml>".encode()
    assert parse(open_body(KEYS, padded, with_blanks)).content == "低保怎么申请"
    with pytest.raises(ProtocolError) as caught:  # signed without the blanks: not what was sent
        open_body(KEYS, Query(**{**padded.__dict__, "msg_signature": query.msg_signature}), with_blanks)
    assert caught.value.status == 403


def test_an_encrypted_message_needs_the_aes_key():
    query, body = encrypted_request(VALID)
    with pytest.raises(ProtocolError) as caught:
        open_body(WeChatKeys(KEYS.token, KEYS.app_id, None), query, body)
    assert (caught.value.status, caught.value.reason) == (400, "encrypted message but no WECHAT_AES_KEY configured")


def test_a_cut_fills_up_to_exactly_2048_bytes():
    first, second, third = "x" * 1023 + "。", "y" * 1019 + "。", "z" * 10 + "。"  # 1,026 + 1,022 = 2,048 bytes
    passive, rest = fit_passive([first + second + third])
    assert (passive, rest) == (first + second, [third])


def test_a_cut_stops_at_the_first_sentence_that_does_not_fit():
    big, bigger, small = "甲" * 300 + "。", "乙" * 400 + "。", "丙。"  # 903 + 1,203: the second does not fit
    passive, rest = fit_passive([big + bigger + small])
    assert (passive, rest) == (big, [bigger + small])
