"""The form engine (bot/forms/engine.py) in the places a mutation test found unchecked: a form that is not
resumable ends (never pauses) on a new request or a third unclear answer; a paused pre-screen resumes
with its answers; a correction mid-form asks the pending question again; a line of the summary named by
its number; "有点不对" at the summary opens the edit menu; a status look-up knows the case opened earlier."""
from __future__ import annotations

import pytest

from bot.forms.complaint import COMPLAINT
from bot.forms.engine import EDITING, OUTCOME, PAUSED_NOTE, RESUMED, RETRIES, RUN_ID, Detour, FormTurn, Interview
from bot.forms.followups import STATUS
from bot.forms.prescreen import PRESCREEN
from tests.unit.form_run import Run
from tests.unit.test_summary_corrections import DONE, SO_FAR, step

INCOME_ASKED = "全家一个月大概能有多少收入"


@pytest.fixture(scope="module")
def base():
    from tests.evaluation.forms_env import form_env
    return form_env()


def with_detour(base, followup: str | None, messages: list[str] | None = None) -> dict:
    """The env with a detour reader that always takes the words as `followup` (as bot/forms/detours.py
    does for "俺想查查进度" mid-form)."""
    return {**base, "_detour": lambda form, turn: Detour(messages or [], followup=followup)}


# -- a form that cannot pause ---------------------------------------------------------------------

def test_a_new_request_mid_complaint_ends_it_and_the_request_runs(base):
    run = Run(COMPLAINT, with_detour(base, "action_check_status"), "我要投诉")
    assert run.requested == "complaint_what" and run.slots["complaint_said"] == ["我要投诉"]
    said = run.say("查进度")  # too short to be the complaint: the new request wins
    assert run.done and run.slots[OUTCOME] == "switch:action_check_status"
    assert PAUSED_NOTE not in said  # nothing is kept to go back to
    assert run.slots["complaint_said"] is None and "form_paused" not in run.slots


def test_a_new_request_mid_prescreen_pauses_it_with_the_answers_kept(base):
    env = with_detour(base, "action_check_status")
    reply = step(env, "俺想查查进度", "monthly_income", SO_FAR)
    assert reply.requested_slot is None and reply.slots[OUTCOME] == "paused:action_check_status"
    assert reply.messages[-1] == PAUSED_NOTE
    # Rasa keeps the paused run in the slot the domain declares (domain/forms.yml: form_paused)
    assert reply.slots["form_paused"]["form"] == "prescreen_form"


@pytest.mark.parametrize("answers", [["123", "12345", "SL-20"], ["案件号是123", "1234", "就是那个567"]])
def test_a_status_look_up_ends_after_the_third_unclear_number(base, answers):
    run = Run(STATUS, base, "查进度")
    assert run.requested == "status_case"
    run.say(answers[0], answers[1])
    assert not run.done and run.slots[RETRIES] == 2
    said = run.say(answers[2])
    assert run.done and run.slots[OUTCOME] == "cancelled"
    assert said == STATUS.cancelled


def test_a_status_look_up_after_a_case_opened_here_asks_nothing(base):
    reply = Interview(STATUS).step(FormTurn(sender="s1", text="俺想问问办到哪了", requested_slot=None,
                                            slots={"case_number": "SL-2026-000123"}), base)
    assert reply.requested_slot is None and reply.slots["status_case"] == "SL-2026-000123"
    assert "case_number" not in reply.slots or reply.slots["case_number"] == "SL-2026-000123"


# -- resuming a paused pre-screen -----------------------------------------------------------------

def paused_state(**answers) -> dict:
    return {**answers, OUTCOME: "paused", "form_paused": {"form": "prescreen_form", "run_id": "r1"}}


def resume(base, text: str, slots: dict):
    return Interview(PRESCREEN).step(FormTurn(sender="s1", text=text, requested_slot=None, slots=slots), base)


