"""Changing an answer (bot/forms/engine.py): a line picked by number from the edit menu, mid-form or at the
summary, in the ways residents type it; the edges of that numbering; the edit chips; asking for a person in
words. The summary is the one tests/evaluation/answers.py reads natural corrections against."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.forms.engine import (EDITING, ONWARD, OUTCOME, PAUSED_RUN, RETRIES, RUN_ID, FormTurn, Interview, edit_menu,
                             summary)
from bot.forms.prescreen import PRESCREEN
from tests.evaluation.answers import SUMMARY_STATE, Case, judge
from tests.evaluation.forms_env import form_env

PLACE = {"code": "220382101", "name": "双山镇", "place": "秀水村", "urban": False,
         "office": "双山镇人民政府社会救助窗口", "text": "双山镇秀水村"}
DONE = {**SUMMARY_STATE, "place": PLACE}
# three lines answered, the income question pending
SO_FAR = {slot: DONE[slot] for slot in ("need_whose", "place", "household_size")}


@pytest.fixture(scope="module")
def env():
    return form_env()


def step(env, text: str, requested: str, slots: dict):
    return Interview(PRESCREEN).step(FormTurn(sender="s1", text=text, requested_slot=requested,
                                              slots={**slots, requested: text}), env)


@pytest.mark.parametrize("text", ["我想找人工", "请转人工", "给我转人工", "要人工", "找真人", "转客服", "人工服务",
                                  "人工客服", "转人工吧", "人工啊"])
def test_asking_for_a_person_at_the_summary_hands_over(env, text):
    reply = step(env, text, "prescreen_confirmed", DONE)
    assert reply.requested_slot is None and reply.slots[OUTCOME] == "person"


@pytest.mark.parametrize("text", ["第3", "三", "3项", "3条", "3个", "3说错了", "3错了", "3要改", "3改一下", "修改3"])
def test_a_line_picked_from_the_edit_menu_mid_form_is_asked_again(env, text):
    reply = step(env, text, "monthly_income", {**SO_FAR, EDITING: True})
    assert reply.requested_slot == "household_size" and reply.slots["household_size"] is None
    assert reply.slots[EDITING] is None


@pytest.mark.parametrize("text", ["4", "0"])
def test_a_number_off_the_edit_menu_says_which_numbers_there_are(env, text):
    reply = step(env, text, "monthly_income", {**SO_FAR, EDITING: True})
    assert reply.messages[0].startswith("请回复 1 到 3 之间的序号。") and reply.requested_slot == "monthly_income"
    assert [c["payload"] for c in reply.buttons] == ["改1", "改2", "改3"]


def test_the_last_line_of_the_edit_menu_can_be_picked(env):
    reply = step(env, "3", "monthly_income", {**SO_FAR, EDITING: True})
    assert reply.requested_slot == "household_size"


def test_the_edit_menu_comes_with_a_chip_per_line(env):
    reply = step(env, "改一下", "prescreen_confirmed", DONE)
    assert reply.slots[EDITING] is True
    assert reply.buttons[0] == {"title": "改1 为谁问", "payload": "改1"}
    assert reply.buttons[2] == {"title": "改3 家里人口", "payload": "改3"} and len(reply.buttons) == 11


@pytest.mark.parametrize("text,field,value", [
    ("第三项错了 是两口人", "household_size", 2), ("改3 四口人", "household_size", 4),
    ("3不对 四口人", "household_size", 4), ("第3行 两口人", "household_size", 2),
    ("改4 一千", "monthly_income", {"around": 1000}), ("收入不对 一个月八百", "monthly_income", {"around": 800}),
    ("人口写错了 是两口", "household_size", 2), ("不对 俺家没有车", "assets", []),
    ("改11 有低保", "current_benefits", ["dibao"]),                       # the last line
    ("改1 帮亲戚问", "need_whose", "relative"),                            # the first
    ("改0 四口人", "household_size", 4), ("改12 四口人", "household_size", 4),  # off the list: by what it names
    ("家里三口人 收入写错了 是八百", "monthly_income", {"around": 800}),  # the line said to be wrong first
    ("人口和收入都写错了", "household_size", None),                        # both: the first is asked again
])
def test_a_correction_at_the_summary_changes_the_line_it_names(env, text, field, value):
    ok, got = judge(env, Case("summary", text, {"field": field, "value": value}))
    assert ok, got


@pytest.mark.parametrize("text,field,value", [
    ("四口人", "household_size", 4), ("改4 1000", "monthly_income", {"around": 1000}),
    ("一个月八百", "monthly_income", {"around": 800}), ("二十五块", "monthly_income", {"around": 25}),
    ("三千", "monthly_income", {"around": 3000})])
def test_an_answer_with_a_numeral_at_the_summary_is_not_a_line_number(env, text, field, value):
    ok, got = judge(env, Case("summary", text, {"field": field, "value": value}))
    assert ok, got


@pytest.mark.parametrize("text", ["不对 四口人", "错了 四口人", "说错了 四口人", "写错了 四口人", "改一下 四口人",
                                  "改下 四口人", "要改 四口人", "改成四口人", "更正 四口人", "应该是四口人", "其实是四口人",
                                  "是四口人", "改人口 四口", "人口错了 四口", "人口不是一口 是四口", "家里人口不对 应该四口"])
def test_a_correction_said_mid_form_changes_the_earlier_answer(env, text):
    reply = step(env, text, "monthly_income", SO_FAR)
    assert reply.slots["household_size"] == 4 and reply.messages[0] == "好，家里人口改成：4口人。"
    assert reply.requested_slot == "monthly_income" and reply.slots.get("monthly_income") is None


@pytest.mark.parametrize("text,field,value", [
    ("不是一口 是四口人", "household_size", 4),
    ("是郑家屯街道 不是双山镇", "place", {"township": "郑家屯街道"}),
])
def test_at_the_summary_what_is_said_not_to_be_is_not_read(env, text, field, value):
    ok, got = judge(env, Case("summary", text, {"field": field, "value": value}))
    assert ok, got


@pytest.mark.parametrize("field,longest", [("sender", 200), ("text", 20000)])
def test_what_the_action_server_sends_is_bounded(field, longest):
    assert len(getattr(FormTurn(**{field: "话" * longest}), field)) == longest
    with pytest.raises(ValidationError):
        FormTurn(**{field: "话" * (longest + 1)})


def test_a_confidence_must_be_a_number_as_rasa_sends_it():
    assert FormTurn(confidence=0.9).confidence == 0.9
    with pytest.raises(ValidationError):
        FormTurn(confidence="0.9")


@pytest.mark.parametrize("text,asked", [("改1", "need_whose"), ("改11", "current_benefits")])
def test_the_first_and_last_line_can_be_changed_by_number_at_the_summary(env, text, asked):
    reply = step(env, text, "prescreen_confirmed", DONE)
    assert reply.requested_slot == asked and reply.slots[asked] is None


@pytest.mark.parametrize("text", ["改0", "改12"])
def test_a_number_off_the_summary_shows_the_edit_menu(env, text):
    reply = step(env, text, "prescreen_confirmed", DONE)
    assert reply.slots[EDITING] is True and reply.messages[0].startswith("要改哪一项？")


def test_the_first_line_of_the_edit_menu_can_be_picked(env):
    reply = step(env, "1", "monthly_income", {**SO_FAR, EDITING: True})
    assert reply.requested_slot == "need_whose" and reply.slots["need_whose"] is None


def test_the_summary_numbers_its_lines_as_the_edit_menu_does(env):
    state = {**env, **DONE}
    lines = summary(PRESCREEN, state, "请核对：", "都对的话回复“对”").splitlines()
    assert lines[1].startswith("1 为谁问：") and lines[-2].startswith("11 正在享受：")
    assert lines[1:-1] == edit_menu(PRESCREEN, state).splitlines()[1:]


def test_calling_it_off_at_the_consent_question_is_a_no_not_a_stop(env):
    reply = step(env, "算了", "referral_consent", {**DONE, "prescreen_confirmed": "yes"})
    assert reply.slots["referral_consent"] == "no" and reply.slots.get(OUTCOME) != "cancelled"


def test_the_first_unclear_answer_is_asked_again_without_the_way_on(env):
    # the way on comes with the second (tests/unit/test_form_exits.py)
    first = step(env, "哈哈哈哈哈哈", "monthly_income", SO_FAR)
    assert ONWARD not in first.messages[0] and first.slots[RETRIES] == 1


def test_a_hand_over_at_the_summary_keeps_the_answers_for_later(env):
    """Nothing typed is lost: after the person, "我想申请救助" picks up at the summary (blind set 6, f26)."""
    reply = step(env, "转人工", "prescreen_confirmed", {**DONE, RUN_ID: "run-1"})
    assert reply.slots[OUTCOME] == "person" and reply.slots.get("household_size", "untouched") is not None
    assert reply.slots[PAUSED_RUN] == {"form": "prescreen_form", "run_id": "run-1"}
    back = Interview(PRESCREEN).step(FormTurn(sender="s1", text="我想申请救助", requested_slot=None,
                                              slots={**DONE, **reply.slots}), env)
    assert back.requested_slot == "prescreen_confirmed" and back.slots[RUN_ID] == "run-1"


def test_one_correction_at_the_summary_may_change_two_answers(env):
    """"不对 是四口 孩子奶奶也跟着过 七十了": the size and a new member, both said in one breath."""
    reply = step(env, "不对 是四口 孩子奶奶也跟着过 七十了", "prescreen_confirmed",
                 {**DONE, "household_size": 3, "special_members": ["child", "student"]})
    assert reply.slots["household_size"] == 4
    assert sorted(reply.slots["special_members"]) == ["child", "elderly", "student"]
    assert reply.messages[0] == "好，家里有改成：16岁以下孩子、在上学的孩子、60岁以上老人；家里人口改成：4口人。"


@pytest.mark.parametrize("text", ["车是农用车 拉粮的 不算吧 那就没有", "车没有"])
def test_a_car_said_to_be_a_farm_vehicle_is_taken_away(env, text):
    reply = step(env, text, "prescreen_confirmed", {**DONE, "assets": ["car"]})
    assert reply.slots["assets"] == []


@pytest.mark.parametrize("text,unchanged", [
    ("改一下 收入一个月八百 店里现在没啥人", "event_when"),                      # 一个月 is the income's period
    ("改一下 收入一个月也就一千八 他爸现在天天在医院陪护 出不了几趟车", "assets"),  # the car is his work
])
def test_a_correction_changes_no_line_it_only_brushes(env, text, unchanged):
    state = {**DONE, "sudden_event": "accident", "event_when": "earlier", "assets": ["car"]}
    reply = step(env, text, "prescreen_confirmed", state)
    assert reply.slots["monthly_income"] is not None
    assert reply.slots.get(unchanged, state[unchanged]) == state[unchanged]


@pytest.mark.parametrize("text,requested,answered", [
    ("没有 哦不对 孩子七岁 上一年级了 俺俩能干活没活干", "special_members", "monthly_income"),  # 上一年级 is no income
    ("他妈改嫁了 一分钱不给 也不来看孩子", "supporter", "special_members"),                  # 改嫁 is no correction
])
def test_an_answer_that_brushes_an_earlier_line_is_no_correction_of_it(env, text, requested, answered):
    so_far = {**{k: DONE[k] for k in ("need_whose", "place", "household_size", "monthly_income")},
              "special_members": ["elderly", "child"]}
    if requested == "special_members":
        so_far.pop("special_members")
    reply = step(env, text, requested, so_far)
    assert reply.slots.get(answered, so_far[answered]) == so_far[answered] and "改成" not in " ".join(reply.messages)


@pytest.mark.parametrize("text", ["对的 一口人没错", "对的 人口没错", "对 没错"])
def test_no_mistake_at_the_summary_confirms_it(env, text):
    """没错 is a yes: "对的 一口人没错" once changed the size and showed the summary again (a helper found it)."""
    reply = step(env, text, "prescreen_confirmed", DONE)
    assert reply.slots["prescreen_confirmed"] == "yes" and reply.requested_slot == "referral_consent"
