"""The pre-screen, report and status conversations, step by step, without Rasa (bot/forms/)."""
from __future__ import annotations

import pytest

from bot.forms.engine import OUTCOME, RUN_ID, FormTurn
from bot.forms.followups import BY_SENDER, REPORT, STATUS, URGENT
from bot.forms.prescreen import PRESCREEN
from bot.forms.service import Forms
from bot.replies.service import Replies
from bot.intake.schemas import ReferralDraft
from bot.screening.rules import Standard
from bot.settings import ROOT
from tests.unit.form_run import Run
from bot.gazetteer.divisions import DIVISIONS_FILE, load

GAZETTEER = load(ROOT / "policies" / DIVISIONS_FILE)


@pytest.fixture(scope="module")
def env(kb):
    return {"_kb": kb, "_std": Standard.from_kb(kb), "_townships": list(GAZETTEER.divisions)}


def NO_PERSON() -> list[str]:
    raise AssertionError("nobody asked for a person")


def NO_STAFF_FLAG(what: str) -> None:
    raise AssertionError("nothing failed")


HAPPY = ["双山镇秀水村", "仨", "一个月一千来块", "1 5", "儿子在外地 自己也困难", "0", "0", "0"]


def test_happy_path_asks_about_eight_questions_then_confirms(env):
    run = Run(PRESCREEN, env, "家里日子过不下去了")
    summary = run.say(*HAPPY)
    assert run.requested == "prescreen_confirmed"
    assert "双山镇秀水村" in summary and "3口人" in summary and "每月约1000—1499元" in summary
    assert len(run.asked) <= 9
    result = run.say("对")
    assert "初步看" in result and "审核确认" in result and "依据：《" in result
    assert run.requested == "referral_consent" and "双山镇人民政府社会救助窗口" in result
    run.say("同意", "我叫张桂兰 139 1234 5678")  # one question for the name and the phone
    assert run.done and run.slots[OUTCOME] == "done"
    assert run.slots["contact_phone"] == "13912345678" and run.slots["contact_name"] == "张桂兰"


def test_what_was_said_when_asking_for_help_is_not_asked_again(env):
    run = Run(PRESCREEN, env, "住双山镇秀水村，家里三口人，昨晚着火了")
    assert run.slots["household_size"] == 3 and run.slots["sudden_event"] == "fire"
    assert run.slots["place"]["code"] == "220382101"
    assert "place" not in run.asked and "household_size" not in run.asked and "sudden_event" not in run.asked


def test_cancel_at_any_question_clears_everything(env):
    run = Run(PRESCREEN, env, "想申请救助")
    text = run.say("卧虎镇", "不办了")
    assert run.done and run.slots[OUTCOME] == "cancelled" and "不办了" in text
    assert all(value is None for key, value in run.slots.items() if key != OUTCOME)


def test_correction_menu_then_the_answer_is_asked_again(env):
    run = Run(PRESCREEN, env, "想申请救助")
    run.say("卧虎镇", "两口人")
    menu = run.say("改一下")
    assert "要改哪一项" in menu and "3 家里人口：2口人" in menu
    assert "几口人" in run.say("3")
    run.say("四口人")
    assert run.slots["household_size"] == 4 and run.requested == "monthly_income"


def test_change_a_numbered_item_at_the_summary(env):
    run = Run(PRESCREEN, env, "想申请救助")
    run.say(*HAPPY)
    run.say("改3")
    assert run.requested == "household_size"
    summary = run.say("五口人")
    assert run.requested == "prescreen_confirmed" and "5口人" in summary


def test_unclear_income_is_reasked_with_an_example_then_skipped(env):
    run = Run(PRESCREEN, env, "想申请救助")
    run.say("卧虎镇", "三口人")
    first = run.say("挺少的")
    assert "比如" in first and run.requested == "monthly_income"
    second = run.say("就那样吧")
    assert run.slots["monthly_income"] == "unknown" and "跳过" in second


def test_household_size_is_never_guessed(env):
    run = Run(PRESCREEN, env, "想申请救助")
    run.say("卧虎镇")
    assert "比如" in run.say("好多")
    skipped = run.say("一大家子")  # never guessed, never asked a third time: left for the window
    assert "跳过" in skipped and run.slots["household_size"] == "unknown" and run.requested == "monthly_income"


