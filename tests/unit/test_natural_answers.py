"""Hundreds of natural answers, written by someone who had not seen the parsers (tests/data/answers/, and
the blind table tests/data/blind/answers2/, scored once in stop 23 and then read), each read by the pre-screen exactly as a resident's reply would be. `python -m tests.evaluation.answers
--misses` prints the same table as figures."""
from __future__ import annotations

import pytest

from bot.settings import ROOT
from tests.evaluation.answers import Case, judge, load
from tests.evaluation.forms_env import form_env

CASES = load() + load(ROOT / "tests" / "data" / "blind" / "answers2")
# Read wrongly today, each for a reason a rule would not fix without breaking others; a case that starts
# passing fails the test below, so the list only shrinks.
KNOWN_MISSES = {
    "地方写错了": "地方 is the place here, but 有个地方不对 means 'something'; the edit menu shows, one tap away",
    # the answers2 writer was unsure of these four too (its README); the form's reading is defensible
    "不知道算不算 村里说俺家是监测户": "she doubts it herself: unknown, and the clerk checks it",
    "好像有低保 老伴办的 俺也说不好": "a guess she then doubts is unknown (the eleventh households set's rule)",
    "办了": "a certificate with no grade: the question is asked once more with the grades, then unknown",
    "儿子死了 儿媳妇改嫁了": "改嫁 is a parent who stopped caring (the unparented rule); here the son is gone",
}


@pytest.fixture(scope="module")
def env():
    return form_env()


def test_the_table_is_big_enough_to_mean_something():
    kinds = {case.kind for case in CASES}
    assert len(CASES) >= 700 and len(kinds) == 15
    assert all(sum(c.kind == kind for c in CASES) >= 40 for kind in kinds)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}-{n}" for n, c in enumerate(CASES)])
def test_a_natural_answer_is_read_as_meant(env, case: Case):
    ok, got = judge(env, case)
    if case.text in KNOWN_MISSES:
        assert not ok, f"{case.text!r} is read right now: take it off KNOWN_MISSES"
        return
    assert ok, f"{case.text!r}: expected {case.expect!r}, recorded {got!r}"
