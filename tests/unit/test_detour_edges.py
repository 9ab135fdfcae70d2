"""The edges of a detour mid-form (bot/forms/detours.py): how sure the model must be, which request wins
over the question in which form, and which answer a policy question gets there (the knowledge base's
answer, one aspect, the summary, or "the questions will tell"). The whole flow is in test_form_detours.py."""
from __future__ import annotations

import pytest

from bot.forms.detours import BOT, LATER, Detours
from bot.forms.engine import FormTurn
from bot.replies.service import Replies

FORMS = ["prescreen_form", "report_form", "status_form", "complaint_form"]


@pytest.fixture(scope="module")
def detours(kb):
    return Detours(kb, Replies(kb, 160))


def detour(detours, form: str, text: str, intent: str | None, confidence: float | None = 0.9, **turn):
    return detours(form, FormTurn(sender="s1", text=text, intent=intent, confidence=confidence, **turn))


def said(found) -> str:
    return "\n".join(found.messages)


# ---------------------------------------------------------------------------------- how sure, which intent

@pytest.mark.parametrize("confidence,taken", [(0.5, True), (0.49, False), (None, False), (0.0, False)])
def test_the_model_must_be_at_least_half_sure(detours, confidence, taken):
    found = detour(detours, "prescreen_form", "查一下俺上回申请到哪了", "check_status", confidence)
    assert (found is not None) is taken


def test_no_intent_is_no_detour(detours):
    assert detour(detours, "prescreen_form", "俺家那口子", None) is None


@pytest.mark.parametrize("intent,text", [("greet", "你好"), ("thanks", "谢谢啊"), ("affirm", "嗯呐"),
                                         ("out_of_scope", "明天下雨不"), ("emergency", "俺家着火了"),
                                         ("no_such_intent", "嗯")])
def test_small_talk_and_danger_are_no_detour(detours, intent, text):
    # danger mid-form is the app's to handle (bot/safety), before the form sees the words
    assert detour(detours, "prescreen_form", text, intent) is None


# A new request wins over the question, in every form but its own.
@pytest.mark.parametrize("form,intent,text,followup", [
    ("prescreen_form", "check_status", "俺上回申请的低保到哪一步了", "action_check_status"),
    ("report_form", "check_status", "俺上回申请的低保到哪一步了", "action_check_status"),
    ("prescreen_form", "complaint", "村干部优亲厚友 俺要投诉", "complaint_form"),
    ("status_form", "complaint", "村干部优亲厚友 俺要投诉", "complaint_form"),
    ("prescreen_form", "report_other", "俺们屯有个孤老头没人管", "report_form"),
    ("complaint_form", "report_other", "俺们屯有个孤老头没人管", "report_form"),
    ("report_form", "seek_help", "俺家也揭不开锅了", "prescreen_form"),
    ("status_form", "seek_help", "俺家也揭不开锅了", "prescreen_form"),
])
def test_a_new_request_wins_over_the_question(detours, form, intent, text, followup):
    found = detour(detours, form, text, intent)
    assert found is not None and found.followup == followup and found.messages == []


@pytest.mark.parametrize("form,intent,text", [
    ("prescreen_form", "seek_help", "俺想申请低保"),
    ("report_form", "report_other", "就是俺们屯那个孤老头"),
    ("status_form", "check_status", "就查俺那个申请"),
    ("complaint_form", "complaint", "俺就是要投诉他"),
])
def test_the_forms_own_request_is_an_unclear_answer(detours, form, intent, text):
    assert detour(detours, form, text, intent) is None


@pytest.mark.parametrize("form", FORMS)
def test_asking_for_a_person_hands_over_in_every_form(detours, form):
    found = detour(detours, form, "俺要找工作人员说", "request_human")
    assert found is not None and found.followup == "person" and found.messages == []


def test_asking_if_it_is_a_machine_is_answered_and_the_question_comes_again(detours):
    found = detour(detours, "report_form", "你是机器人吧", "bot_challenge")
    assert found is not None and found.messages == [BOT] and found.followup is None


# ---------------------------------------------------------------------------------- a policy question

def test_a_question_the_knowledge_base_answers_word_for_word(detours):
    found = detour(detours, "prescreen_form", "有车有楼能吃低保不", "ask_eligibility")
    assert found.followup is None and "【低保·常见问题】" in said(found)


@pytest.mark.parametrize("intent,text,head", [
    ("ask_materials", "低保要带啥材料", "【低保·要带的材料】"),
    ("ask_process", "低保去哪办", "【低保·怎么办、去哪办、要多久】"),
    ("ask_amount", "特困供养一个月给多少", "【特困供养·能领多少】"),
    ("ask_eligibility", "残疾人补贴啥条件能领", "【残疾人两项补贴·申请条件】"),
])
def test_a_programme_named_in_the_words_gets_that_aspect(detours, intent, text, head):
    found = detour(detours, "prescreen_form", text, intent)
    assert said(found).startswith(head)


@pytest.mark.parametrize("intent", ["ask_policy", "choose_option"])
def test_a_programme_without_an_aspect_gets_its_summary(detours, intent):
    found = detour(detours, "prescreen_form", "低保是啥", intent)
    assert said(found).startswith("【低保】")


def test_the_programme_the_model_found_counts_when_the_words_do_not_name_it(detours):
    found = detour(detours, "prescreen_form", "那个要带啥材料", "ask_materials", programme_entity="特困")
    assert said(found).startswith("【特困供养·要带的材料】")


def test_the_programme_talked_about_before_the_form_counts(detours):
    found = detour(detours, "prescreen_form", "那要带啥材料", "ask_materials", slots={"programme": "tekun"})
    assert said(found).startswith("【特困供养·要带的材料】")


@pytest.mark.parametrize("intent,text,later", [
    ("ask_materials", "申请要准备啥材料啊", LATER["materials"]),
    ("ask_process", "这个去哪办啊", LATER["process"]),
    ("ask_eligibility", "啥条件能办", LATER["eligibility"]),
    ("ask_amount", "能领多少钱", LATER["eligibility"]),
    ("ask_policy", "这都问的啥", LATER["eligibility"]),
])
def test_without_a_programme_the_questions_will_tell(detours, intent, text, later):
    found = detour(detours, "prescreen_form", text, intent)
    assert found.messages == [later] and found.followup is None


@pytest.mark.parametrize("intent,text", [
    ("ask_materials", "俺想申请低保 要带啥材料"),     # wants to apply: the form is doing just that
    ("ask_eligibility", "俺家能不能吃上低保"),         # the own case: the form is finding that out
    ("ask_process", "想帮俺妈申请 去哪办"),
])
def test_a_question_about_the_own_case_is_left_to_the_form(detours, intent, text):
    assert detour(detours, "prescreen_form", text, intent) is None