def test_resuming_keeps_who_it_is_for(base):
    reply = resume(base, "接着办", paused_state(**{**SO_FAR, "need_whose": "relative"}))
    assert reply.messages[0] == RESUMED and reply.slots[RUN_ID] == "r1"
    assert reply.slots.get("need_whose", "relative") == "relative"
    assert reply.requested_slot == "monthly_income"


def test_resuming_takes_an_answer_said_with_it(base):
    slots = paused_state(need_whose="self", place=DONE["place"])
    reply = resume(base, "接着办 俺家四口人", slots)
    assert reply.messages[0] == RESUMED
    assert reply.slots.get("household_size") == 4 and reply.requested_slot == "monthly_income"


# -- corrections ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, size", [("说错了 是三口人", 3), ("不对 俺家是四口人", 4), ("刚才说错了，五口人", 5)])
def test_a_correction_mid_form_asks_the_pending_question_again(base, text, size):
    reply = step(base, text, "monthly_income", SO_FAR)
    assert reply.slots["household_size"] == size
    assert reply.requested_slot == "monthly_income" and INCOME_ASKED in reply.messages[-1]


@pytest.mark.parametrize("text, slot, value", [("第3项错了 是两口人", "household_size", 2),
                                               ("第1项错了 是给我妈问的", "need_whose", "relative"),
                                               ("改3 两口人", "household_size", 2),
                                               ("改1 给亲戚问的", "need_whose", "relative"),  # the first line
                                               ("改11 都没有", "current_benefits", []),        # the last line
                                               ("第11项错了 啥都没有", "current_benefits", [])])
def test_a_summary_line_named_by_number_takes_the_new_answer(base, text, slot, value):
    reply = step(base, text, "prescreen_confirmed", {**DONE, "current_benefits": ["dibao"]})
    assert reply.slots[slot] == value and reply.requested_slot == "prescreen_confirmed"


def test_two_bare_numbers_at_the_summary_are_no_correction(base):
    reply = step(base, "3 2", "prescreen_confirmed", DONE)
    assert "household_size" not in reply.slots or reply.slots["household_size"] == DONE["household_size"]
    assert reply.requested_slot == "prescreen_confirmed"


@pytest.mark.parametrize("text", ["有点不对", "有些不对", "这不对", "那不对", "有项不对", "有条不对", "有个不对", "有错",
                                  "有毛病", "不中", "不太对", "不对了", "不对啊", "不对呢", "有个地方不对"])
def test_saying_something_is_wrong_at_the_summary_opens_the_edit_menu(base, text):
    reply = step(base, text, "prescreen_confirmed", DONE)
    assert reply.slots[EDITING] is True and reply.messages[0].startswith("要改哪一项？")
    assert reply.slots.get(RETRIES) is None


@pytest.mark.parametrize("text", ["对 就俺一口人", "对，就我自己", "对 车有一辆"])
def test_a_yes_that_repeats_an_answer_confirms_the_summary(base, text):
    reply = step(base, text, "prescreen_confirmed", DONE)
    assert reply.slots["prescreen_confirmed"] == "yes" and reply.requested_slot == "referral_consent"
    assert not any("改成" in m for m in reply.messages)


def test_asking_for_a_person_mid_prescreen_hands_over_and_keeps_the_answers(base):
    reply = step(with_detour(base, "person"), "我要找你们领导", "monthly_income", SO_FAR)
    assert reply.requested_slot is None and reply.slots[OUTCOME] == "person"
    assert reply.slots["form_paused"]["form"] == "prescreen_form"
    assert reply.slots.get("household_size", "untouched") is not None


# an event said before its question (heard), the household size still pending: the event is line 3
AHEAD = {"need_whose": "self", "place": DONE["place"], "sudden_event": "illness", "event_when": "recent"}


@pytest.mark.parametrize("text, editing", [("3", True), ("改3", False), ("第3项", True)])
def test_changing_an_answer_heard_ahead_asks_the_pending_question_again(base, text, editing):
    reply = step(base, text, "household_size", {**AHEAD, EDITING: editing or None})
    assert reply.slots["sudden_event"] is None
    assert reply.requested_slot == "household_size" and reply.messages[-1].startswith("家里一起过日子的有几口人")