def test_a_question_that_cannot_be_skipped_pauses_on_the_third_unclear_answer(env):
    run = Run(PRESCREEN, env, "想申请救助")
    run.say(*HAPPY, "对", "同意")
    assert run.requested == "contact_phone"
    assert "电话" in run.say("嗷嗷嗷嗷")
    assert "人工" in (second := run.say("嗷嗷嗷嗷")) and "12345" in second  # the way on
    third = run.say("嗷嗷嗷嗷")
    assert "接着办" in third and run.done and run.slots[OUTCOME] == "paused"
    assert run.slots["household_size"] == 3 and run.slots.get("contact_phone") is None


def test_an_undecided_consent_is_a_no_for_now(env):
    run = Run(PRESCREEN, env, "想申请救助")
    run.say(*HAPPY, "对")
    run.say("俺得跟老伴商量商量")
    told = run.say("再说吧 俺也拿不准")
    assert "先不转" in told and run.done and run.slots["referral_consent"] == "no"


def test_a_village_in_two_townships_is_asked_about(env):
    run = Run(PRESCREEN, env, "想申请救助")
    question = run.say("团结")
    assert "辽南街道团结社区" in question and "王奔镇团结村" in question
    run.say("2")
    assert run.slots["place"]["name"] == "王奔镇" and run.slots["place"]["urban"] is False


def test_no_consent_skips_contact_questions(env):
    run = Run(PRESCREEN, env, "想申请救助")
    run.say(*HAPPY, "对", "不同意")
    assert run.done and run.slots["referral_consent"] == "no" and run.slots.get("contact_phone") is None


def test_only_questions_that_matter_are_asked(env):
    well_off = Run(PRESCREEN, env, "想问问")
    well_off.say("郑家屯街道东华社区", "两口人", "一个月八千", "0", "0")
    assert well_off.requested == "prescreen_confirmed"
    assert "assets" not in well_off.asked and "current_benefits" not in well_off.asked
    alone = Run(PRESCREEN, env, "想问问")
    alone.say("卧虎镇", "就我一个", "没有收入", "1 4")
    assert alone.requested == "disability"
    alone.say("1")
    assert alone.requested == "supporter"


def test_raw_text_in_the_requested_slot_is_not_an_answer(env):
    run = Run(PRESCREEN, env, "想申请救助")
    run.say("卧虎镇")
    run.say("嗯嗯")  # unclear size: Rasa had put "嗯嗯" into household_size
    assert run.slots["household_size"] is None and run.requested == "household_size"


def test_submit_builds_a_valid_referral_draft_keyed_by_the_run(env, kb):
    run = Run(PRESCREEN, env, "家里着火了")
    run.say("双山镇秀水村", "三口人", "一千", "0", "1", "0", "0", "对", "同意", "不说", "13912345678")
    reply = Forms(kb, Replies(kb, 400), GAZETTEER).submit("prescreen_form", FormTurn(sender="s1", channel="web", slots=run.slots), NO_PERSON)
    draft = ReferralDraft(**reply.intake.payload)
    assert reply.intake.op == "create" and draft.idempotency_key == f"prescreen:{run.slots[RUN_ID]}"
    assert draft.kind == "apply" and draft.township_code == "220382101" and draft.urgency == "urgent"
    assert draft.contact_name is None and draft.contact_phone == "13912345678"
    assert "linshi" in [s.programme for s in draft.suggestions] and "双山镇" in draft.consent_text


def test_without_consent_the_result_says_where_to_go_and_nothing_is_sent(env, kb):
    run = Run(PRESCREEN, env, "想申请")
    run.say(*HAPPY, "对", "不同意")
    reply = Forms(kb, Replies(kb, 400), GAZETTEER).submit("prescreen_form", FormTurn(sender="s1", slots=run.slots), NO_PERSON)
    assert reply.intake is None and "乡镇" in "\n".join(reply.messages)


def test_receipt_gives_case_number_materials_time_and_how_to_follow(env, kb):
    run = Run(PRESCREEN, env, "想申请")
    run.say(*HAPPY, "对", "同意", "老王", "13912345678")
    result = {"case_number": "SL-2026-000123", "office": {"name": "双山镇人民政府社会救助窗口", "phone": None}}
    reply = Forms(kb, Replies(kb, 400), GAZETTEER).receipt("prescreen_form", FormTurn(slots=run.slots), result, NO_STAFF_FLAG)
    text = "\n".join(reply.messages)
    assert "SL-2026-000123" in text and "查进度" in text and "依据：《" in text and "工作日" in text
    assert reply.slots["case_number"] == "SL-2026-000123" and reply.slots["household_size"] is None


