"""Report, complaint and status conversations step by step, without Rasa: nothing said is lost, the place is
asked once, anonymity is honoured, a complaint is recorded once with a reference number and the rights,
and a status look-up never traps a resident who has no case number."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.alerts.models import Alert
from bot.alerts.service import record_complaint
from bot.db.base import Base
from bot.forms.complaint import COMPLAINT, COMPLAINT_SAID, record_text
from bot.forms.engine import OUTCOME, RUN_ID, FormTurn, Interview
from bot.forms.followups import (ANON_NOTE, ANONYMOUS, AS_NEW, CONFIDENTIAL_NOTE, NO_CASE, REPORT, REPORT_SAID,
                                 STATUS, read_urgency, report_draft, wants_anonymity)
from bot.forms.service import NO_CASE_HELP, Forms
from bot.intake.models import Township
from bot.intake.schemas import ReferralDraft
from bot.privacy.mask import mask
from bot.replies.service import Replies
from bot.screening.rules import Standard
from bot.settings import ROOT

SHUANGSHAN, WOHU = "220382101", "220382102"


@pytest.fixture(scope="module")
def env(kb):
    data = yaml.safe_load((ROOT / "policies" / "shuangliao-divisions.yml").read_text(encoding="utf-8"))
    townships = [Township(code=t["code"], name=t["name"], kind=t["kind"], office_name=t["name"] + "窗口",
                          places=(t.get("communities") or []) + (t.get("villages") or []))
                 for t in data["townships"]]
    return {"_kb": kb, "_std": Standard.from_kb(kb), "_townships": townships}


@pytest.fixture(scope="module")
def forms(kb):
    return Forms(kb, Replies(kb, 400))


def NO_PERSON() -> list[str]:
    raise AssertionError("nobody asked for a person")


class Run:
    """Plays Rasa's part: activation with the opening message, then one validate call per answer."""

    def __init__(self, form, env, first: str):
        self.interview, self.env = Interview(form), env
        self.slots: dict = {}
        self.requested: str | None = None
        self.asked: list[str] = []
        self.last = self._step(first)

    def _step(self, text: str) -> list[str]:
        slots = {**self.slots, **({self.requested: text} if self.requested else {})}
        reply = self.interview.step(FormTurn(sender="s1", channel="web", text=text,
                                             requested_slot=self.requested, slots=slots), self.env)
        self.slots.update(reply.slots)
        if reply.requested_slot and reply.requested_slot != self.requested:
            self.asked.append(reply.requested_slot)
        self.requested = reply.requested_slot
        return reply.messages

    def say(self, *texts: str) -> str:
        for text in texts:
            self.last = self._step(text)
        return "\n".join(self.last)

    @property
    def first(self) -> str:
        return "\n".join(self.last)

    @property
    def done(self) -> bool:
        return self.requested is None


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
    assert run.done and run.slots[OUTCOME] == "done" and told == ANON_NOTE
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
