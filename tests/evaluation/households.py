"""Pre-screen fidelity: scripted households (written by someone who had not seen the parsers) talk to the
whole product through the web chat, the way the page does, answering each question in their own words.

    python -m tests.evaluation.households [--set tuning|blind] [--show N] [--json out.json]

Per household: was the summary the resident confirmed entirely right (every field as its truth says),
per-field accuracy, completion (a case number for those who consent; a polite end for those who do not),
and resident turns from the opening to the case number. The resident plays fair: the answer for the
question asked (the engine's requested_slot), detours where the script has them, "接着办" when the bot
said to, and "不知道" to a question the script has no answer for (a wrong turn, counted).
"""
from __future__ import annotations

import argparse
import functools
import json
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.forms.prescreen import PRESCREEN
from bot.intake.models import Referral
from tests.evaluation.answers import _same
from tests.evaluation.forms_env import form_env

ROOT = Path(__file__).resolve().parents[2]
SETS = {"tuning": ROOT / "tests" / "data" / "households" / "tuning",
        "blind": ROOT / "tests" / "data" / "blind" / "households",      # spent (scored in stop 13)
        "blind2": ROOT / "tests" / "data" / "blind" / "households2",  # spent (scored in stop 15)
        "blind3": ROOT / "tests" / "data" / "blind" / "households3",  # spent (scored in stop 16, then tuned on)
        "blind4": ROOT / "tests" / "data" / "blind" / "households4",  # spent (scored in stop 16, then tuned on)
        "blind5": ROOT / "tests" / "data" / "blind" / "households5",  # spent (scored in stop 17, then tuned on)
        "blind6": ROOT / "tests" / "data" / "blind" / "households6",  # spent (scored in stop 17, then read)
        "blind7": ROOT / "tests" / "data" / "blind" / "households7",  # spent (scored in stop 19, then read)
        "blind8": ROOT / "tests" / "data" / "blind" / "households8",  # spent (scored in stop 19, then read)
        "blind9": ROOT / "tests" / "data" / "blind" / "households9",  # spent (scored in stop 20, then read)
        "blind10": ROOT / "tests" / "data" / "blind" / "households10",  # spent (stop 21 at 0966732, then read)
        "blind11": ROOT / "tests" / "data" / "blind" / "households11",  # spent (stop 22 at 46e824a, then read)
        "blind12": ROOT / "tests" / "data" / "blind" / "households12"}  # spent (stop 23, then read)
SUMMARISED = ("need_whose", "place", "household_size", "monthly_income", "special_members", "disability",
              "supporter", "sudden_event", "event_when", "assets", "current_benefits")
QUESTIONS = {question.slot: question for question in PRESCREEN.questions}
MAX_TURNS = 40
RESUME = "接着办"
BACK_FROM_STAFF = "结束人工"  # what the handoff message tells the resident to say to have the bot back


@dataclass
class Outcome:
    id: str
    turns: int = 0                    # resident messages, the opening included
    confirmed: dict[str, Any] | None = None  # slots when the resident confirmed the summary
    case_number: str | None = None
    ended_politely: bool = False      # refused consent: the bot said it would not pass anything on
    unscripted: list[str] = field(default_factory=list)  # questions the script had no answer for
    asked: list[str] = field(default_factory=list)       # the question each answer went to, in order
    not_asked: list[str] = field(default_factory=list)   # truth fields the form rightly did not ask (see score)
    wrong: list[str] = field(default_factory=list)       # fields recorded differently from the truth
    transcript: list[tuple[str, str]] = field(default_factory=list)

    @property
    def completed(self) -> bool:
        return bool(self.case_number) or self.ended_politely


@functools.cache
def _form_env() -> dict[str, Any]:
    return form_env()


def load(folder: Path) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yml"))]


def field_right(name: str, got: Any, truth: Any) -> bool:
    if name == "place":
        if truth == "unknown":
            return isinstance(got, dict) and got.get("code") is None
        return isinstance(got, dict) and got.get("name") == truth["township"] and (
            truth.get("place") is None or got.get("place") == truth["place"])
    if name == "consent":
        return got == ("yes" if truth else "no")
    if name in ("name", "phone"):
        return (got or "") == str(truth)
    if name in ("special_members", "assets", "current_benefits") and isinstance(truth, list):
        return isinstance(got, list) and sorted(got) == sorted(truth)
    return got is not None and _same(name, got, truth)


ORDER = [question.slot for question in PRESCREEN.questions]
SLOT_OF = {"consent": "referral_consent", "name": "contact_phone", "phone": "contact_phone"}


