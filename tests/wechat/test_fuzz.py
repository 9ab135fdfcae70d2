"""Fuzzing POST /wechat with hypothesis: near-valid and mangled WeChat XML, correctly signed, in plaintext and in
safe mode (wechatpy's cipher around any bytes, and ciphertext that is no such thing). Whatever the body, the
answer is 200 or 400 and nothing raises (the test client re-raises any exception in the app). Bounded:
200 examples a mode, the same ones every run, no example database; a few seconds each."""
from __future__ import annotations

import base64
import time
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.wechat.wire import encrypted, payload, plaintext, post, sealed_raw, wechat_app  # noqa: F401 (fixture)

BUDGET = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

FIELDS = ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "Event", "EventKey",
          "Recognition", "MediaId", "Format", "PicUrl", "Label", "Location_X", "Location_Y", "Scale", "Title",
          "Url", "ThumbMediaId", "Latitude", "ScanCodeInfo", "SendPicsInfo", "Encrypt", "a"]
WORDS = ["text", "voice", "image", "video", "shortvideo", "location", "link", "event", "EVENT", "device_text",
         "unknown", "subscribe", "unsubscribe", "CLICK", "VIEW", "SCAN", "LOCATION", "scancode_push",
         "pic_sysphoto", "location_select", "TEMPLATESENDJOBFINISH", "APPLY", "HUMAN", "qrscene_1",
         "scanbarcode|x", "oFuzz00000000000000000000001", "gh_jiuzhu", "转人工", "低保怎么申请", "]]>", "&amp;"]


def now() -> str:
    return str(int(time.time()))


scalars = st.one_of(
    st.sampled_from(WORDS),
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70).map(str),
    st.text(max_size=30),
    st.just(""),
)


@st.composite
def markup(draw, depth: int = 0) -> str:
    """One field's content: text (in CDATA, escaped, or raw), or elements inside it."""
    if depth < 3 and draw(st.integers(0, 5)) == 0:
        children = draw(st.lists(st.tuples(st.sampled_from(FIELDS), markup(depth + 1)), max_size=3))
        return "".join(f"<{name}>{inner}</{name}>" for name, inner in children)
    text = draw(scalars)
    how = draw(st.sampled_from(["cdata", "escaped", "raw"]))
    return f"<![CDATA[{text}]]>" if how == "cdata" else escape(text) if how == "escaped" else text


@st.composite
def messages(draw) -> bytes:
    """A valid message of a random type, then some of its fields dropped, replaced, repeated or added, then
    some of its bytes changed."""
    kind = draw(st.sampled_from(["text", "voice", "image", "location", "link", "event"]))
    fields = {"ToUserName": "<![CDATA[gh_jiuzhu]]>", "FromUserName": "<![CDATA[oFuzz00000000000000000000001]]>",
              "CreateTime": now(), "MsgType": f"<![CDATA[{kind}]]>"}
    fields.update({
        "text": {"Content": "<![CDATA[低保怎么申请]]>"},
        "voice": {"MediaId": "m", "Format": "amr", "Recognition": "<![CDATA[临时救助]]>"},
        "image": {"PicUrl": "http://x/0", "MediaId": "m"},
        "location": {"Location_X": "43.5", "Location_Y": "123.5", "Scale": "15", "Label": "双山镇"},
        "link": {"Title": "t", "Description": "d", "Url": "http://x"},
        "event": {"Event": draw(st.sampled_from(["subscribe", "unsubscribe", "CLICK", "VIEW", "SCAN", "weird"])),
                  "EventKey": draw(st.sampled_from(["APPLY", "HUMAN", "qrscene_7", "", "NOPE"]))},
    }[kind])
    if kind != "event":
        fields["MsgId"] = str(draw(st.integers(min_value=0, max_value=2 ** 64 - 1)))
    items = list(fields.items())
    for _ in range(draw(st.integers(0, 3))):
        edit = draw(st.sampled_from(["drop", "replace", "repeat", "add"]))
        if edit == "add" or not items:
            items.insert(draw(st.integers(0, len(items))), (draw(st.sampled_from(FIELDS)), draw(markup())))
            continue
        at = draw(st.integers(0, len(items) - 1))
        if edit == "drop":
            items.pop(at)
        elif edit == "replace":
            items[at] = (items[at][0], draw(markup()))
        else:
            items.insert(at, items[at])
    body = ("<xml>" + "".join(f"<{name}>{value}</{name}>" for name, value in items) + "</xml>").encode("utf-8")
    for _ in range(draw(st.integers(0, 2))):  # byte-level damage: a byte changed, dropped or inserted
        at = draw(st.integers(0, len(body)))
        byte = bytes([draw(st.integers(0, 255))])
        body = draw(st.sampled_from([body[:at] + byte + body[at + 1:], body[:at] + body[at + 1:],
                                     body[:at] + byte + body[at:]]))
    return body


def assert_handled(response) -> None:
    event(f"HTTP {response.status_code}")  # the mix: pytest --hypothesis-show-statistics
    assert response.status_code in (200, 400), (response.status_code, response.text[:300])
    if response.status_code == 200:
        assert response.text == "success" or response.text.startswith("<xml>")


@BUDGET
@given(body=messages())
def test_plaintext_bodies(wechat_app, body):
    assert_handled(post(wechat_app, plaintext(body)))


@BUDGET
@given(body=messages(), pad=st.one_of(st.none(), st.integers(0, 255)), app_id=st.sampled_from([None, b"", b"wxOther"]))
def test_encrypted_bodies(wechat_app, body, pad, app_id):
    """Any bytes sealed with the account's key, with right or wrong padding and app id."""
    inside = payload(body, pad=pad) if app_id is None else payload(body, app_id=app_id, pad=pad)
    assert_handled(post(wechat_app, encrypted(encrypt=sealed_raw(inside))))


@BUDGET
@given(encrypt=st.one_of(st.binary(max_size=200).map(lambda b: base64.b64encode(b).decode()),
                         st.text(alphabet="ABCDEFabcdef0123456789+/=!* ", max_size=120)),
       envelope=st.one_of(st.none(), markup()))
def test_ciphertext_that_is_not(wechat_app, encrypt, envelope):
    """Signed safe-mode requests whose Encrypt is anything at all (and envelopes around it)."""
    wrapped = None if envelope is None else (
        f"<xml><ToUserName>{envelope}</ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
    assert_handled(post(wechat_app, encrypted(encrypt=encrypt, envelope=wrapped)))
