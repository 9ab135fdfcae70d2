"""Screening scenarios (tests/data/screening_cases.yml) against the screening rules.

The fixtures are an oracle written from the policy texts (policies/*.yml) and the agreed thresholds,
not from bot/screening/rules.py: a failure may mean the rules, not the fixture, are wrong.
"""
from __future__ import annotations

from typing import Any

import pytest
import yaml

from bot.knowledge.loader import load
from bot.screening.household import ASSETS, BENEFITS, EVENTS, MEMBERS, Household
from bot.screening.rules import Finding, Standard, screen
from bot.settings import ROOT

CASES_PATH = ROOT / "tests" / "data" / "screening_cases.yml"
PROGRAMMES = ("dibao", "tekun", "linshi", "yiliao", "jiaoyu", "zhufang", "jiuye", "canji", "ertong",
              "laoren", "shouzai")
OUTCOMES = ("likely", "possible", "unlikely", "unknown")
SET_FIELDS = {"members": MEMBERS, "benefits": BENEFITS}
SCALAR_FIELDS = {"size", "income_low", "income_high", "urban", "disability_severe", "supporter", "event",
                 "event_recent"}

CASES: list[dict[str, Any]] = yaml.safe_load(CASES_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def standard() -> Standard:
    return Standard.from_kb(load(ROOT / "policies"))


def build(raw: dict[str, Any]) -> Household:
    unknown = set(raw) - SCALAR_FIELDS - set(SET_FIELDS) - {"assets"}
    assert not unknown, f"unknown Household fields {sorted(unknown)}"
    kwargs: dict[str, Any] = {k: v for k, v in raw.items() if k in SCALAR_FIELDS}
    for name, allowed in SET_FIELDS.items():
        values = set(raw.get(name) or [])
        assert values <= set(allowed), f"{name}: unknown {sorted(values - set(allowed))}"
        kwargs[name] = values
    if raw.get("assets") is not None:  # absent = not asked (None); [] = asked, none
        assets = set(raw["assets"])
        assert assets <= set(ASSETS), f"assets: unknown {sorted(assets - set(ASSETS))}"
        kwargs["assets"] = assets
    if kwargs.get("event") is not None:
        assert kwargs["event"] in EVENTS, f"unknown event {kwargs['event']!r}"
    assert kwargs.get("supporter") in (None, "none", "poor", "able"), f"bad supporter {kwargs.get('supporter')!r}"
    return Household(**kwargs)


def describe(case: dict[str, Any], findings: list[Finding]) -> str:
    lines = [f"case {case['name']}: {case['story']}", f"household: {case['household']}", "findings:"]
    lines += [f"  {f.programme:8} {f.outcome:9} {' | '.join(f.reasons)}" for f in findings]
    return "\n".join(lines)


# ------------------------------------------------------------------------- the fixture file itself

def test_enough_cases_with_unique_names() -> None:
    assert len(CASES) >= 30, f"only {len(CASES)} screening cases"
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_shape(case: dict[str, Any]) -> None:
    assert set(case) <= {"name", "story", "household", "expect", "reasons"}, case["name"]
    assert case["story"].strip() and case["household"], case["name"]
    assert 2 <= len(case["expect"]) <= 5, f"{case['name']}: expect 2–5 programmes"
    for programme, outcome in case["expect"].items():
        assert programme in PROGRAMMES and outcome in OUTCOMES, f"{case['name']}: {programme}: {outcome}"
    for programme, words in (case.get("reasons") or {}).items():
        assert programme in case["expect"], f"{case['name']}: reasons for {programme} not in expect"
        assert words and all(isinstance(w, str) and w for w in words), case["name"]
    build(case["household"])


def test_every_programme_reachable() -> None:
    hit = {p for c in CASES for p, o in c["expect"].items() if o in ("likely", "possible")}
    missing = [p for p in PROGRAMMES if p not in hit]
    assert not missing, f"no case expects likely/possible for: {missing}"


# ------------------------------------------------------------------------- the rules against the cases

@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_screening_case(case: dict[str, Any], standard: Standard) -> None:
    findings = screen(build(case["household"]), standard)
    by_programme = {f.programme: f for f in findings}
    problems: list[str] = []

    if sorted(by_programme) != sorted(PROGRAMMES) or len(findings) != len(PROGRAMMES):
        problems.append(f"expected one finding per programme, got {[f.programme for f in findings]}")
    for f in findings:
        if f.outcome not in OUTCOMES:
            problems.append(f"{f.programme}: invalid outcome {f.outcome!r}")
        if not any(r.strip() for r in f.reasons):
            problems.append(f"{f.programme}: no non-empty reason")

    for programme, expected in case["expect"].items():
        got = by_programme.get(programme)
        if got is None:
            problems.append(f"{programme}: no finding")
        elif got.outcome != expected:
            problems.append(f"{programme}: expected {expected}, got {got.outcome}")
    for programme, words in (case.get("reasons") or {}).items():
        got = by_programme.get(programme)
        text = " ".join(got.reasons) if got else ""
        for word in words:
            if word not in text:
                problems.append(f"{programme}: no reason mentions {word!r}")

    assert not problems, "\n".join(problems) + "\n" + describe(case, findings)
