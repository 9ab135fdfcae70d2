"""One message of the engine's RabbitMQ queue → (key, sender_id, event), or `Poison` with a reason that names no
content. The engine (Rasa's PikaEventBroker, fed by engine_server/tracker_store.py) publishes each event as the
UTF-8 JSON of `{"sender_id": …, **event.as_dict()}`; what the fold (events.py) reads is checked here, so a bad
message is set aside alone instead of failing the batch it came in.

The key is a hash of the event's canonical JSON: the same event delivered twice has the same key (the store keeps
keys and folds each event once); two different events never share one (their timestamps alone differ).
"""
from __future__ import annotations

import hashlib
import json
import math
from typing import Any

MAX_NAME = 64          # intents, forms and requested slots are String(64) in the review tables
MAX_SENDER = 255
LATEST = 32503680000   # year 3000: later stamps are not from a clock


class Poison(ValueError):
    """A message the review cannot use; `reason` is safe to log (a category, never the content)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def event_key(event: dict[str, Any]) -> str:
    canonical = json.dumps(event, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def _name(value: Any, what: str, limit: int = MAX_NAME) -> None:
    if value is not None and not (isinstance(value, str) and len(value) <= limit):
        raise Poison(f"{what} is not a short string")


def _check_user(event: dict[str, Any]) -> None:
    if event.get("text") is not None and not isinstance(event["text"], str):
        raise Poison("user text is not a string")
    parse = event.get("parse_data")
    if parse is None:
        return
    if not isinstance(parse, dict):
        raise Poison("parse_data is not an object")
    intent = parse.get("intent")
    if intent is not None:
        if not isinstance(intent, dict):
            raise Poison("intent is not an object")
        _name(intent.get("name"), "intent name")
        confidence = intent.get("confidence")
        if confidence is not None and (isinstance(confidence, bool) or not isinstance(confidence, (int, float))):
            raise Poison("confidence is not a number")
    if parse.get("entities") is not None and not isinstance(parse["entities"], list):
        raise Poison("entities is not a list")
    if parse.get("danger") is not None and not isinstance(parse["danger"], dict):
        raise Poison("danger is not an object")


def _check(event: dict[str, Any]) -> None:
    kind = event.get("event")
    if not isinstance(kind, str) or not kind:
        raise Poison("no event type")
    stamp = event.get("timestamp")
    if stamp is not None and (isinstance(stamp, bool) or not isinstance(stamp, (int, float))
                              or not math.isfinite(stamp) or not 0 <= stamp < LATEST):
        raise Poison("timestamp is not a time")
    if kind == "user":
        _check_user(event)
    elif kind == "bot" and event.get("text") is not None and not isinstance(event["text"], str):
        raise Poison("bot text is not a string")
    elif kind in ("action", "slot", "active_loop"):
        _name(event.get("name"), f"{kind} name", 255)
        if kind == "active_loop":
            _name(event.get("name"), "form name")
        if kind == "slot" and event.get("name") == "requested_slot":
            _name(event.get("value"), "requested slot")


def decode(body: bytes) -> tuple[str, str, dict[str, Any]]:
    """(key, sender_id, event) of one message body; Poison if it is not an engine event the fold can read."""
    try:
        event = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Poison("not UTF-8 JSON") from None
    if not isinstance(event, dict):
        raise Poison("not a JSON object")
    sender = event.get("sender_id")
    if not isinstance(sender, str) or not sender or len(sender) > MAX_SENDER:
        raise Poison("no sender_id")
    _check(event)
    return event_key(event), sender, event
