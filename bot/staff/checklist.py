"""The agent assist's screening checklist: what a caller's words already say about the household, read with
the pre-screen's own parsers (bot/text, bot/forms/prescreen.py), and the edited checklist back into the
pre-screen's slots, so screening, summary and referral are the ones the web chat and WeChat make.

The agent types the caller's words as they come, in any order and several at once ("俺家三口人 老伴瘫炕上了
一个月就一千来块"): each answer kind is read only from the parts that talk about it (the question's own
`about` words), so "想问问低保" is no benefit already received and "没地方住" says nothing of children.
The checklist is a flat dict of form fields (`FIELDS`), what the page shows and the agent edits.
"""
from __future__ import annotations

import re
from typing import Any

from bot.forms import results
from bot.forms.places import prefill_place, show_place
from bot.forms.prescreen import (ASSET_CHOICES, BENEFIT_CHOICES, DISABILITY, EVENT_CHOICES, MEMBER_CHOICES, PRESCREEN,
                                 SUPPORTER, WHEN, _by_age, _days_ago, household_of)
from bot.forms.service import PRESCREEN_CONSENT
from bot.gazetteer.divisions import Division
from bot.screening.household import ASSETS, BENEFITS, EVENTS, MEMBERS
from bot.screening.rules import Finding, Standard, screen
from bot.text.amounts import parse_monthly_income
from bot.text.answers import clauses
from bot.text.contact import parse_mobile, parse_person_name
from bot.text.counts import parse_people_count

FIELDS = ("township", "place_text", "household_size", "income_low", "income_high", "members", "disability",
          "supporter", "event", "event_when", "assets", "assets_none", "benefits", "benefits_none",
          "contact_name", "contact_phone")
MULTI = {"members": MEMBERS, "assets": ASSETS, "benefits": BENEFITS}
SINGLE = {"disability": {o.key: o.label for o in DISABILITY.options},
          "supporter": {o.key: o.label for o in SUPPORTER.options},
          "event": EVENTS,
          "event_when": {o.key: o.label for o in WHEN.options}}

MAX_CHARS = 2000
_ABOUT = {q.slot: q.about for q in PRESCREEN.questions}
_SIZE_WORDS = ("口", "个人", "俩", "仨")
_NAME_SAID = re.compile(r"我叫|俺叫|我姓|俺姓|叫我|名字|^姓")
# a benefit held now is said with a verb of having it ("吃低保", "是五保户"), not only named ("低保咋申请")
_HELD = re.compile(r"(?:吃|享受|领|拿|办了|办下来|批了|是|有|评上|停了|取消|没吃|没有)(?:着|了|过|上)?.{0,2}(?:低保|特困|五保|边缘|低边)"
                   r"|(?:低保|特困|五保|边缘)(?:户|金|停了|给停|取消|没了)")
_DISABILITY_SAID = re.compile(r"残疾证|[一二三四1-4]级|重度|轻度|中度|没评|没鉴定")
_STRONG_EVENTS = {o.key: o.words[:3] for o in EVENT_CHOICES.options}  # the plainest words (as the prefill reads)


def _parts(text: str, words: tuple[str, ...]) -> list[str]:
    return [part for part in clauses(text) if any(word in part for word in words)]


def _size(text: str) -> int | None:
    sizes = [size for part in _parts(text, _SIZE_WORDS) if (size := parse_people_count(part))]
    return sizes[-1] if sizes else None  # the last said counts ("两口 不对 三口")


def _income(text: str) -> tuple[int, int] | None:
    said = _parts(text, _ABOUT["monthly_income"])
    money = parse_monthly_income("，".join(said)) if said else None  # several sources add up
    return (money.low, money.high) if money else None


def _multi(reading_of, text: str, gate: tuple[str, ...] | None = None) -> tuple[list[str], bool]:
    """(keys affirmed, whether "none of these" was said) from the parts that name this question."""
    said = _parts(text, gate) if gate else clauses(text)
    if not said:
        return [], False
    reading = reading_of("，".join(said))
    return list(reading.picked), bool(reading.none and not reading.picked)


def _event(text: str) -> tuple[str, str]:
    if not any(word in text for words in _STRONG_EVENTS.values() for word in words):
        return "", ""
    found = [key for key in EVENT_CHOICES.read(text).picked
             if any(word in text for word in _STRONG_EVENTS[key])]
    if len(found) != 1:
        return "", ""
    where = " ".join(_parts(text, _STRONG_EVENTS[found[0]]))
    days = _days_ago(where)
    when = ("recent" if days <= 30 else "earlier") if days is not None else next(iter(WHEN.read(where).picked), "")
    return found[0], when