def _due(before: str | None, requested: str) -> bool:
    """A detour is said before its question, or at the next one asked when its question is rightly skipped
    (a size corrected "before supporter" in a household that is never asked about supporters)."""
    before = SLOT_OF.get(before or "", before)
    if before not in ORDER or requested not in ORDER:
        return before == requested
    return ORDER.index(before) <= ORDER.index(requested)


class Resident:
    """One scripted household talking to the app's /api/chat, reading the tracker to know the question."""

    def __init__(self, household: dict, app_url: str, engine_url: str, token: str, client: httpx.Client,
                 database_url: str):
        self.h, self.client, self.database_url = household, client, database_url
        self.app_url, self.engine_url, self.engine_token = app_url, engine_url, token
        self.token = client.post(f"{app_url}/api/chat/session").json()["sender"]  # issued by the app
        self.sender = self.token.split(".")[0]
        self.outcome = Outcome(household["id"])
        self.detours = list(household.get("detours") or [])
        self.summary = list(household.get("summary") or ["对"])
        self.asked: dict[str, int] = {}
        self.handed_back = False

    def say(self, text: str) -> list[str]:
        messages = self.client.post(f"{self.app_url}/api/chat", json={"sender": self.token, "text": text}).json()
        messages = messages.get("messages", [])
        self.outcome.turns += 1
        self.outcome.transcript += [("resident", text)] + [("bot", m) for m in messages]
        return messages

    def tracker(self) -> dict[str, Any]:
        return self.client.get(f"{self.engine_url}/conversations/web-{self.sender}/tracker",
                               params={"token": self.engine_token}).json()

    def answer(self, slot: str, slots: dict[str, Any]) -> str:
        answers = {**(self.h.get("answers") or {})}
        self.asked[slot] = self.asked.get(slot, 0) + 1
        self.outcome.asked.append(slot)
        if slot == "prescreen_confirmed":
            if self.outcome.confirmed is None or len(self.summary) > 0:
                reply = self.summary.pop(0) if self.summary else "对"
                if not self.summary:  # the last reply at the summary confirms it
                    self.outcome.confirmed = dict(slots)
                return reply
            return "对"
        key = {"referral_consent": "consent", "contact_name": "name", "contact_phone": "phone"}.get(slot, slot)
        if slot == "contact_phone" and answers.get("name") and self.asked[slot] == 1:
            # one question asks for both: the resident gives what she would have said to each
            return f"{answers['name']} {answers.get('phone', '')}".strip()
        if key in answers and self.asked[slot] == 1:
            return str(answers[key])
        if self.summary and self.asked.get("prescreen_confirmed") and self.outcome.confirmed is None:
            return self.summary.pop(0)  # "改3" at the summary, then the new answer the script gives next
        if key not in answers:
            self.outcome.unscripted.append(slot)
        return "不知道"

    def run(self) -> Outcome:
        messages = self.say(self.h["opening"])
        while self.outcome.turns < MAX_TURNS:
            if any("案件号：" in m for m in messages):
                self.outcome.case_number = next(m for m in messages if "案件号：" in m)
                return self.outcome
            if any("现在有危险吗" in m for m in messages):  # the safety question: these households are not in danger
                messages = self.say("没有")
                continue
            if any("请回复“是”或“不是”" in m for m in messages):  # "您是想问“救助政策”吗？": yes, she came for help
                messages = self.say("是")
                continue
            tracker = self.tracker()
            slots = tracker.get("slots") or {}
            loop = (tracker.get("active_loop") or {}).get("name")
            requested = slots.get("requested_slot") if loop else None
            if loop is None:
                if any("不转了" in m for m in messages):
                    self.outcome.ended_politely = True
                    return self.outcome
                said = "\n".join(messages)
                # the bot answered something else: go back to applying, as the bot said or as anyone would
                if BACK_FROM_STAFF in said and not self.handed_back:
                    # asked for a person on the way; nobody staffs this run, so she takes the bot back
                    self.handed_back = True
                    messages = self.say(BACK_FROM_STAFF)
                elif RESUME in said or str(slots.get("form_outcome") or "").startswith("paused"):
                    messages = self.say(RESUME)
                elif self.outcome.confirmed is None:
                    messages = self.say("我想申请救助")
                else:
                    return self.outcome
                continue
            if loop != "prescreen_form":
                messages = self.say("算了")
                continue
            detour = next((d for d in self.detours if _due(d.get("before"), requested)), None)
            if detour is not None:
                self.detours.remove(detour)
                messages = self.say(str(detour["text"]))
                continue
            messages = self.say(self.answer(requested, slots))
        return self.outcome

    def score(self) -> Outcome:
        truth, got = self.h["truth"], {**(self.outcome.confirmed or {}), **self._sent()}
        slots = {"consent": "referral_consent", "name": "contact_name", "phone": "contact_phone"}
        env = {**_form_env(), **got}
        for name, want in truth.items():
            if name == "name" and not self.outcome.case_number and not truth.get("phone"):
                continue  # no phone, no referral: the name is rightly kept nowhere
            question = QUESTIONS.get(name)
            if (self.outcome.confirmed is not None and got.get(name) is None and question is not None
                    and question.when is not None and not question.when(env)):
                # the answers confirmed make this question moot (no supporter asked of a working household,
                # no assets of a clearly well-off one): collecting the minimum is not a wrong field
                self.outcome.not_asked.append(name)
                continue
            if not field_right(name, got.get(slots.get(name, name)), want):
                self.outcome.wrong.append(name)
        return self.outcome

    def _sent(self) -> dict[str, Any]:
        """Consent as the conversation recorded it (the form's slots are cleared after it); name and phone as
        the referral recorded them (the tracker store masks them)."""
        events = self.tracker().get("events") or []
        seen: dict[str, Any] = {}
        for event in events:
            if event.get("event") == "slot" and event.get("name") == "referral_consent" and event.get("value"):
                seen["referral_consent"] = event["value"]
        number = re.search(r"SL-\d{4}-\d{6}", self.outcome.case_number or "")
        if number:
            with Session(create_engine(self.database_url)) as session:
                referral = session.scalars(select(Referral).where(Referral.case_number == number.group(0))).one()
                seen.update(contact_name=referral.contact_name or "", contact_phone=referral.contact_phone or "")
        return seen


