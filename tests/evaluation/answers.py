"""Natural answers (tests/data/answers/*.yml, written without seeing the parsers) read by the pre-screen's
own parsers: one case → what the form recorded, compared with what the resident meant.

    python -m tests.evaluation.answers [--kind assets] [--misses]
"""
from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.forms.engine import EDITING, RETRIES, UNKNOWN, FormTurn, Interview
from bot.forms import prescreen
from bot.forms.prescreen import PRESCREEN

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = ROOT / "tests" / "data" / "answers"

# The summary a correction is read against: every question answered, so any line can be named.
SUMMARY_STATE: dict[str, Any] = {
    "need_whose": "self", "household_size": 1, "monthly_income": {"low": 300, "high": 300},
    "special_members": ["elderly", "disabled"], "disability": "severe", "supporter": "none",
    "sudden_event": "illness", "event_when": "recent", "assets": ["car"], "current_benefits": [],
}


@dataclass(frozen=True)
class Case:
    kind: str
    text: str
    expect: Any


def load(folder: Path = ANSWERS) -> list[Case]:
    cases = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases += [Case(data["kind"], str(c["text"]), c["expect"]) for c in data["cases"]]
    return cases


def _place_matches(value: Any, expect: Any) -> bool:
    if expect == "unknown":
        return isinstance(value, dict) and value.get("code") is None
    if not isinstance(value, dict) or value.get("name") != expect["township"]:
        return False
    return expect.get("place") is None or value.get("place") == expect["place"]


ROUNDING = 10  # yuan a month


def _same(kind: str, value: Any, expect: Any) -> bool:
    """Does what the parser recorded mean what the resident meant?"""
    if kind == "place":
        return _place_matches(value, expect)
    if kind == "monthly_income":
        if expect == "unknown":
            return value == UNKNOWN
        # a truth written as yearly / 12 is rounded ("一年两万" → around 1670; read 1667): 10 yuan either way
        return isinstance(value, dict) and value["low"] - ROUNDING <= expect["around"] <= value["high"] + ROUNDING
    if isinstance(expect, list):
        return isinstance(value, list) and sorted(value) == sorted(expect)
    return value == expect


OTHER_VALUES: dict[str, list[Any]] = {  # what the summary may have shown instead, to be corrected
    "need_whose": ["self", "relative"], "household_size": [1, 3],
    "monthly_income": [{"low": 1300, "high": 1300}, {"low": 500, "high": 500}],
    "special_members": [["elderly", "disabled"], ["child"]], "disability": ["severe", "mild"],
    "supporter": ["none", "able"], "sudden_event": ["illness", "accident"], "event_when": ["recent", "earlier"],
    "assets": [["car"], ["savings"]], "current_benefits": [[], ["edge"]],
}


def _shown(expect: Any) -> dict[str, Any]:
    """The summary a correction corrects: for the line it names, a value other than the corrected one
    (the writer of each case assumed the summary showed something else there)."""
    if not isinstance(expect, dict) or expect.get("field") not in OTHER_VALUES or expect.get("value") is None:
        return {}
    field, want = expect["field"], expect["value"]
    others = OTHER_VALUES[field]
    if isinstance(want, list):  # a list the correction does not already hold in part
        others = sorted(others, key=lambda value: len(set(value) & set(want)))
    for value in others:
        if not _same(field, value, want) and value != want:
            return {field: value}
    return {}


def _summary(env: dict, text: str, expect: Any = None) -> Any:
    """What one reply at the summary did: "yes", "no" (asked which line), or {field, value}: the line it
    changed (a changed answer can drop another that no longer applies): the line the case names if it changed,
    else the first changed line."""
    slots = {**SUMMARY_STATE, "place": {"code": "220382101", "name": "双山镇", "place": "秀水村", "urban": False,
                                        "office": "双山镇人民政府社会救助窗口", "text": "双山镇秀水村"},
             "prescreen_confirmed": text, **_shown(expect)}
    reply = Interview(PRESCREEN).step(FormTurn(text=text, requested_slot="prescreen_confirmed", slots=slots), env)
    after = {**slots, "prescreen_confirmed": None, **reply.slots}
    if after.get("prescreen_confirmed") == "yes":
        return "yes"
    changed = [q.slot for q in PRESCREEN.questions if q.summarised and after.get(q.slot) != slots.get(q.slot)
               and (after.get(q.slot) is not None or reply.requested_slot == q.slot)]
    if changed:  # one correction may change two lines ("不是车祸 是突然得病了": the event, and an ill member)
        field = expect["field"] if isinstance(expect, dict) and expect.get("field") in changed else changed[0]
        return {"field": field, "value": after.get(field)}
    if after.get(EDITING) or (reply.requested_slot == "prescreen_confirmed" and not after.get(RETRIES)):
        return "no"
    return None


def read(env: dict, case: Case) -> Any:
    """What the form records for this answer; None when it does not take it as an answer."""
    if case.kind == "summary":
        return _summary(env, case.text, case.expect)
    if case.kind == "consent":  # the form's reader: a phone sent here is consent too
        parsed = PRESCREEN.question("referral_consent").parse(case.text, dict(env))
        return {"yes": True, "no": False}.get(parsed.value) if parsed.ok else None
    if case.kind == "name":  # the name is read beside the phone, by the same parser
        parsed = prescreen._name(case.text, dict(env))
        return parsed.value if parsed.ok else None
    slot = {"phone": "contact_phone"}.get(case.kind, case.kind)
    parsed = PRESCREEN.question(slot).parse(case.text, dict(env))
    return parsed.value if parsed.ok else None


def judge(env: dict, case: Case) -> tuple[bool, Any]:
    got = read(env, case)
    if case.expect is None:
        return got is None, got
    if case.kind == "summary" and isinstance(case.expect, dict):
        field, want = case.expect["field"], case.expect["value"]
        if not isinstance(got, dict) or got["field"] != field:
            return False, got
        if want is None or got["value"] is None:
            return want is None and got["value"] is None, got
        if isinstance(want, list) and isinstance(got["value"], list):
            # the writer assumed the summary showed only the wrong item; a correction here keeps the other
            # lines of the list it did not name, so those may remain
            extra = set(got["value"]) - set(want)
            shown = _shown(case.expect).get(field, SUMMARY_STATE[field])
            return set(want) <= set(got["value"]) and extra <= set(shown), got
        return _same(field, got["value"], want), got
    if case.kind == "summary":
        return got == case.expect, got
    return got is not None and _same(case.kind, got, case.expect), got


def main() -> None:
    from tests.evaluation.forms_env import form_env

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--folder", type=Path, default=ANSWERS)
    args = parser.parse_args()
    env = form_env()
    totals, right = Counter(), Counter()
    for case in load(args.folder):
        if args.kind and case.kind != args.kind:
            continue
        ok, got = judge(env, case)
        totals[case.kind] += 1
        right[case.kind] += ok
        if args.misses and not ok:
            print(f"  MISS {case.kind:17} {case.text!r:40} expect={case.expect!r} got={got!r}")
    for kind in sorted(totals):
        print(f"{kind:17} {right[kind]:4}/{totals[kind]:<4} {right[kind] / totals[kind]:.3f}")
    print(f"{'all':17} {sum(right.values()):4}/{sum(totals.values()):<4} "
          f"{sum(right.values()) / max(1, sum(totals.values())):.3f}")


if __name__ == "__main__":
    main()
