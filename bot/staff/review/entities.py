"""Entities of a turn as a reviewer corrects them, and Rasa's mark-up for them. Pure: no database.

An entity is `{"entity", "value", "start", "end"}` on the turn's text as the review holds it: masked at publish,
so a span is always cut from text without personal data, and a span that covers a masked part (`*`) is refused.

    current = effective(turn.entities, turn.corrected_entities)
    changed = add(turn.text, current, "programme", "低保", "dibao")     # or an error in Chinese (EntityError)
    annotate("想申请低保", changed)  → '想申请[低保]{"entity": "programme", "value": "dibao"}'
"""
from __future__ import annotations

import json
from typing import Any

Entity = dict[str, Any]
MARKUP = set("[](){}")     # Rasa's annotation syntax: a span holding one would break the example
MAX_SPAN = 40


PROBLEMS = {  # why a span cannot be annotated, in words for the reviewer (the page shows them by code)
    "empty": "请填写要标注的字词。",
    "long": f"标注的字词太长（最多 {MAX_SPAN} 个字）。",
    "masked": "遮挡的个人信息不能标注为实体。",
    "markup": "标注的字词里不能有括号。",
    "taken": "这几个字已经标注过了。",
    "absent": "这句话里没有这几个字，请照原话填写。",
    "index": "没有这个实体。",
    "value": "请选择这个实体的值。",
}


class EntityError(ValueError):
    """Why a span cannot be annotated: `code`, a key of PROBLEMS."""

    def __init__(self, code: str):
        super().__init__(PROBLEMS[code])
        self.code = code


def _clean(found: list | None) -> list[Entity]:
    kept = []
    for e in found or []:
        if not isinstance(e, dict) or not e.get("entity"):
            continue
        if isinstance(e.get("start"), int) and isinstance(e.get("end"), int):
            kept.append({"entity": str(e["entity"]), "value": str(e.get("value") or ""),
                         "start": e["start"], "end": e["end"]})
    return sorted(kept, key=lambda e: (e["start"], e["end"]))


def effective(model: list | None, corrected: list | None) -> list[Entity]:
    """The reviewer's entities when they corrected the turn, else the model's (one per span, extractors dropped)."""
    if corrected is not None:
        return _clean(corrected)
    unique = {(e["entity"], e["start"], e["end"]): e for e in _clean(model)}
    return sorted(unique.values(), key=lambda e: (e["start"], e["end"]))


def add(text: str, current: list[Entity], entity: str, span: str, value: str = "") -> list[Entity]:
    """`span` (its first occurrence not yet annotated) annotated as `entity` with `value` (default: the span)."""
    span = span.strip()
    if not span:
        raise EntityError("empty")
    if len(span) > MAX_SPAN:
        raise EntityError("long")
    if "*" in span or "＊" in span:
        raise EntityError("masked")
    if MARKUP & set(span):
        raise EntityError("markup")
    start = text.find(span)
    while start >= 0 and _overlaps(current, start, start + len(span)):
        start = text.find(span, start + 1)
    if start < 0:
        raise EntityError("taken" if span in text else "absent")
    added = {"entity": entity, "value": value.strip() or span, "start": start, "end": start + len(span)}
    return sorted([*current, added], key=lambda e: (e["start"], e["end"]))


def remove(current: list[Entity], index: int) -> list[Entity]:
    if not 0 <= index < len(current):
        raise EntityError("index")
    return [e for n, e in enumerate(current) if n != index]


def _overlaps(current: list[Entity], start: int, end: int) -> bool:
    return any(start < e["end"] and e["start"] < end for e in current)


def annotate(text: str, found: list[Entity]) -> str:
    """Rasa 3 training/test text: `[span](entity)`, or `[span]{"entity": …, "value": …}` when the value is not the
    span (a synonym, e.g. 低保 → dibao). Entities that no longer fit the text (overlapping, out of range, or a
    span that is not what the text holds there) are left out rather than written wrong."""
    out, at = [], 0
    for e in sorted(_clean(found), key=lambda e: (e["start"], e["end"])):
        start, end = e["start"], e["end"]
        span = text[start:end]
        if start < at or end > len(text) or start >= end or not span.strip() or MARKUP & set(span):
            continue
        out.append(text[at:start])
        if e["value"] in ("", span):
            out.append(f"[{span}]({e['entity']})")
        else:
            out.append(f"[{span}]" + json.dumps({"entity": e["entity"], "value": e["value"]}, ensure_ascii=False))
        at = end
    out.append(text[at:])
    return "".join(out)