def figures(outcomes: list[Outcome], households: list[dict]) -> dict[str, Any]:
    fields: dict[str, list[bool]] = {}
    for outcome, household in zip(outcomes, households):
        for name in household["truth"]:
            if name not in outcome.not_asked:
                fields.setdefault(name, []).append(name not in outcome.wrong)
    consenting = [o for o, h in zip(outcomes, households) if h["truth"].get("consent")]
    turns = [o.turns for o in consenting if o.case_number]
    return {
        "households": len(outcomes),
        "entirely_right": round(sum(not o.wrong and o.confirmed is not None for o in outcomes) / len(outcomes), 3),
        "completion": round(sum(o.completed for o in outcomes) / len(outcomes), 3),
        "referrals": f"{len(turns)}/{len(consenting)}",
        "median_turns_to_case_number": statistics.median(turns) if turns else None,
        "unscripted_questions": sum(len(o.unscripted) for o in outcomes),
        "truth_fields_moot_by_the_answers": sum(len(o.not_asked) for o in outcomes),
        # where the turns go: answers per household to each question (more than 1.0 means asked again)
        "answers_per_question": {slot: round(sum(o.asked.count(slot) for o in outcomes) / len(outcomes), 2)
                                 for slot in dict.fromkeys(s for o in outcomes for s in o.asked)},
        "per_field": {name: round(sum(v) / len(v), 3) for name, v in sorted(fields.items())},
    }


def main(argv: list[str] | None = None) -> int:
    from dataclasses import replace

    from bot.runtime.stack import engine_running
    from bot.settings import get_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="tuning")
    parser.add_argument("--show", type=int, default=0, help="print the transcripts of N wrong households")
    parser.add_argument("--only", help="one household id")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    households = [h for h in load(SETS[args.set]) if not args.only or h["id"] == args.only]
    # every household talks from 127.0.0.1: the per-address limits would cut the run short after a few
    # households (as the test stack does, the limits are multiplied; they have their own tests)
    settings = replace(get_settings(), rate_limit_factor=50)
    outcomes = []
    with engine_running(settings, with_app=True), httpx.Client(timeout=60) as client:
        for household in households:
            resident = Resident(household, settings.app_url, settings.engine_url, settings.engine_token, client,
                                settings.database_url)
            resident.run()
            outcomes.append(resident.score())
    result = figures(outcomes, households)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    shown = 0
    for outcome in outcomes:
        if outcome.wrong or not outcome.completed:
            print(f"{outcome.id}: wrong={outcome.wrong} completed={outcome.completed} turns={outcome.turns} "
                  f"unscripted={outcome.unscripted}")
            if shown < args.show:
                shown += 1
                for who, text in outcome.transcript:
                    print(f"   {'>>' if who == 'resident' else '  '} {text.replace(chr(10), ' / ')[:160]}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"figures": result, "households": [o.__dict__ for o in outcomes]},
                                        ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
