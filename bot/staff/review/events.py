"""Fold Rasa event dicts (as the broker publishes them: `{"sender_id", "event", "timestamp", …}`) into
conversation and turn rows. Pure apart from the rows it is handed; `ReviewStore.add_events` supplies them."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from bot.staff.review.models import ReviewConversation, ReviewTurn
from bot.channels.sender import WEBCHAT, WECHAT, Sender

FALLBACK_INTENTS = {"nlu_fallback"}
FALLBACK_ACTIONS = {"action_default_fallback", "action_two_stage_fallback"}
EMERGENCY_INTENTS = {"emergency"}
HANDOFF_INTENTS = {"request_human"}
COMPLAINT_INTENTS = {"complaint"}
INTERNAL_SLOTS = {"requested_slot"}
PLACE_SLOTS = {"place", "report_place", "urgent_place"}   # {"code", "name", …} (bot/forms/places.py)


def channel_of(sender: str) -> str:
    return {WECHAT: "wechat", WEBCHAT: "web"}.get(Sender.parse(sender).channel, "other")


def when(event: dict[str, Any]) -> datetime:
    stamp = event.get("timestamp")
    return datetime.fromtimestamp(float(stamp), timezone.utc) if stamp else datetime.now(timezone.utc)


def new_conversation(sender: str, at: datetime) -> ReviewConversation:
    return ReviewConversation(sender_id=sender, channel=channel_of(sender), started_at=at, last_at=at, turns=0,
                              fallback=False, emergency=False, handoff=False, complaint=False,
                              form_abandoned=False, reviewed=False)


def _entities(found: list) -> list[dict[str, Any]]:
    """One entry per entity span (DIET and the regex extractor often find the same one), extractors joined."""
    kept: dict[tuple, dict[str, Any]] = {}
    for e in found:
        if not isinstance(e, dict):
            continue
        span = (e.get("entity"), str(e.get("value")), e.get("start"), e.get("end"))
        if span in kept:
            if e.get("extractor") and e["extractor"] not in str(kept[span].get("extractor")):
                kept[span]["extractor"] = f"{kept[span].get('extractor')}, {e['extractor']}"
            continue
        kept[span] = {k: e.get(k) for k in ("entity", "value", "start", "end", "extractor") if k in e}
    return list(kept.values())


def user_turn(conversation: ReviewConversation, event: dict[str, Any], at: datetime) -> ReviewTurn:
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    name, confidence = intent.get("name"), intent.get("confidence")
    danger = parse.get("danger") if isinstance(parse.get("danger"), dict) else None
    entities = _entities(parse.get("entities") or [])
    conversation.turns += 1
    if isinstance(confidence, (int, float)):
        low = conversation.min_confidence
        conversation.min_confidence = float(confidence) if low is None else min(low, float(confidence))
    conversation.fallback |= name in FALLBACK_INTENTS
    conversation.emergency |= name in EMERGENCY_INTENTS or (danger or {}).get("tier") == "confirmed"
    conversation.handoff |= name in HANDOFF_INTENTS
    conversation.complaint |= name in COMPLAINT_INTENTS
    return ReviewTurn(seq=conversation.turns, at=at, text=str(event.get("text") or ""), intent=name,
                      confidence=float(confidence) if isinstance(confidence, (int, float)) else None,
                      entities=entities, rule_override=(str(parse["rule_override"])[:200]
                                                        if parse.get("rule_override") else None),
                      danger=danger, replies=[], actions=[], slots={}, form=conversation.active_form)


def apply(conversation: ReviewConversation, turn: ReviewTurn | None, event: dict[str, Any],
          at: datetime) -> ReviewTurn | None:
    """One non-user event: onto the conversation's state and its latest turn. Returns the turn (unchanged)."""
    kind = event.get("event")
    if kind == "bot" and turn is not None:
        turn.replies = [*turn.replies, str(event.get("text") or "")]
    elif kind == "action":
        name = str(event.get("name") or "")
        conversation.fallback |= name in FALLBACK_ACTIONS
        conversation.handoff |= "handoff" in name or "human" in name
        if turn is not None and name and not name.startswith("action_listen"):
            turn.actions = [*turn.actions, name]
    elif kind == "slot":
        name = str(event.get("name") or "")
        if name == "requested_slot":
            conversation.requested_slot = event.get("value") or None
        else:
            value = event.get("value")
            if name in PLACE_SLOTS and isinstance(value, dict) and value.get("code"):
                conversation.township = str(value["code"])[:12]
            if turn is not None:
                turn.slots = {**turn.slots, name: value}
    elif kind == "active_loop":
        name = event.get("name") or None
        if name is None and conversation.active_form and conversation.requested_slot:
            conversation.form_abandoned = True     # stopped while still asking (a finished form clears it first)
        conversation.active_form = name
        if turn is not None and name:
            turn.form = name
    conversation.last_at = max(conversation.last_at, at)
    return turn
