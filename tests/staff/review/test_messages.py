"""One queue message → (key, sender, event) or Poison: what the fold reads is checked, the reason names no content,
and the key is the same for the same event however its JSON was written."""
from __future__ import annotations

import json

import pytest

from bot.staff.review.consumer import content_error
from bot.staff.review.messages import Poison, decode, event_key

GOOD = {"sender_id": "web-a", "event": "user", "timestamp": 1795917600.25, "text": "低保怎么申请",
        "parse_data": {"intent": {"name": "dibao_apply", "confidence": 0.9}, "entities": []}}


def test_an_engine_event_decodes_with_a_stable_key():
    key, sender, event = decode(json.dumps(GOOD).encode())      # Rasa's json.dumps: ASCII escapes
    assert sender == "web-a" and event == GOOD and len(key) == 32
    again, _, _ = decode(json.dumps(dict(reversed(GOOD.items())), ensure_ascii=False).encode())
    assert again == key                                          # same event, other key order and escaping
    assert event_key({**GOOD, "timestamp": 1795917600.26}) != key


@pytest.mark.parametrize("data, reason", [
    (b"\xff\xfe", "not UTF-8 JSON"),
    (b"{not json", "not UTF-8 JSON"),
    (b"[" * 100000, "not UTF-8 JSON"),
    (b"[1, 2]", "not a JSON object"),
    (json.dumps({"event": "user"}).encode(), "no sender_id"),
    (json.dumps({"sender_id": "", "event": "user"}).encode(), "no sender_id"),
    (json.dumps({"sender_id": "x" * 256, "event": "user"}).encode(), "no sender_id"),
    (json.dumps({"sender_id": "web-a"}).encode(), "no event type"),
    (json.dumps({**GOOD, "timestamp": "yesterday"}).encode(), "timestamp is not a time"),
    (json.dumps({**GOOD, "timestamp": 1e300}).encode(), "timestamp is not a time"),
    (json.dumps({**GOOD, "timestamp": True}).encode(), "timestamp is not a time"),
    (b'{"sender_id": "web-a", "event": "bot", "timestamp": NaN}', "timestamp is not a time"),
    (json.dumps({**GOOD, "text": ["x"]}).encode(), "user text is not a string"),
    (json.dumps({**GOOD, "parse_data": "x"}).encode(), "parse_data is not an object"),
    (json.dumps({**GOOD, "parse_data": {"intent": "dibao"}}).encode(), "intent is not an object"),
    (json.dumps({**GOOD, "parse_data": {"intent": {"name": "i" * 65}}}).encode(), "intent name is not a short string"),
    (json.dumps({**GOOD, "parse_data": {"intent": {"name": "a", "confidence": "high"}}}).encode(),
     "confidence is not a number"),
    (json.dumps({**GOOD, "parse_data": {"entities": {}}}).encode(), "entities is not a list"),
    (json.dumps({**GOOD, "parse_data": {"danger": "yes"}}).encode(), "danger is not an object"),
    (json.dumps({"sender_id": "a", "event": "bot", "text": 5}).encode(), "bot text is not a string"),
    (json.dumps({"sender_id": "a", "event": "slot", "name": "requested_slot", "value": ["x"]}).encode(),
     "requested slot is not a short string"),
    (json.dumps({"sender_id": "a", "event": "active_loop", "name": "f" * 65}).encode(), "form name is not a short string"),
    (json.dumps({"sender_id": "a", "event": "action", "name": 3}).encode(), "action name is not a short string"),
])
def test_poison_is_named_by_category_not_content(data, reason):
    with pytest.raises(Poison) as caught:
        decode(data)
    assert caught.value.reason == reason


def test_other_event_kinds_and_missing_fields_pass():
    for event in ({"event": "session_started"}, {"event": "bot", "text": None}, {"event": "slot", "name": "x",
                  "value": {"a": [1]}}, {"event": "active_loop", "name": None}, {"event": "user"},
                  {"event": "restart", "timestamp": 0}):
        assert decode(json.dumps({"sender_id": "wx-o", **event}).encode())[1] == "wx-o"


def test_only_content_errors_set_a_message_aside():
    from sqlalchemy.exc import DataError, IntegrityError, OperationalError, ProgrammingError

    assert content_error(DataError("s", {}, Exception())) and content_error(IntegrityError("s", {}, Exception()))
    assert content_error(TypeError()) and content_error(ValueError())
    assert not content_error(OperationalError("s", {}, Exception()))     # database away or locked: retry
    assert not content_error(ProgrammingError("s", {}, Exception()))     # table not migrated yet: retry
    assert not content_error(ConnectionError())


def test_a_failure_is_logged_by_class_and_broker_reply_only():
    from pika.exceptions import ChannelClosedByBroker
    from sqlalchemy.exc import DataError

    from bot.staff.review.consumer import described

    assert described(ChannelClosedByBroker(406, "PRECONDITION_FAILED - inequivalent arg 'durable'")) == \
        "ChannelClosedByBroker 406 PRECONDITION_FAILED - inequivalent arg 'durable'"
    assert described(DataError("INSERT … 低保", {"text": "13912345678"}, Exception())) == "DataError"
