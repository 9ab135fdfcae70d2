"""The "where do you live" question: township, village or community of 双辽, as residents name them.

The places come from the gazetteer (bot/gazetteer/), handed to the forms as state["_townships"]."""
from __future__ import annotations

from typing import Any

from bot.forms.engine import Parsed, State
from bot.gazetteer.divisions import Division
from bot.gazetteer.matching import PlaceMatch, match_places
from bot.text.answers import after_correction, is_unknown, says_unknown
from bot.text.numbers import parse_choice

CANDIDATES = "place_candidates"
EXAMPLE = "比如“双山镇秀水村”“郑家屯街道东华社区”"


def _value(match: PlaceMatch | None, text: str) -> dict[str, Any]:
    if match is None:
        return {"code": None, "name": None, "office": None, "place": None, "urban": None, "text": text[:60]}
    t = match.township
    return {"code": t.code, "name": t.name, "office": t.office, "place": match.place,
            "urban": match.urban, "text": text[:60]}


# After two unclear answers: the referral goes to the bureau, which routes it to the township.
UNCLEAR_PLACE = _value(None, "没说清")


def ask_place(state: State, who: str = "您家") -> str:
    return f"{who}住在哪个乡镇、哪个村（社区）？{EXAMPLE}。"


def show_place(value: dict[str, Any]) -> str:
    if not isinstance(value, dict) or not value.get("code"):
        return "没说清（转市民政局再分到乡镇）"
    return f"{value.get('name') or ''}{value.get('place') or ''}"


def _by_township(matches: list[PlaceMatch]) -> dict[str, PlaceMatch]:
    first: dict[str, PlaceMatch] = {}
    for match in matches:
        first.setdefault(match.township.code, match)
    return first


def parse_place(text: str, state: State) -> Parsed:
    townships: list[Division] = state["_townships"]
    if is_unknown(text):
        return Parsed(value=_value(None, "不知道"), also={CANDIDATES: None})
    pending = state.get(CANDIDATES)
    if pending:  # choosing between townships that share a village name
        number = parse_choice(text)
        if number is not None and 1 <= number <= len(pending):
            chosen = next(t for t in townships if t.code == pending[number - 1]["code"])
            match = PlaceMatch(chosen, pending[number - 1]["place"], pending[number - 1]["urban"])
            return Parsed(value=_value(match, text), also={CANDIDATES: None})
    options = _by_township(_settled_places(text, townships))
    if not options and says_unknown(text):  # "不清楚 反正是双辽的", "不知道他家是哪个村的"
        return Parsed(value=_value(None, "不知道"), also={CANDIDATES: None})
    if len(options) == 1:
        return Parsed(value=_value(next(iter(options.values())), text), also={CANDIDATES: None})
    if len(options) > 1:
        listed = list(options.values())
        lines = [f"“{text[:20]}”好几个地方都有，是哪个？回复数字："]
        lines += [f"{n} {m.township.name}{m.place or ''}" for n, m in enumerate(listed, 1)]
        return Parsed(error="\n".join(lines), also={CANDIDATES: [
            {"code": m.township.code, "place": m.place, "urban": m.urban} for m in listed]})
    return Parsed(error=f"没找到这个地方。请说是双辽的哪个乡镇（街道），{EXAMPLE}。不清楚就回复“不知道”。")


def _settled_places(text: str, townships: list[Division]) -> list[PlaceMatch]:
    """"兴隆镇大有村 不对 是连丰村": the place after a self-correction, in the township named before it."""
    settled = after_correction(text)
    if settled == text:
        return match_places(text, townships)
    before = {m.township.code for m in match_places(text[: len(text) - len(settled)], townships)}
    after = match_places(settled, townships)
    return [m for m in after if m.township.code in before] or after or match_places(text, townships)


def prefill_place(text: str, townships: list[Division]) -> dict[str, Any] | None:
    options = _by_township(match_places(text, townships))
    return _value(next(iter(options.values())), text) if len(options) == 1 else None
