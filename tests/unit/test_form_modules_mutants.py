"""What a resident reads at the end of a pre-screen (bot/forms/results.py: the result, the how-to, the
receipt) and what the short forms do with ordinary answers (bot/forms/followups.py, complaint.py,
detours.py): the lines a mutation test found unchecked, each checked here by what the resident would see."""
from __future__ import annotations

import pytest

# imported by name from the module itself (not as an attribute of bot.forms): the mutation tool swaps the
# module in sys.modules, and an attribute of the package would still be the unmutated one
from bot.forms.results import (CHECK_PROGRESS, DECIDES, _timing_item, how_to_apply, no_referral_messages,
                               receipt_messages, screening_messages)
from bot.forms.complaint import COMPLAINT
from bot.forms.engine import OUTCOME, FormTurn
from bot.forms.followups import NEW_REQUEST_CONFIDENCE, new_request
from bot.knowledge.schema import Item, SourceRef
from bot.screening.rules import Finding
from tests.evaluation.forms_env import form_env
from tests.unit.form_run import Run


@pytest.fixture(scope="module")
def env():
    return form_env()


@pytest.fixture(scope="module")
def kb(env):
    return env["_kb"]


def lines(bubbles: list[str]) -> list[str]:
    return "\n".join(bubbles).split("\n")


# -- the result of the pre-screen -----------------------------------------------------------------

def test_nothing_promising_says_so_and_where_to_ask_again(kb):
    bubbles = screening_messages([Finding("dibao", "unlikely", ["收入高于标准"])], kb)
    assert len(bubbles) == 1
    assert lines(bubbles) == ["按您说的情况，初步看各项救助都不太符合。", DECIDES,
                              "情况要是有变化（收入少了、有人生病、遇到急事），随时可以再来问，也可以到乡镇窗口当面问问。"]


def test_each_promising_programme_is_numbered_with_its_level_and_reasons(kb):
    said = lines(screening_messages([
        Finding("dibao", "likely", ["收入低于标准"]),
        Finding("linshi", "possible", ["收入低于标准", "刚遭了火灾"]),
        Finding("tekun", "unknown", ["要看有没有人养活他"]),
    ], kb))
    assert said[:4] == ["按您说的情况，初步看：", "1. 低保（很可能符合）：收入低于标准",
                        "2. 临时救助（可能符合）：刚遭了火灾",  # the shared income reason is not said twice
                        "特困供养：要看有没有人养活他"]
    assert said[4] == DECIDES


def test_a_programme_whose_reasons_were_all_said_keeps_its_first_one(kb):
    said = lines(screening_messages([
        Finding("dibao", "likely", ["收入低于标准", "家里有重病人"]),
        Finding("linshi", "possible", ["收入低于标准", "家里有重病人"]),
    ], kb))
    assert said[1:3] == ["1. 低保（很可能符合）：收入低于标准；家里有重病人", "2. 临时救助（可能符合）：收入低于标准"]


def test_at_most_four_programmes_are_listed(kb):
    names = ["dibao", "tekun", "linshi", "yiliao", "jiaoyu"]
    said = lines(screening_messages([Finding(n, "likely", [f"理由{i}"]) for i, n in enumerate(names)], kb))
    numbered = [line for line in said if line[:2] in {f"{n}." for n in range(1, 10)}]
    assert [line[:2] for line in numbered] == ["1.", "2.", "3.", "4."]
    assert not any("理由4" in line for line in said)


def test_programmes_not_yet_decidable_share_one_line_with_the_first_reason(kb):
    said = lines(screening_messages([
        Finding("tekun", "unknown", ["要看有没有人养活他", "要看能不能干活"]),
        Finding("canji", "unknown", ["要看残疾证几级"]),
    ], kb))
    assert said[0] == "按您说的情况，初步看："
    assert said[1] == f"特困供养、{kb.programme('canji').short_name}：要看有没有人养活他"


# -- how to apply -----------------------------------------------------------------------------------

