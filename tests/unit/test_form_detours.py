"""Detours mid-form (issue 9): a question is answered and the form's question comes again; a new request
wins (the form pauses with every answer kept, and resumes on "接着办"); an answer always wins over a guess."""
from __future__ import annotations

import pytest

from bot.forms.detours import Detours
from bot.forms.engine import OUTCOME, PAUSED_NOTE, RESUMED, RETRIES, RUN_ID, FormTurn, Interview
from bot.forms.followups import STATUS
from bot.forms.prescreen import PRESCREEN
from bot.forms.service import Forms
from bot.replies.service import Replies
from tests.evaluation.forms_env import form_env
from bot.gazetteer.divisions import DIVISIONS_FILE, load
from bot.settings import ROOT

GAZETTEER = load(ROOT / "policies" / DIVISIONS_FILE)

SO_FAR = {"need_whose": "self", "household_size": 2, "form_run_id": "run-1",
          "place": {"code": "220382101", "name": "双山镇", "place": "秀水村", "urban": False,
                    "office": "双山镇人民政府社会救助窗口", "text": "双山镇秀水村"}}


@pytest.fixture(scope="module")
def env():
    built = form_env()
    return {**built, "_detour": Detours(built["_kb"], Replies(built["_kb"], 160))}


def step(env, text: str, requested: str | None, slots: dict, intent: str | None = None, confidence: float = 0.9):
    turn = FormTurn(sender="s1", text=text, intent=intent, confidence=confidence, requested_slot=requested,
                    slots={**slots, **({requested: text} if requested else {})})
    return Interview(PRESCREEN).step(turn, env)


def test_a_policy_question_mid_form_is_answered_then_the_question_comes_again(env):
    reply = step(env, "临时救助一次能给多少钱", "monthly_income", SO_FAR, intent="ask_amount")
    said = "\n".join(reply.messages)
    assert "临时救助" in said and "依据" in said          # the answer, with its source
    assert reply.requested_slot == "monthly_income" and "收入" in reply.messages[-1]
    assert reply.slots.get(RETRIES) is None            # a question is not an unclear answer


def test_a_question_that_names_an_earlier_answer_does_not_wipe_it(env):
    """The seventh blind households set: "是不是" is no 不是, and a question about money is no correction of the
    income; before, the income was cleared and asked again, and the resident had said it already."""
    answered = {**SO_FAR, "monthly_income": {"low": 350, "high": 399}, "special_members": ["elderly"],
                "supporter": "poor", "sudden_event": "fire"}
    reply = step(env, "危房改造是不是得自己先垫钱啊", "event_when", answered, intent="ask_process")
    assert reply.slots.get("monthly_income", answered["monthly_income"]) == answered["monthly_income"]
    assert reply.requested_slot == "event_when"


def test_an_unsure_guess_is_not_a_detour(env):
    reply = step(env, "临时救助一次能给多少钱", "monthly_income", SO_FAR, intent="ask_amount", confidence=0.3)
    assert reply.requested_slot == "monthly_income" and reply.slots.get(RETRIES) == 1


def test_an_answer_wins_over_what_the_model_guessed(env):
    reply = step(env, "没有车 就一套住房", "assets", {**SO_FAR, "monthly_income": {"low": 800, "high": 800},
                                                  "special_members": [], "sudden_event": "none"},
                 intent="ask_eligibility")
    assert reply.slots["assets"] == [] and reply.requested_slot == "current_benefits"


def test_a_status_request_pauses_the_form_and_it_resumes_with_every_answer(env, kb):
    reply = step(env, "查一下俺上回申请到哪了", "monthly_income", SO_FAR, intent="check_status")
    assert reply.requested_slot is None and reply.slots[OUTCOME] == "paused:action_check_status"
    assert PAUSED_NOTE in reply.messages
    slots = {**SO_FAR, **reply.slots}
    forms = Forms(kb, Replies(kb, 160), GAZETTEER)
    submitted = forms.submit("prescreen_form", FormTurn(sender="s1", slots=slots), list)
    assert submitted.followup == "action_check_status" and submitted.slots == {OUTCOME: None}  # answers kept
    slots.update(submitted.slots)
    # the status look-up runs as its own form: it clears the slots all forms share, and submits once
    slots.update(STATUS.cleared())
    assert forms.submit("status_form", FormTurn(sender="s1", slots=slots), list).followup != "action_check_status"
    resumed = step(env, "接着办", None, slots, intent="seek_help")
    assert resumed.messages[0] == RESUMED and resumed.requested_slot == "monthly_income"
    assert all(resumed.slots.get(k, v) == v for k, v in SO_FAR.items())
    assert resumed.slots[RUN_ID] == "run-1"  # the same run: one referral, whatever happened between


def test_asking_for_a_person_in_words_mid_form_hands_over(env):
    reply = step(env, "俺想找个真人问问", "household_size", SO_FAR, intent="request_human")
    assert reply.requested_slot is None and reply.slots[OUTCOME] == "person"


def test_after_the_person_the_form_resumes_with_every_answer(env, kb):
    """"能不能给俺找个真人唠" mid-form, then "结束人工" and "我想申请救助": nothing typed is lost."""
    reply = step(env, "能不能给俺找个真人唠 俺打字太慢了", "monthly_income", SO_FAR, intent="request_human")
    slots = {**SO_FAR, **reply.slots}
    submitted = Forms(kb, Replies(kb, 160), GAZETTEER).submit("prescreen_form", FormTurn(sender="s1", slots=slots),
                                                              lambda: ["已转人工"])
    assert submitted.messages == ["已转人工"] and submitted.slots == {OUTCOME: None}  # handed over, answers kept
    resumed = step(env, "我想申请救助", None, {**slots, **submitted.slots}, intent="seek_help")
    assert resumed.messages[0] == RESUMED and resumed.requested_slot == "monthly_income"
    assert all(resumed.slots.get(k, v) == v for k, v in SO_FAR.items()) and resumed.slots[RUN_ID] == "run-1"


def test_applying_again_mid_form_is_not_a_new_request(env):
    reply = step(env, "俺想申请低保", "monthly_income", SO_FAR, intent="seek_help")
    assert reply.requested_slot == "monthly_income" and reply.slots.get(OUTCOME) is None


def test_a_new_run_after_a_finished_one_starts_clean(env):
    reply = step(env, "俺想申请低保", None, {**SO_FAR, OUTCOME: "done"}, intent="seek_help")
    assert reply.messages[0] != RESUMED and reply.slots.get("household_size") is None