def extract(text: str, townships: list[Division]) -> dict[str, Any]:
    """The checklist as far as the caller's words fill it; fields nobody spoke of stay empty. A call's notes
    longer than MAX_CHARS are read from their first MAX_CHARS (the household is told early in a call)."""
    text = text[:MAX_CHARS]
    checklist: dict[str, Any] = {name: "" for name in FIELDS}
    checklist.update(members=[], assets=[], benefits=[], assets_none=False, benefits_none=False)
    place = prefill_place(text, townships)
    if place:
        checklist.update(township=place["code"], place_text=show_place(place))
    size = _size(text)
    if size:
        checklist["household_size"] = size
    income = _income(text)
    if income:
        checklist["income_low"], checklist["income_high"] = income
    members, _ = _multi(MEMBER_CHOICES.read, text)
    checklist["members"] = list(dict.fromkeys(members + _by_age(text)))
    if "disabled" in checklist["members"] and _DISABILITY_SAID.search(text):
        checklist["disability"] = next(iter(DISABILITY.read(" ".join(_parts(text, ("证", "级", "度", "评", "鉴定"))))
                                            .picked), "")
    supporter, _ = _multi(SUPPORTER.read, text, _ABOUT["supporter"])
    checklist["supporter"] = supporter[0] if supporter else ""
    checklist["event"], checklist["event_when"] = _event(text)
    checklist["assets"], checklist["assets_none"] = _multi(ASSET_CHOICES.read, text, _ABOUT["assets"])
    held = [part for part in clauses(text) if _HELD.search(part)]
    if held:
        checklist["benefits"], checklist["benefits_none"] = _multi(BENEFIT_CHOICES.read, "，".join(held))
    phone = parse_mobile(text)
    checklist["contact_phone"] = phone or ""
    named = [part for part in clauses(text) if _NAME_SAID.search(part)]
    checklist["contact_name"] = next((name for part in named if (name := parse_person_name(part))), "")
    return checklist


# ---- the edited checklist → the pre-screen's slots ------------------------------------------------------------

def _int(value: Any, low: int, high: int) -> int | None:
    text = str(value if value is not None else "").strip()
    if not re.fullmatch(r"\d{1,9}", text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def _keys(value: Any, allowed: dict[str, str]) -> list[str]:
    return [key for key in dict.fromkeys(value) if key in allowed] if isinstance(value, list) else []


def _one(value: Any, allowed: dict[str, str]) -> str | None:
    return value if isinstance(value, str) and value in allowed else None


def slots_of(checklist: dict[str, Any], townships: list[Division]) -> dict[str, Any]:
    """The pre-screen's slots from a checklist as the page sends it (anything of another shape is not said)."""
    slots: dict[str, Any] = {}
    township = next((t for t in townships if t.code == checklist.get("township")), None)
    place_text = str(checklist.get("place_text") or "")[:60]
    if township is not None:
        urban = True if township.kind == "街道" or "社区" in place_text else False if "村" in place_text else None
        slots["place"] = {"code": township.code, "name": township.name, "office": township.office,
                          "place": place_text.removeprefix(township.name) or None, "urban": urban,
                          "text": place_text or township.name}
    size = _int(checklist.get("household_size"), 1, 30)
    if size:
        slots["household_size"] = size
    low, high = _int(checklist.get("income_low"), 0, 10_000_000), _int(checklist.get("income_high"), 0, 10_000_000)
    if low is not None or high is not None:
        low, high = (low if low is not None else high), (high if high is not None else low)
        slots["monthly_income"] = {"low": min(low, high), "high": max(low, high)}
    members = _keys(checklist.get("members"), MEMBERS)
    if members:
        slots["special_members"] = members
    for field_name, slot in (("disability", "disability"), ("supporter", "supporter"), ("event", "sudden_event"),
                             ("event_when", "event_when")):
        value = _one(checklist.get(field_name), SINGLE[field_name])
        if value:
            slots[slot] = value
    for field_name, slot in (("assets", "assets"), ("benefits", "current_benefits")):
        keys = _keys(checklist.get(field_name), MULTI[field_name])
        if keys or checklist.get(f"{field_name}_none") is True:
            slots[slot] = keys
    return slots


def findings(slots: dict[str, Any], standard: Standard) -> list[Finding]:
    return screen(household_of(slots), standard)


def summary(slots: dict[str, Any]) -> str:
    """The referral's summary, in the pre-screen's words ("家里人口：3口人；全家收入：每月约1000—1499元")."""
    answered = [q for q in PRESCREEN.questions if q.summarised and slots.get(q.slot) is not None]
    return "；".join(f"{q.label}：{q.show(slots[q.slot])}" for q in answered)


def consent_text(slots: dict[str, Any]) -> str:
    """What the agent reads to the caller, and what the referral records as consent."""
    office = (slots.get("place") or {}).get("office") or "户籍所在地乡镇（街道）"
    return PRESCREEN_CONSENT.format(office=office).replace("在对话中说的", "在12345电话里说的")


def suggestions(found: list[Finding]) -> list[dict[str, Any]]:
    return [{"programme": f.programme, "outcome": f.outcome, "reasons": f.reasons} for f in results.promising(found)]