def test_how_to_apply_for_the_most_promising_programme_where_to_go_and_what_to_bring(kb):
    tekun = kb.programme("tekun")
    said = lines(how_to_apply([Finding("tekun", "unknown", ["x"]), Finding("linshi", "likely", ["y"])],
                                      kb, "好的，您可以自己去办："))
    linshi = kb.programme("linshi")
    assert said[0] == "好的，您可以自己去办："
    assert said[1] == "【临时救助·怎么办】"
    assert said[2].startswith("· " + linshi.aspects["process"][0].text[:20])
    assert said[3].startswith("· " + linshi.aspects["materials"][0].text[:20])
    assert "· 要多久，请问乡镇（街道）窗口。" in said  # no step of 临时救助 names a time
    assert not any(tekun.short_name in line for line in said)


def test_how_to_apply_ends_with_how_long_it_takes(kb):
    said = "\n".join(how_to_apply([Finding("dibao", "likely", ["x"])], kb, "好的："))
    assert "一般30个工作日内办完" in said and "要多久，请问" not in said


def test_how_to_apply_without_a_promising_programme_is_the_dibao_way(kb):
    said = lines(how_to_apply([Finding("tekun", "unlikely", ["x"])], kb))
    assert said[0] == "【低保·怎么办】"  # no intro: the header comes first


def test_a_referred_case_is_told_only_what_to_bring(kb):
    tekun = kb.programme("tekun")
    said = lines(how_to_apply([Finding("tekun", "likely", ["x"])], kb, "", referred=True))
    assert said[0] == "【特困供养·要准备什么】"
    assert said[1].startswith("· " + tekun.aspects["materials"][0].text[:20])
    assert not any(tekun.aspects["process"][0].text[:20] in line for line in said)


def test_not_referring_tells_the_whole_way(kb):
    said = lines(no_referral_messages([Finding("tekun", "likely", ["x"])], kb))
    assert said[0].startswith("好的，不转了") and said[1] == "【特困供养·怎么办】"


@pytest.mark.parametrize("phrase", ["一般7个工作日内办完", "3日内书面答复", "在村里公示7天", "2个月内发下来"])
def test_the_step_naming_a_time_is_the_one_said_last(phrase):
    ref = [SourceRef(doc="d")]
    steps = [Item(text="到乡镇窗口申请", sources=ref), Item(text=phrase, sources=ref), Item(text="批准后按月发钱", sources=ref)]
    assert _timing_item(steps) is steps[1]


@pytest.mark.parametrize("phone, told", [("0434-7123456", "窗口电话：0434-7123456。"),
                                         (None, "窗口电话我们还在核实，着急可以打12345问。")])
def test_the_receipt_says_where_it_went_the_window_phone_and_the_case_number_last(kb, phone, told):
    bubbles = receipt_messages("SL-2026-000123", "双山镇人民政府社会救助窗口", phone,
                                       [Finding("dibao", "likely", ["x"])], kb)
    said = lines(bubbles[:-1])
    assert said[0] == f"已经把您的情况转给双山镇人民政府社会救助窗口了，工作人员会打电话联系您，请留意电话。{told}"
    assert said[1] == "【低保·要准备什么】"
    assert bubbles[-1] == f"您的案件号：SL-2026-000123\n{CHECK_PROGRESS}"


# -- the complaint form ---------------------------------------------------------------------------

@pytest.mark.parametrize("opening", ["我要投诉", "我们要反映个事情，俺们的事儿", "我要投诉，电话多少？？",
                                     "俺要告状！！！", "投诉 12345"])
def test_an_opening_that_says_no_more_than_complaining_asks_what_happened(env, opening):
    run = Run(COMPLAINT, env, opening)
    assert run.requested == "complaint_what" and run.slots.get("complaint_what") is None


def test_a_place_named_in_the_complaint_is_not_asked_again(env):
    run = Run(COMPLAINT, env, "我要投诉")
    run.say("双山镇民政所的人不给俺受理低保")
    assert run.done and run.slots[OUTCOME] == "done"
    assert run.slots["complaint_place"]["name"] == "双山镇"


# -- what runs after a look-up that found no case number --------------------------------------------

@pytest.mark.parametrize("intent, confidence, text, action", [
    ("complaint", NEW_REQUEST_CONFIDENCE, "俺要投诉乡里", "complaint_form"),
    ("complaint", 0.3, "俺要投诉乡里", None),
    (None, None, "俺想申请低保", "prescreen_form"),
    ("greet", None, "你好", None),
])
def test_a_look_up_without_a_number_hands_on_what_was_asked_instead(intent, confidence, text, action):
    assert new_request(FormTurn(text=text, intent=intent, confidence=confidence)) == action