def test_report_form_makes_a_discovery_referral(env, kb):
    run = Run(REPORT, env, "我们村有个老人好几天没出门了")
    run.say("卧虎镇同乐村", "老人一个人住，好几天没见生火做饭", "1", "不留")
    assert run.done
    reply = Forms(kb, Replies(kb, 400), GAZETTEER).submit("report_form", FormTurn(sender="s2", channel="web", slots=run.slots), NO_PERSON)
    draft = ReferralDraft(**reply.intake.payload)
    assert draft.kind == "discovery" and draft.urgency == "urgent" and draft.contact_phone is None


@pytest.mark.parametrize("text,slots,expected", [
    ("查一下SL-2026-000123，电话13912345678", {}, {"status_case": "SL-2026-000123", "status_phone": "13912345678"}),
    ("查进度", {"case_number": "SL-2026-000007"}, {"status_case": "SL-2026-000007", "status_phone": BY_SENDER}),
    ("sl2026000123", {}, {"status_case": "SL-2026-000123"}),
])
def test_status_look_up_uses_what_is_known(kb, text, slots, expected):
    reply = Forms(kb, Replies(kb, 400), GAZETTEER).submit("status_form", FormTurn(sender="s3", text=text, slots=slots), NO_PERSON)
    if len(expected) == 2:
        key = "sender" if expected["status_phone"] == BY_SENDER else "phone"
        assert reply.intake.op == "status" and reply.intake.payload["case_number"] == expected["status_case"]
        assert key in reply.intake.payload
    else:
        assert reply.followup == "status_form"
        run = Run(STATUS, {}, text)
        assert run.slots["status_case"] == expected["status_case"] and run.requested == "status_phone"


def test_a_new_run_forgets_an_abandoned_one_but_keeps_the_case_number(env):
    run = Run(PRESCREEN, env, "想申请救助")
    run.say("卧虎镇", "三口人")
    run.slots["case_number"] = "SL-2026-000001"
    again = Run(PRESCREEN, env, "我想申请救助")
    again.slots = dict(run.slots)
    again.requested = None
    again.say("想申请救助")  # activation with the old slots still on the tracker
    assert again.slots["household_size"] is None and again.slots["place"] is None
    assert again.slots["case_number"] == "SL-2026-000001" and again.requested == "place"
    assert again.slots["need_whose"] == "self"  # an opening naming nobody else is about the speaker's home


def test_an_opening_naming_someone_else_asks_for_whom(env):
    assert Run(PRESCREEN, env, "我妈脑出血住院了 能申请啥救助").requested == "need_whose"
    assert Run(PRESCREEN, env, "俺家日子过不下去了").slots["need_whose"] == "self"


def test_urgent_form_completes_the_open_case(env, kb):
    run = Run(URGENT, env, "救命")
    run.say("辽西街道吉兴村", "13912345678")
    assert run.done
    run.slots["case_number"] = "SL-2026-000009"
    reply = Forms(kb, Replies(kb, 400), GAZETTEER).submit("urgent_form", FormTurn(sender="s4", channel="web", slots=run.slots), NO_PERSON)
    assert reply.intake.op == "details" and reply.intake.payload["case_number"] == "SL-2026-000009"
    assert reply.intake.payload["details"]["township_code"] == "220382002"
    assert reply.intake.payload["details"]["contact_phone"] == "13912345678"


@pytest.mark.parametrize("words", ["人工", "转人工", "我要找工作人员"])
def test_asking_for_a_person_mid_form_hands_over(env, kb, words):
    run = Run(PRESCREEN, env, "想申请救助")
    run.say(words)
    assert run.done and run.slots[OUTCOME] == "person"
    reply = Forms(kb, Replies(kb, 400), GAZETTEER).submit("prescreen_form", FormTurn(sender="s5", slots=run.slots), lambda: ["已转人工"])
    assert reply.messages == ["已转人工"] and reply.slots[OUTCOME] is None


def test_a_place_name_is_not_a_request_for_a_person(env):
    run = Run(PRESCREEN, env, "想申请救助")
    run.say("郑家屯街道东华社区")
    assert run.slots["place"]["code"] == "220382001" and run.requested == "household_size"


def test_when_the_intake_system_is_down_staff_are_flagged_and_the_answers_kept(env, kb):
    run = Run(PRESCREEN, env, "想申请")
    run.say(*HAPPY, "对", "同意", "老王", "13912345678")
    flagged = []
    reply = Forms(kb, Replies(kb, 400), GAZETTEER).receipt("prescreen_form", FormTurn(sender="s6", slots=run.slots), {"error": "unavailable"},
                              flagged.append)
    assert "12345" in reply.messages[0] and reply.slots == {}
    assert len(flagged) == 1 and "unavailable" in flagged[0]
