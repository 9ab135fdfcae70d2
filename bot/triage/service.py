"""Triage one utterance: the engine's parse, mapped onto taxonomy.yml, with suggested replies."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bot.engine.client import EngineClient
from bot.knowledge.loader import KnowledgeBase
from bot.safety.tiers import CHECK, CONFIRMED
from bot.text.normalize import clean, has_words
from bot.triage.suggestions import suggest
from bot.triage.taxonomy import FALLBACK_INTENT, map_intent, resolve_programme

PROMPT_INTENTS = {"report_other", "complaint", "seek_help"}


@dataclass(frozen=True)
class Triage:
    intent: str
    confidence: float
    programme: str
    aspect: str
    entities: list[dict[str, Any]]
    suggested_replies: list[str]
    urgency: str               # high (confirmed danger) | check (ask about danger first) | normal | low
    model_intent: str | None
    low_confidence: bool
    rule_override: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def dedupe_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """DIET and the lookup-table extractor can both find the same span: keep one."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for e in entities:
        key = (e.get("entity"), e.get("start"), e.get("end"))
        if key in seen:
            continue
        seen.add(key)
        out.append({k: e.get(k) for k in ("entity", "value", "start", "end", "extractor")})
    return out


def from_parse(parse: dict[str, Any], text: str, kb: KnowledgeBase) -> Triage:
    intent_info = parse.get("intent") or {}
    model_intent = intent_info.get("name")
    confidence = float(intent_info.get("confidence") or 0.0)
    danger = parse.get("danger") or {}
    low = model_intent == FALLBACK_INTENT
    if danger.get("tier") == CHECK:  # uncertain danger: shown as an emergency to ask about first, not to act on
        model_intent, low, confidence = "emergency", True, float(danger.get("score") or 0.0)
    elif low:  # report the best real guess, flagged as unsure
        ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]
        model_intent = ranking[0]["name"] if ranking else "out_of_scope"
        confidence = float(ranking[0]["confidence"]) if ranking else 0.0
    intent, aspect = map_intent(model_intent, kb)
    entities = dedupe_entities(parse.get("entities") or [])
    programme = resolve_programme(intent, entities, text, kb, danger.get("category"))
    urgency = ("high" if danger.get("tier") == CONFIRMED else "check" if danger.get("tier") == CHECK
               else "normal" if intent in PROMPT_INTENTS else "low")
    return Triage(
        intent=intent,
        confidence=round(confidence, 4),
        programme=programme,
        aspect=aspect,
        entities=entities,
        suggested_replies=suggest(intent, programme, aspect, kb)[:3],
        urgency=urgency,
        model_intent=model_intent,
        low_confidence=low,
        rule_override=parse.get("rule_override"),
    )


def empty_triage(kb: KnowledgeBase) -> Triage:
    return Triage("out_of_scope", 0.0, "none", "none", [], ["您好，请问有什么可以帮您？"], "low", None, True, None)


async def triage(text: str, engine: EngineClient, kb: KnowledgeBase, max_chars: int) -> Triage:
    text = clean(text)[:max_chars]
    if not has_words(text):
        return empty_triage(kb)
    return from_parse(await engine.parse(text), text, kb)
