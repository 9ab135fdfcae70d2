"""Report, complaint and status conversations step by step, without Rasa: nothing said is lost, the place is
asked once, anonymity is honoured, a complaint is recorded once with a reference number and the rights,
and a status look-up never traps a resident who has no case number."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.staff.alerts.models import Alert
from bot.staff.alerts.service import record_complaint
from bot.db.base import Base
from bot.forms.complaint import _NO_DETAIL as COMPLAINT_NO_DETAIL
from bot.forms.complaint import _NO_DETAIL_WORDS as COMPLAINT_NO_DETAIL_WORDS
from bot.forms.complaint import COMPLAINT, COMPLAINT_SAID, record_text
from bot.forms.complaint import show_place as show_complaint_place
from bot.forms.engine import OUTCOME, RUN_ID, FormTurn
from bot.forms.followups import (_NO_DETAIL, _NO_DETAIL_WORDS, ANON_NOTE, ANONYMOUS, AS_NEW, CONFIDENTIAL_NOTE,
                                 NO_CASE, REPORT, REPORT_SAID, STATUS, UNNAMED_NOTE, URGENT, has_details,
                                 interrupted_report, read_urgency, refuses_phone, report_draft, report_summary,
                                 said_so_far, sure_urgent, wants_anonymity)
from bot.forms.prescreen import PRESCREEN
from bot.forms.service import NO_CASE_HELP, Forms
from bot.intake.schemas import ReferralDraft
from bot.privacy.mask import mask
from bot.replies.service import Replies
from bot.screening.rules import Standard
from bot.settings import ROOT
from tests.unit.form_run import Run
from bot.gazetteer.divisions import DIVISIONS_FILE, load

GAZETTEER = load(ROOT / "policies" / DIVISIONS_FILE)

SHUANGSHAN, WOHU = "220382101", "220382102"


@pytest.fixture(scope="module")
def env(kb):
    return {"_kb": kb, "_std": Standard.from_kb(kb), "_townships": list(GAZETTEER.divisions)}


@pytest.fixture(scope="module")
def forms(kb):
    return Forms(kb, Replies(kb, 400), GAZETTEER)


def NO_PERSON() -> list[str]:
    raise AssertionError("nobody asked for a person")


def draft_of(run: Run) -> ReferralDraft:
    return ReferralDraft(**{**report_draft(run.slots), "idempotency_key": f"report:{run.slots[RUN_ID]}",
                            "channel": "web", "sender": "s1"})


# -- report: the neighbour of issue 9 -----------------------------------------------------------------

def test_the_neighbours_report_keeps_every_detail_and_his_anonymity(env):
    run = Run(REPORT, env, "俺们屯有个老头八十多了，三四天没见着了，晚上灯也不亮")
    assert run.requested == "report_place" and "哪个乡镇" in run.first  # what he saw is not asked again
    assert run.say("刚才不是说了吗 双山镇秀水村三组") and run.requested == "report_urgency"
    assert run.slots["report_place"]["code"] == SHUANGSHAN and run.slots["report_place"]["place"] == "秀水村"
    run.say("挺急的 怕人出事了")
    assert run.slots["report_urgency"] == "urgent" and run.requested == "reporter_phone"
    told = run.say("不想留 别说是我报的")
    assert run.done and run.slots[OUTCOME] == "done" and told == ANON_NOTE and run.slots[ANONYMOUS] is True
    assert "名字和电话不会转给任何人" in told

    draft = draft_of(run)
    assert draft.kind == "discovery" and draft.urgency == "urgent" and draft.township_code == SHUANGSHAN
    assert draft.contact_phone is None and draft.contact_name is None
    for detail in ("八十多", "三四天没见着", "灯也不亮", "秀水村三组", "挺急的 怕人出事了"):
        assert detail in draft.summary, detail
    assert "匿名" in draft.summary and draft.screening["reporter_anonymous"] is True and "匿名" in draft.consent_text


def test_what_the_opening_said_is_not_asked_again(env):
    run = Run(REPORT, env, "双山镇秀水村有个老太太八十多了，好几天没见出门，挺急的")
    assert run.requested == "reporter_phone"   # what, where and how urgent were all in the opening
    run.say("13912345678")
    draft = draft_of(run)
    assert draft.urgency == "urgent" and draft.contact_phone == "13912345678" and "匿名" not in draft.summary
    assert "老太太八十多了" in draft.summary


def test_an_opening_without_details_asks_what_was_seen_and_takes_the_place_from_that_answer(env):
    run = Run(REPORT, env, "我想反映个情况")
    assert run.requested == "report_situation"
    run.say("卧虎镇同乐村有个老人一个人住，病了好几天没人管")
    assert run.slots["report_place"]["code"] == WOHU and run.requested == "report_urgency"
    run.say("不太急", "不留")
    draft = draft_of(run)
    assert draft.urgency == "normal" and "病了好几天没人管" in draft.summary and "我想反映个情况" in draft.summary


def test_said_before_but_unclear_where_the_earlier_words_are_read_again(env):
    run = Run(REPORT, env, "老人住双山镇还是卧虎镇来着，反正好几天没出门了")   # two townships: not taken
    assert run.requested == "report_place"
    listed = run.say("刚才说了")
    assert "双山镇" in listed and "卧虎镇" in listed and "回复数字" in listed
    run.say("2")
    assert run.slots["report_place"]["name"] == "卧虎镇" and run.requested == "report_urgency"


def test_a_detail_given_instead_of_the_urgency_is_kept_and_the_question_comes_again(env):
    run = Run(REPORT, env, "卧虎镇同乐村老王头好几天没见了")
    reply = run.say("烟囱也不冒烟 院里雪也没扫")
    assert "记下了" in reply and "急不急" in reply and run.requested == "report_urgency"
    run.say("1", "不留")
    assert "烟囱也不冒烟 院里雪也没扫" in draft_of(run).summary


def test_a_phone_with_a_wish_for_privacy_is_kept_for_staff_only(env):
    run = Run(REPORT, env, "卧虎镇同乐村老王头好几天没见了")
    run.say("2")
    told = run.say("13912345678 别跟他家说是我报的")
    assert told == CONFIDENTIAL_NOTE and run.slots[ANONYMOUS] is True
    draft = draft_of(run)
    assert draft.contact_phone == "13912345678" and "要求保密" in draft.summary and "保密" in draft.consent_text


def test_anonymity_in_the_opening_is_acknowledged_at_once(env):
    run = Run(REPORT, env, "我要反映个事 别说是我说的 卧虎镇同乐村老王头好几天没见了")
    assert "不会说是您反映的" in run.first and run.slots[ANONYMOUS] is True
    assert "不会告诉任何人是您反映的" in run.say("1")


def test_the_summary_is_masked_by_the_intake_system(env):
    run = Run(REPORT, env, "卧虎镇同乐村老王头好几天没见了 他儿子电话13812345678")
    run.say("1", "不留")
    assert "138****5678" in mask(draft_of(run).summary)


@pytest.mark.parametrize("text,expected", [
    ("挺急的 怕人出事了", "urgent"), ("急", "urgent"), ("越快越好", "urgent"), ("今天就去看看吧", "urgent"),
    ("赶紧的", "urgent"), ("怕他出事", "urgent"),
    ("不太急", "normal"), ("不急", "normal"), ("也不是很急", "normal"), ("不着急", "normal"), ("没那么急", "normal"),
    ("不急 这几天去看看就行", "soon"), ("这两天吧", "soon"), ("过几天", "soon"), ("尽快吧", "soon"),
    ("老人一个人住", None), ("他家在秀水村", None),
])
def test_urgency_in_words(text, expected):
    assert read_urgency(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("不想留 别说是我报的", True), ("别告诉他家是我说的", True), ("匿名", True), ("能不能保密", True),
    ("不想让他家知道是我", True), ("不留", True), ("不方便留", True), ("不要说是我反映的", True),
    ("13912345678", False), ("俺叫老王", False), ("挺急的", False), ("他家留了个电话", False),
])
def test_a_wish_to_stay_unnamed(text, expected):
    assert wants_anonymity(text) is expected


def test_the_opening_of_a_button_press_is_no_detail(env):
    run = Run(REPORT, env, "/report_other")
    assert run.requested == "report_situation" and run.slots[REPORT_SAID] == []


def test_the_report_submission_carries_the_run_key(env, forms):
    run = Run(REPORT, env, "卧虎镇同乐村老王头好几天没见了")
    run.say("1", "不留")
    reply = forms.submit("report_form", FormTurn(sender="s2", channel="web", slots=run.slots), NO_PERSON)
    draft = ReferralDraft(**reply.intake.payload)
    assert draft.idempotency_key == f"report:{run.slots[RUN_ID]}" and draft.sender == "s2"


def test_the_report_receipt_ends_with_the_number(env, forms):
    result = {"case_number": "SL-2026-000123", "office": {"name": "卧虎镇人民政府社会救助窗口", "phone": None}}
    reply = forms.receipt("report_form", FormTurn(slots={}), result, lambda what: None)
    assert reply.messages[-1] == "登记号：SL-2026-000123" and "卧虎镇" in reply.messages[0]


# -- status look-up: no case number is no trap ---------------------------------------------------------

@pytest.mark.parametrize("text,intent,followup", [
    ("俺不知道啥案件号 俺想申请低保", "seek_help", "prescreen_form"),
    ("俺不知道啥案件号 俺想申请低保", "ask_policy", "action_answer_policy"),
    ("俺不知道啥案件号 俺想申请低保", "nlu_fallback", "prescreen_form"),   # the model unsure: the words decide
    ("你好", "greet", "utter_greet"),
    ("/seek_help", "seek_help", "prescreen_form"),          # WeChat's 申请救助 button
    ("/request_human", "request_human", "action_alert"),    # 人工服务
    ("俺想找个真人问问", "request_human", "action_alert"),
    ("我要投诉", "complaint", "complaint_form"),
    ("不知道", "nlu_fallback", None),
    ("案件号是啥", "ask_policy", None),                     # not sure enough: only where to ask
])
def test_words_without_a_case_number_end_the_look_up_and_the_new_request_wins(env, forms, text, intent, followup):
    run = Run(STATUS, env, "查进度")
    assert run.requested == "status_case"
    assert run.say(text) == "" and run.done
    assert run.slots["status_case"] == NO_CASE
    confidence = 0.3 if intent == "nlu_fallback" or text == "案件号是啥" else 0.9
    reply = forms.submit("status_form", FormTurn(sender="s3", text=text, intent=intent, confidence=confidence,
                                                 slots=run.slots), NO_PERSON)
    assert reply.messages == [NO_CASE_HELP] and "没找到案件号" not in NO_CASE_HELP
    assert "12345" in NO_CASE_HELP and "乡镇" in NO_CASE_HELP
    assert reply.followup == followup and reply.intake is None
    assert reply.slots["status_case"] is None and reply.slots["status_phone"] is None


def test_a_mistyped_number_is_asked_for_again_and_a_phone_is_kept(env):
    run = Run(STATUS, env, "查进度")
    assert "没找到案件号" in run.say("2026 0001")
    assert "没找到案件号" in run.say("13912345678") and run.slots["status_phone"] == "13912345678"
    run.say("SL-2026-000123")
    assert run.done and run.slots["status_case"] == "SL-2026-000123"


def test_no_phone_at_the_phone_question_ends_the_look_up_too(env, forms):
    run = Run(STATUS, env, "查一下SL-2026-000123")
    assert run.requested == "status_phone"
    run.say("电话不记得了")
    assert run.done and run.slots["status_phone"] == NO_CASE
    reply = forms.submit("status_form", FormTurn(sender="s3", text="电话不记得了", slots=run.slots), NO_PERSON)
    assert reply.messages == [NO_CASE_HELP] and reply.intake is None


def test_the_new_requests_are_what_the_rules_run():
    """AS_NEW mirrors nlu_data/rules: the first action of every rule that starts with an intent."""
    starts: dict[str, str] = {}
    for path in sorted((ROOT / "nlu_data" / "rules").glob("*.yml")):
        for rule in yaml.safe_load(Path(path).read_text(encoding="utf-8")).get("rules", []):
            steps = rule["steps"]
            if rule.get("condition") or "intent" not in steps[0]:
                continue
            starts.setdefault(steps[0]["intent"], steps[1]["action"])
    for intent, action in AS_NEW.items():
        assert starts.get(intent) == action, intent


# -- complaint -------------------------------------------------------------------------------------

def test_a_complaint_asks_what_then_takes_the_place_from_the_answer(env):
    run = Run(COMPLAINT, env, "我要投诉")
    assert run.requested == "complaint_what" and "市民政局" in run.first
    run.say("去双山镇申请低保 工作人员不给受理 还骂人")
    assert run.done and run.slots["complaint_place"]["code"] == SHUANGSHAN  # the township is not asked
    text = record_text(run.slots)
    assert "双山镇" in text and "不给受理 还骂人" in text


def test_a_complaint_that_says_what_in_the_opening_asks_only_where(env):
    run = Run(COMPLAINT, env, "村干部给他亲戚办低保，我要投诉")
    assert run.requested == "complaint_place" and "哪个乡镇" in run.first
    run.say("卧虎镇同乐村")
    assert run.done and run.slots["complaint_place"]["code"] == WOHU
    assert "村干部给他亲戚办低保" in record_text(run.slots)


def test_the_township_is_asked_once(env):
    run = Run(COMPLAINT, env, "卧虎镇的人态度太差了 我要投诉")
    assert run.done and run.asked == []


def test_a_complaint_about_the_bureau_needs_no_township(env):
    run = Run(COMPLAINT, env, "我要投诉")
    run.say("打了三次电话都没人接")
    run.say("市民政局")
    assert run.done and "市民政局" in record_text(run.slots)


def test_said_before_is_read_from_the_earlier_words(env):
    run = Run(COMPLAINT, env, "我要投诉")
    run.say("双山镇还是卧虎镇的干部来着 优亲厚友")
    assert run.requested == "complaint_place"
    assert "卧虎镇" in run.say("刚才说过了")
    run.say("1")
    assert run.done and run.slots["complaint_place"]["name"] == "双山镇"


def test_submission_records_once_and_tells_the_rights_and_the_number_last(env, forms, kb):
    run = Run(COMPLAINT, env, "村干部给他亲戚办低保，我要投诉")
    run.say("卧虎镇同乐村")
    calls = []

    def record(key: str, text: str) -> str:
        calls.append((key, text))
        return "TS-2026-000042"

    reply = forms.submit("complaint_form", FormTurn(sender="s5", channel="web", slots=run.slots), NO_PERSON, record)
    assert calls == [(f"complaint:{run.slots[RUN_ID]}", record_text(run.slots))]
    text = "\n".join(reply.messages)
    assert "书面" in text and "理由" in text and "行政复议" in text and "行政诉讼" in text and "12345" in text
    assert "依据：《社会救助暂行办法》" in text
    assert reply.messages[-1].startswith("投诉编号：TS-2026-000042")
    assert reply.slots["complaint_what"] is None and reply.slots[COMPLAINT_SAID] is None


def test_a_cancelled_complaint_records_nothing(env, forms):
    run = Run(COMPLAINT, env, "我要投诉")
    assert "不反映了" in run.say("算了")

    def record(key: str, text: str) -> str:
        raise AssertionError("nothing to record")

    assert forms.submit("complaint_form", FormTurn(slots=run.slots), NO_PERSON, record).messages == []


def test_every_right_has_a_source(kb):
    rights = kb.contacts["rights"]
    assert len(rights) == 3 and all(r["sources"] for r in rights)


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        yield s


def test_a_complaint_is_recorded_once_per_run_with_a_reference(session):
    first = record_complaint(session, key="complaint:run1", sender="web-a", channel="web", text="电话13812345678 态度差")
    again = record_complaint(session, key="complaint:run1", sender="web-a", channel="web", text="电话13812345678 态度差")
    other = record_complaint(session, key="complaint:run2", sender="web-a", channel="web", text="又一件事")
    assert first.id == again.id and first.reference == again.reference and other.reference != first.reference
    assert first.reference.startswith("TS-") and first.reference.endswith(f"{first.id:06d}")
    rows = session.scalars(select(Alert).where(Alert.kind == "complaint")).all()
    assert len(rows) == 2 and "138****5678" in rows[0].text_masked


def test_confirmed_danger_mid_report_files_what_was_said_first_and_silently(env, forms):
    run = Run(REPORT, env, "俺们屯有个老头八十多了，三四天没见着了")
    run.say("双山镇秀水村三组")
    turn = FormTurn(sender="s6", channel="web", text="有 他倒在炕上叫不醒", intent="emergency", slots=run.slots)
    reply = forms.submit("report_form", turn, NO_PERSON)
    draft = ReferralDraft(**reply.intake.payload)
    assert reply.messages == [] and draft.urgency == "urgent" and draft.township_code == SHUANGSHAN
    assert "八十多" in draft.summary and "叫不醒" in draft.summary and "紧急" in draft.summary
    result = {"case_number": "SL-2026-000124", "office": {"name": "双山镇人民政府社会救助窗口", "phone": None}}
    assert forms.receipt("report_form", turn, result, lambda what: None).messages == []  # the emergency speaks next


def test_danger_before_anything_was_reported_files_nothing(env, forms):
    run = Run(REPORT, env, "我想反映个情况")
    turn = FormTurn(sender="s7", text="快来人 老人倒地上了", intent="emergency", slots=run.slots)
    reply = forms.submit("report_form", turn, NO_PERSON)
    assert reply.intake is None and reply.messages == []


# -- the words, table by table (each entry is there for a reason a test names) -----------------------------

@pytest.mark.parametrize("text", [
    "急", "出事了", "马上去", "赶紧", "赶快", "立刻", "立即", "快点", "快去", "快来人", "越快越好", "今天", "现在就去", "怕出事",
    "人命关天", "有危险", "等不了", "要命了"])
def test_every_word_of_urgency(text):
    assert read_urgency(text) == "urgent"


@pytest.mark.parametrize("text", [
    "不急", "不太急", "不怎么急", "不是很急", "不着急", "不要紧", "不打紧", "没急", "没那么急", "没啥急的", "没多急", "没太急",
    "有空去", "慢慢来", "不慌"])
def test_every_word_of_no_hurry(text):
    assert read_urgency(text) == "normal"


@pytest.mark.parametrize("text", ["这几天", "过几天", "这两天", "两三天", "明后天", "明天", "尽快", "抽空", "早点",
                                  "不急 这几天去看看就行"])
def test_every_word_of_soon(text):
    assert read_urgency(text) == "soon"


@pytest.mark.parametrize("text,expected", [
    ("挺急的", True), ("赶紧去看看", True), ("马上去", True), ("怕他出事", True), ("怕老人出啥事", True), ("怕人没了", True),
    ("不急", False), ("今天路过他家", False), ("他家有危险", False), ("快来看看", False)])
def test_urgency_said_in_passing_counts_only_in_plain_words(text, expected):
    assert sure_urgent(text) is expected


@pytest.mark.parametrize("text", [
    "别说是我报的", "不要告诉他是我", "不用跟他家讲是我", "甭提我", "莫透露我名字", "别透露出去", "不要透露", "不想让他家知道",
    "匿名", "保密", "不留", "不想留", "不愿留", "不愿意留", "不方便留", "不用留", "别留了", "不想露面", "不想暴露",
    "不想说名字", "不想说是谁"])
def test_every_way_of_asking_to_stay_unnamed(text):
    assert wants_anonymity(text) is True


@pytest.mark.parametrize("text,expected", [
    ("不方便", True), ("免了", True), ("没电话", True), ("没有电话", True), ("不用", True), ("没有", True), ("不留", True),
    ("13912345678", False), ("等会儿", False), ("方便", False)])
def test_a_phone_refused(text, expected):
    assert refuses_phone(text) is expected


@pytest.mark.parametrize("word", _NO_DETAIL_WORDS)
def test_every_word_of_a_bare_report_opening_is_no_detail(word):
    assert not has_details(word * 3)


@pytest.mark.parametrize("word", COMPLAINT_NO_DETAIL_WORDS)
def test_every_word_of_a_bare_complaint_opening_is_no_detail(word):
    assert not has_details(word * 3, COMPLAINT_NO_DETAIL)


@pytest.mark.parametrize("noise", [_NO_DETAIL, COMPLAINT_NO_DETAIL])
def test_punctuation_and_digits_are_no_detail(noise):
    assert not has_details("，。,.！!？?、 12345", noise)


@pytest.mark.parametrize("text,expected", [("老头病", True), ("老头", False), ("八十多了三四天没见", True)])
def test_three_characters_of_detail_are_enough(text, expected):
    assert has_details(text) is expected


@pytest.mark.parametrize("text,name,place", [
    ("双山双山秀水", "双山镇", "秀水村"), ("柳条柳条", "柳条乡", None), ("辽西辽西", "辽西街道", None),
    ("秀水秀水", "双山镇", "秀水村"), ("东华东华", "郑家屯街道", "东华社区")])
def test_the_place_named_is_no_detail_in_full_or_short(text, name, place):
    assert not has_details(text, place={"name": name, "place": place})


@pytest.mark.parametrize("text,expected", [
    ("老人住得偏", ["我想反映", "老人住得偏"]), ("1", ["我想反映"]), ("好", ["我想反映"]), ("/seek_help", ["我想反映"]),
    ("我想反映", ["我想反映"]), ("灯" * 400, ["我想反映", "灯" * 300]), ("好的", ["我想反映", "好的"])])
def test_what_is_kept_of_each_message(text, expected):
    assert said_so_far({REPORT_SAID: ["我想反映"]}, REPORT_SAID, text) == expected


def test_only_the_last_messages_are_kept_of_a_very_long_report():
    said = [f"第{n}句话" for n in range(20)]
    kept = said_so_far({REPORT_SAID: said}, REPORT_SAID, "最后一句")
    assert len(kept) == 12 and kept[-1] == "最后一句" and kept[0] == "第9句话"


@pytest.mark.parametrize("back", ["刚才", "刚刚说的", "方才那个", "前面有", "上面写着", "之前那个", "说过", "说了",
                                  "讲过", "讲了", "告诉过你", "告诉你了"])
def test_every_way_of_saying_it_was_said_before(env, back):
    run = Run(REPORT, env, "老人住双山镇还是卧虎镇来着，反正好几天没出门了")
    assert "回复数字" in run.say(back), back


def test_a_place_said_before_is_taken_back_at_once_when_it_is_one(env):
    run = Run(REPORT, env, "我想反映个情况")
    run.slots[REPORT_SAID] = ["我想反映个情况", "卧虎镇同乐村那个老王头"]  # said, but not read as the place then
    run.slots["report_situation"] = "老王头好几天没见了"
    run.requested = "report_place"
    run.say("刚才说了")
    assert run.slots["report_place"]["code"] == WOHU and run.requested == "report_urgency"


def test_a_place_unknown_when_said_again_is_asked_again(env):
    run = Run(REPORT, env, "老人好几天没出门了")
    assert "没找到这个地方" in run.say("刚才说了 就那边")
    assert run.requested == "report_place"


@pytest.mark.parametrize("text,slot", [("灯不亮了", "report_place"), ("灯不亮", "report_situation"),
                                       ("不知道", "report_situation")])
def test_what_was_seen_needs_four_characters(env, text, slot):
    run = Run(REPORT, env, "我想反映个情况")
    run.say(text)
    assert run.requested == slot


@pytest.mark.parametrize("text,expected", [("1", "urgent"), ("2", "soon"), ("3", "normal"), ("不知道", "soon")])
def test_urgency_by_number_or_unknown(env, text, expected):
    run = Run(REPORT, env, "卧虎镇同乐村老王头好几天没见了")
    run.say(text)
    assert run.slots["report_urgency"] == expected and run.requested == "reporter_phone"


@pytest.mark.parametrize("text,head", [("4", "没看明白"), ("灯不亮", "没看明白"), ("灯不亮了", "记下了")])
def test_no_urgency_in_the_answer_asks_again(env, text, head):
    run = Run(REPORT, env, "卧虎镇同乐村老王头好几天没见了")
    assert run.say(text).startswith(head) and run.requested == "report_urgency"


def test_two_unclear_urgencies_give_soon(env):
    run = Run(REPORT, env, "卧虎镇同乐村老王头好几天没见了")
    run.say("嗯", "哦")
    assert run.slots["report_urgency"] == "soon" and run.requested == "reporter_phone"


def test_what_was_settled_is_not_changed_by_later_words(env):
    run = Run(REPORT, env, "双山镇秀水村老王头好几天没见了")
    run.say("不太急 卧虎镇那边也有个老人")
    assert run.slots["report_place"]["code"] == SHUANGSHAN and run.slots["report_urgency"] == "normal"
    run.say("挺急的 别跟他家说是我 13912345678")
    assert run.slots["report_urgency"] == "normal" and run.slots[ANONYMOUS] is True


def test_a_wish_to_stay_unnamed_in_an_answer_is_acknowledged_once(env):
    run = Run(REPORT, env, "卧虎镇同乐村老王头好几天没见了")
    told = run.say("挺急的 别说是我说的")
    assert UNNAMED_NOTE in told and run.slots[ANONYMOUS] is True
    assert "不会告诉任何人是您反映的" in told                     # the phone question says it too
    run2 = Run(REPORT, env, "别说是我说的 卧虎镇同乐村老王头好几天没见了")
    assert UNNAMED_NOTE not in run2.say("挺急的 别说是我说的")


def test_the_intro_says_nothing_of_names_unless_asked(env):
    assert UNNAMED_NOTE not in Run(REPORT, env, "卧虎镇同乐村老王头好几天没见了").first


def test_the_phone_is_never_in_the_correction_menu(env):
    run = Run(REPORT, env, "卧虎镇同乐村老王头好几天没见了")
    run.say("1")
    menu = run.say("改一下")
    assert "在哪里" in menu and "电话" not in menu


def test_the_summary_and_draft_line_by_line(env):
    run = Run(REPORT, env, "卧虎镇同乐村老王头好几天没见了")
    run.say("2", "13912345678")
    draft = report_draft(run.slots)
    assert draft["summary"].startswith("急不急：这几天去看看就行；在哪里：卧虎镇同乐村；反映人原话：“卧虎镇同乐村老王头")
    assert "匿名" not in draft["summary"] and "保密" not in draft["summary"]
    assert draft["place_text"] == "卧虎镇同乐村老王头好几天没见了"[:60] and draft["urgency"] == "normal"
    assert draft["screening"] == {"report_urgency": "soon", "reporter_anonymous": False}
    assert "和自己的电话" in draft["consent_text"] and "匿名" not in draft["consent_text"]
    assert report_summary({}) == "急不急：没说；在哪里：没说清（转市民政局再分到乡镇）；反映人匿名：没有留姓名和电话，请不要打听是谁反映的"


@pytest.mark.parametrize("slots,files", [
    ({"report_situation": "老人好几天没见了"}, True), ({"report_place": {"code": WOHU, "name": "卧虎镇"}}, True),
    ({}, False), ({"report_situation": "老人好几天没见了", RUN_ID: None}, False)])
def test_an_interrupted_report_is_filed_when_it_told_something(slots, files):
    turn = FormTurn(text="快来人", intent="emergency", slots={RUN_ID: "r1", **slots})
    filed = interrupted_report(turn)
    assert (filed is not None) is files
    if files:
        assert filed["report_urgency"] == "urgent" and "快来人" in filed[REPORT_SAID]


@pytest.mark.parametrize("text,phone", [("13912345678", "13912345678"), ("不留", ""), ("不想留", ""), ("不方便", ""),
                                        ("没电话", "")])
def test_the_urgent_cases_phone(env, text, phone):
    run = Run(URGENT, env, "救命")
    run.say("辽西街道吉兴村", text)
    assert run.done and run.slots["urgent_phone"] == phone


def test_the_urgent_phone_is_asked_again_for_other_words(env):
    run = Run(URGENT, env, "救命")
    assert "不留" in run.say("辽西街道吉兴村", "等一下")


@pytest.mark.parametrize("text,expected", [("13912345678", "13912345678"), ("不记得了", NO_CASE)])
def test_the_status_phone(env, text, expected):
    run = Run(STATUS, env, "查一下SL-2026-000123")
    run.say(text)
    assert run.done and run.slots["status_phone"] == expected


def test_a_mistyped_phone_is_asked_for_again(env):
    run = Run(STATUS, env, "查一下SL-2026-000123")
    assert "电话号码" in run.say("1391234") and run.requested == "status_phone"


@pytest.mark.parametrize("text", ["sl-abc", "SL", "案件号sl"])
def test_letters_of_a_case_number_are_asked_for_again(env, text):
    run = Run(STATUS, env, "查进度")
    assert "没找到案件号" in run.say(text)


def test_the_new_requests_are_exactly_these():
    assert set(AS_NEW) == {"greet", "goodbye", "thanks", "bot_challenge", "out_of_scope", "ask_policy",
                           "ask_eligibility", "ask_materials", "ask_process", "ask_amount", "seek_help",
                           "report_other", "complaint", "request_human"}


@pytest.mark.parametrize("confidence,followup", [(0.5, "utter_greet"), (0.49, None)])
def test_a_new_request_needs_the_model_half_sure(env, forms, confidence, followup):
    run = Run(STATUS, env, "查进度")
    run.say("你好")
    reply = forms.submit("status_form", FormTurn(text="你好", intent="greet", confidence=confidence, slots=run.slots),
                         NO_PERSON)
    assert reply.followup == followup


# -- the forms and the domain agree (tests/unit/test_followups.py is the one definition's check) --------------

@pytest.fixture(scope="module")
def domain():
    merged: dict = {"slots": {}, "forms": {}, "actions": []}
    for path in sorted((ROOT / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        merged["slots"].update(data.get("slots") or {})
        merged["forms"].update(data.get("forms") or {})
        merged["actions"] += data.get("actions") or []
    return merged


@pytest.mark.parametrize("form", [REPORT, STATUS, URGENT, COMPLAINT], ids=lambda f: f.name)
def test_each_form_is_the_domains_form(domain, form):
    assert domain["forms"][form.name]["required_slots"] == [q.slot for q in form.questions]
    assert set(form.slots) <= set(domain["slots"]), set(form.slots) - set(domain["slots"])
    assert f"validate_{form.name}" in domain["actions"]
    for question in form.questions:
        mapping = domain["slots"][question.slot]["mappings"][0]
        assert mapping["conditions"] == [{"active_loop": form.name, "requested_slot": question.slot}]


# -- complaint, line by line ---------------------------------------------------------------------------

@pytest.mark.parametrize("value,shown", [
    ({"code": WOHU, "name": "卧虎镇", "place": "同乐村"}, "卧虎镇同乐村"), ({"code": WOHU, "name": "卧虎镇"}, "卧虎镇"),
    ({}, "没说清"), ({"text": "没说清"}, "没说清"), ({"text": "不知道"}, "没说清"), ({"text": "市民政局"}, "市民政局")])
def test_where_a_complaint_is_about_is_shown(value, shown):
    assert show_complaint_place(value) == shown


@pytest.mark.parametrize("text,where", [("不知道", "没说清"), ("市里", "市里"), ("县医院旁边那个办事处", "县医院旁边那个办事处")])
def test_a_complaint_takes_any_words_for_where(env, text, where):
    run = Run(COMPLAINT, env, "我要投诉")
    run.say("打了三次电话都没人接", text)
    assert run.done and show_complaint_place(run.slots["complaint_place"]) == where


def test_one_character_is_no_place(env):
    run = Run(COMPLAINT, env, "我要投诉")
    run.say("打了三次电话都没人接")
    assert "没找到" in run.say("嗯") and run.requested == "complaint_place"


@pytest.mark.parametrize("text,asked", [("没人管", "complaint_what"), ("没人管我", "complaint_place"),
                                        ("不知道", "complaint_what")])
def test_what_happened_needs_four_characters(env, text, asked):
    run = Run(COMPLAINT, env, "我要投诉")
    run.say(text)
    assert run.requested == asked


def test_a_place_said_later_does_not_replace_the_first(env):
    run = Run(COMPLAINT, env, "双山镇的干部优亲厚友 我要投诉")
    assert run.done and run.slots["complaint_place"]["code"] == SHUANGSHAN
    run2 = Run(COMPLAINT, env, "/complaint")
    assert run2.slots[COMPLAINT_SAID] == [] and run2.requested == "complaint_what"


def test_what_staff_read_of_a_complaint(env):
    run = Run(COMPLAINT, env, "我要投诉")
    run.say("双山镇的干部优亲厚友")
    assert record_text(run.slots) == "投诉（双山镇）；原话：“我要投诉” / “双山镇的干部优亲厚友”"
    assert record_text({}) == "投诉（没说清）；原话："


def test_a_clear_answer_wins_over_unclear_words_before_it(env):
    run = Run(REPORT, env, "老人住双山镇还是卧虎镇来着，反正好几天没出门了")
    run.say("卧虎镇同乐村")
    assert run.slots["report_place"]["code"] == WOHU and run.requested == "report_urgency"


def test_a_phone_given_early_survives_a_mistyped_case_number(env):
    run = Run(STATUS, env, "查进度 电话13912345678")
    assert run.requested == "status_case"
    run.say("2026 12", "SL-2026-000012")
    assert run.done and run.slots["status_phone"] == "13912345678"


def test_urgency_said_with_what_was_seen_is_not_asked(env):
    run = Run(REPORT, env, "我想反映个情况")
    run.say("卧虎镇同乐村老王头好几天没见了 挺急的")
    assert run.slots["report_urgency"] == "urgent" and run.requested == "reporter_phone"


def test_a_long_place_in_words_is_kept_to_sixty_characters(env):
    run = Run(COMPLAINT, env, "我要投诉")
    run.say("打了三次电话都没人接", "在" * 70)
    assert run.slots["complaint_place"]["text"] == "在" * 60


def test_the_urgent_place_can_be_chosen_among_two(env):
    run = Run(URGENT, env, "救命")
    assert "王奔镇团结村" in run.say("团结")
    run.say("2")
    assert run.slots["urgent_place"]["name"] == "王奔镇" and run.requested == "urgent_phone"


def test_unknown_said_before_is_no_place_said_before(env):
    run = Run(REPORT, env, "/report_other")
    run.slots.update({REPORT_SAID: ["不知道"], "report_situation": "老人好几天没见了"})
    run.requested = "report_place"
    assert "没找到这个地方" in run.say("刚才说了") and run.requested == "report_place"


def test_no_confidence_is_not_sure(env, forms):
    run = Run(STATUS, env, "查进度")
    run.say("你好")
    reply = forms.submit("status_form", FormTurn(text="你好", intent="greet", slots=run.slots), NO_PERSON)
    assert reply.followup is None and reply.messages == [NO_CASE_HELP]


@pytest.mark.parametrize("opening", ["俺们屯有个老头挺可怜的 能不能给他申请点啥", "想帮辖区一户困难家庭咨询一下救助",
                                     "俺们屯老光棍家着火了 帮他问问有救助没"])
def test_applying_for_someone_else_is_the_prescreen_for_them(env, opening):
    run = Run(REPORT, env, opening)
    assert run.done and run.slots[OUTCOME] == "switch:prescreen_form" and not run.last
    prescreen = Run(PRESCREEN, env, opening)
    assert prescreen.slots["need_whose"] == "relative" and "need_whose" not in prescreen.asked


def test_a_neighbour_worried_about_someone_is_still_a_report(env):
    run = Run(REPORT, env, "俺们屯有个老头八十多了 三四天没见着了 帮着看看吧")
    assert not run.done and run.slots.get(OUTCOME) is None
