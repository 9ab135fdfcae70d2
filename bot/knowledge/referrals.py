"""The referral queue's part of the knowledge base, loaded and checked with the rest (bot.knowledge.loader):

- `timelimits.yml`: each programme's time limits by status. A limit quotes the sentence of the programme's
  own file that states it (the quote must occur there and name its number of working days; its sources are
  that sentence's) or names the bureau's rule where no policy text has one. The fallback programme (低保)
  needs a limit for every status a clock runs in: programmes without their own run its limits.
- `workdays.yml`: public holidays and the weekend days worked in their place (调休), filled in by the bureau.
- `referral-notices.yml`: the next step the resident is told at each status, one sentence each, with the
  sources of the policy it states (an empty list for a sentence that states none).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.intake.timelimits import ACCEPTED, CLOCK_STATUSES, RECEIVED, Calendar, Limit, TimeLimits
from bot.intake.workflow import NOTICES_FILE, STATUSES
from bot.knowledge.schema import Programme, SourceRef

TIMELIMITS_FILE, WORKDAYS_FILE = "timelimits.yml", "workdays.yml"
FILES = {TIMELIMITS_FILE, WORKDAYS_FILE, NOTICES_FILE}
PLACEHOLDER = re.compile(r"\{([^}]*)\}")
NOTICE_PLACEHOLDERS = {"department"}

CheckRef = Callable[[SourceRef], "str | None"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LimitSpec(_Strict):
    days: int = Field(ge=1, le=90)
    goal: str = Field(min_length=2, max_length=30)
    since: str = Field(pattern=f"^({RECEIVED}|{ACCEPTED})$")
    quote: str | None = Field(default=None, min_length=4, max_length=160)
    rule: str | None = Field(default=None, min_length=4, max_length=160)


class Notice(_Strict):
    text: str = Field(min_length=2, max_length=160)
    sources: list[SourceRef]   # required; [] for a sentence that states no policy


@dataclass(frozen=True)
class ReferralFacts:
    time_limits: TimeLimits
    next_steps: dict[str, Notice]

    @property
    def next_step_texts(self) -> dict[str, str]:
        """Status → sentence, as bot.staff.notify takes them."""
        return {status: notice.text for status, notice in self.next_steps.items()}


def _read(path: Path, problems: list[str]) -> dict[str, Any]:
    if not path.is_file():
        problems.append(f"missing policies/{path.name}")
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        problems.append(f"{path.name}: not valid YAML: {exc}")
        return {}
    if not isinstance(data, dict):
        problems.append(f"{path.name}: expected a mapping")
        return {}
    return data


def _sourced_texts(programme: Programme) -> Iterable[tuple[str, list[SourceRef]]]:
    yield programme.summary.text, programme.summary.sources
    for items in programme.aspects.values():
        for item in items:
            yield item.text, item.sources
    for faq in programme.faq:
        yield faq.a, faq.sources


def _cite(refs: list[SourceRef]) -> str:
    by_doc: dict[str, list[str]] = {}
    for ref in refs:
        by_doc.setdefault(ref.doc, []).extend([ref.article] if ref.article else [])
    return "；".join(f"{doc} {'、'.join(articles)}".strip() for doc, articles in by_doc.items())


def _limit(name: str, status: str, spec: LimitSpec, programme: Programme, problems: list[str]) -> Limit | None:
    where = f"{TIMELIMITS_FILE} {name}.{status}"
    if (spec.quote is None) == (spec.rule is None):
        problems.append(f"{where}: give either a quote of {name}.yml or the rule it follows, one of them")
        return None
    if spec.rule is not None:
        return Limit(spec.days, spec.goal, spec.since, spec.rule)
    quote = spec.quote or ""
    if f"{spec.days}个工作日" not in quote:
        problems.append(f"{where}: the quote does not say {spec.days}个工作日")
        return None
    refs = next((refs for text, refs in _sourced_texts(programme) if quote in text), None)
    if refs is None:
        problems.append(f"{where}: '{quote}' does not occur in {name}.yml")
        return None
    return Limit(spec.days, spec.goal, spec.since, f"{quote}（{_cite(refs)}，policies/{name}.yml）")


def load_time_limits(base: Path, programmes: dict[str, Programme], problems: list[str]) -> TimeLimits:
    data = _read(base / TIMELIMITS_FILE, problems)
    fallback = str(data.get("fallback", ""))
    table: dict[str, dict[str, Limit]] = {}
    for name, by_status in (data.get("programmes") or {}).items():
        if name not in programmes:
            problems.append(f"{TIMELIMITS_FILE}: unknown programme '{name}'")
            continue
        table[name] = {}
        for status, raw in (by_status or {}).items():
            if status not in CLOCK_STATUSES:
                problems.append(f"{TIMELIMITS_FILE} {name}: no clock runs in status '{status}'")
                continue
            try:
                spec = LimitSpec(**(raw or {}))
            except ValidationError as exc:
                problems.append(f"{TIMELIMITS_FILE} {name}.{status}: {exc}")
                continue
            limit = _limit(name, status, spec, programmes[name], problems)
            if limit is not None:
                table[name][status] = limit
    if data and fallback not in table:
        problems.append(f"{TIMELIMITS_FILE}: the fallback '{fallback}' has no limits")
    missing = [s for s in CLOCK_STATUSES if s not in table.get(fallback, {})]
    if data and fallback in table and missing:
        problems.append(f"{TIMELIMITS_FILE}: the fallback '{fallback}' has no limit for {', '.join(missing)}")
    return TimeLimits(table, fallback, load_calendar(base, problems))


def _days(values: Any, where: str, problems: list[str]) -> frozenset[date]:
    found = set()
    for value in values or []:
        try:
            found.add(value if isinstance(value, date) else date.fromisoformat(str(value)))
        except ValueError:
            problems.append(f"{where}: '{value}' is not a date like 2026-10-01")
    return frozenset(found)


def load_calendar(base: Path, problems: list[str]) -> Calendar:
    data = _read(base / WORKDAYS_FILE, problems)
    holidays = _days(data.get("holidays"), f"{WORKDAYS_FILE} holidays", problems)
    workdays = _days(data.get("workdays"), f"{WORKDAYS_FILE} workdays", problems)
    for day in sorted(workdays):
        if day.weekday() < 5:
            problems.append(f"{WORKDAYS_FILE} workdays: {day} is a weekday (list only the weekend days worked)")
    for day in sorted(holidays & workdays):
        problems.append(f"{WORKDAYS_FILE}: {day} is both a holiday and a working day")
    return Calendar(holidays, workdays)


def load_notices(base: Path, check_ref: CheckRef, problems: list[str]) -> dict[str, Notice]:
    raw = _read(base / NOTICES_FILE, problems).get("next_step") or {}
    notices: dict[str, Notice] = {}
    for status, entry in raw.items():
        if status not in STATUSES:
            problems.append(f"{NOTICES_FILE}: unknown status '{status}'")
            continue
        try:
            notices[status] = notice = Notice(**(entry or {}))
        except ValidationError as exc:
            problems.append(f"{NOTICES_FILE} {status}: {exc}")
            continue
        for name in set(PLACEHOLDER.findall(notice.text)) - NOTICE_PLACEHOLDERS:
            problems.append(f"{NOTICES_FILE} {status}: unknown placeholder {{{name}}}")
        for ref in notice.sources:
            error = check_ref(ref)
            if error:
                problems.append(f"{NOTICES_FILE} {status}: {error}")
    if (base / NOTICES_FILE).is_file():
        problems += [f"{NOTICES_FILE}: no next step for status '{s}'" for s in STATUSES if s not in raw]
    return notices


def load(base: Path, programmes: dict[str, Programme], check_ref: CheckRef, problems: list[str]) -> ReferralFacts:
    """The queue's facts; every problem found is appended to `problems` (the loader refuses to start on any)."""
    return ReferralFacts(load_time_limits(base, programmes, problems), load_notices(base, check_ref, problems))
