"""No trap: every question of every form, answered with nonsense, offers the way on by the second
unclear answer and never asks the same thing a third time (issue 9)."""
from __future__ import annotations

from typing import Any

import pytest

from bot.forms.engine import ONWARD, OUTCOME, FormTurn, Interview
from bot.forms.service import FORMS
from tests.evaluation.forms_env import form_env

NONSENSE = "哈哈哈哈哈哈"
PLACE = {"code": "220382101", "name": "双山镇", "place": "秀水村", "urban": False,
         "office": "双山镇人民政府社会救助窗口", "text": "双山镇秀水村"}
# A valid answer for every slot, chosen so that every conditional question applies.
SAMPLE: dict[str, Any] = {
    "need_whose": "self", "place": PLACE, "household_size": 1, "monthly_income": {"low": 300, "high": 300},
    "special_members": ["elderly", "disabled"], "disability": "severe", "supporter": "none",
    "sudden_event": "illness", "event_when": "recent", "assets": [], "current_benefits": [],
    "prescreen_confirmed": "yes", "referral_consent": "yes", "contact_name": "刘桂芝",
    "contact_phone": "13943421234", "report_place": PLACE, "report_situation": "老人一个人住，好几天没见人",
    "report_urgency": "soon", "reporter_phone": "", "status_case": "SL-2026-000001",
    "status_phone": "13943421234", "urgent_place": PLACE, "urgent_phone": "",
}
QUESTIONS = [(name, q.slot) for name, form in FORMS.items() for q in form.questions]


@pytest.fixture(scope="module")
def env():
    return form_env()


@pytest.mark.parametrize("form_name, slot", QUESTIONS, ids=[f"{f}.{s}" for f, s in QUESTIONS])
def test_nonsense_never_traps(env, form_name: str, slot: str):
    form = FORMS[form_name]
    order = [q.slot for q in form.questions]
    slots = {s: SAMPLE.get(s) for s in order[: order.index(slot)]}
    interview, asked = Interview(form), form.question(slot)
    if not asked.when({**env, **slots}):
        pytest.skip("not asked for this sample household")  # every slot is applicable with SAMPLE; kept honest
    replies, requested = [], slot
    for _ in range(3):
        reply = interview.step(FormTurn(text=NONSENSE, requested_slot=requested, slots={**slots, requested: NONSENSE}),
                               env)
        slots.update(reply.slots)
        replies.append("\n".join(reply.messages))
        if reply.requested_slot != slot:
            break
        requested = reply.requested_slot
    if reply.requested_slot == slot:
        pytest.fail(f"still asking {slot} after three unclear answers: {replies}")
    prompt = asked.ask({**env, **slots})
    assert sum(prompt in text for text in replies) < 2, "the same question came twice"
    if len(replies) == 3:  # neither skipped nor accepted: the way on was offered, then the form stopped
        assert ONWARD in replies[1]
        assert reply.requested_slot is None and slots[OUTCOME] in ("paused", "cancelled")
        assert "12345" in replies[2] or "人工" in replies[2] or form.cancelled in replies[2]


def test_every_question_is_applicable_to_the_sample(env):
    for name, form in FORMS.items():
        order = [q.slot for q in form.questions]
        for question in form.questions:
            slots = {s: SAMPLE.get(s) for s in order[: order.index(question.slot)]}
            assert question.when({**env, **slots}), f"{name}.{question.slot}"
