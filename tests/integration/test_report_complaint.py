"""Nothing said is lost, through the real engine, action server and app (web chat and the WeChat simulator):
a neighbour's report keeps every detail and his anonymity, a complaint is recorded once with a reference
number and the resident's rights, and a status look-up lets a resident without a case number go on."""
from __future__ import annotations

import asyncio
import re
import time
import uuid

import httpx
import pytest
from sqlalchemy import select

from bot.staff.alerts.models import Alert
from bot.channels.wechat.protocol import WeChatKeys
from dev.wechat.client import WeChatSimulator
from dev.wechat.guard import TOKEN_HEADER
from bot.intake.models import Referral
from bot.settings import get_settings

pytestmark = pytest.mark.engine
CASE = re.compile(r"SL-\d{4}-\d{6}")
REFERENCE = re.compile(r"TS-\d{4}-\d{6}")
SHUANGSHAN, WOHU = "220382101", "220382102"


def joined(messages):
    return "\n".join(messages)


def referrals(app_db, sender):
    app_db.expire_all()
    return app_db.scalars(select(Referral).where(Referral.sender == sender).order_by(Referral.id)).all()


def alerts(app_db, sender):
    app_db.expire_all()
    return app_db.scalars(select(Alert).where(Alert.sender == sender).order_by(Alert.id)).all()


def answer(chat, text: str) -> str:
    """One message; a danger question the engine asks first is answered "没有", as a reporter who
    cannot know would, and the held message goes on."""
    said = joined(chat(text))
    return joined(chat("没有")) if "有危险吗" in said else said


# -- the neighbour of issue 9 -------------------------------------------------------------------------

def test_the_neighbours_report_keeps_every_detail_and_his_anonymity(chat, app_db):
    opening = answer(chat, "俺们屯有个老头八十多了，三四天没见着了，晚上灯也不亮")
    assert "哪个乡镇" in opening and "看到了什么情况" not in opening, opening
    assert "急不急" in answer(chat, "刚才不是说了吗 双山镇秀水村三组")
    asked = answer(chat, "挺急的 怕人出事了")
    assert "留个电话" in asked and "119" not in asked, asked      # the urgency is an answer, not an emergency
    receipt = joined(chat("不想留 别说是我报的"))
    assert "名字和电话不会转给任何人" in receipt
    [case] = CASE.findall(receipt)

    [row] = referrals(app_db, chat.sender)
    assert row.case_number == case and row.kind == "discovery" and row.urgency == "urgent"
    assert row.township_code == SHUANGSHAN and row.contact_phone is None and row.contact_name is None
    for detail in ("八十多", "三四天没见着", "灯也不亮", "秀水村三组", "挺急的 怕人出事了"):
        assert detail in row.summary, (detail, row.summary)
    assert "匿名" in row.summary and row.screening["reporter_anonymous"] is True
    assert [a.kind for a in alerts(app_db, chat.sender)] == []  # no emergency made of it


def test_a_report_with_a_phone_and_a_wish_for_privacy(chat, app_db):
    answer(chat, "卧虎镇同乐村有个老太太一个人住，好几天没见她出门了")
    answer(chat, "不太急")
    told = joined(chat("13912345678 别跟她家说是我反映的"))
    assert "不会告诉他家是谁反映的" in told and CASE.search(told)
    [row] = referrals(app_db, chat.sender)
    assert row.township_code == WOHU and row.urgency == "normal" and row.contact_phone == "13912345678"
    assert "要求保密" in row.summary


def test_danger_confirmed_mid_report_files_the_report_first_then_the_emergency(chat, app_db):
    answer(chat, "俺们屯有个老头八十多了，三四天没见着了，晚上灯也不亮")
    answer(chat, "双山镇秀水村三组")
    assert "有危险吗" in joined(chat("挺急的 怕人出事了"))   # may mean danger: asked first
    reply = chat("有")
    assert "120" in reply[0] and "哪个乡镇" in joined(reply)  # the emergency's own words come first
    rows = {r.kind: r for r in referrals(app_db, chat.sender)}
    assert set(rows) == {"discovery", "urgent"}
    report = rows["discovery"]
    assert report.urgency == "urgent" and report.township_code == SHUANGSHAN
    for detail in ("八十多", "三四天没见着", "灯也不亮", "挺急的 怕人出事了", "有危险"):
        assert detail in report.summary, (detail, report.summary)


# -- complaint --------------------------------------------------------------------------------------

def test_a_complaint_takes_the_township_once_and_is_recorded_once(chat, app_db):
    first = joined(chat("村干部给他亲戚办低保，我要投诉"))
    assert "哪个乡镇" in first and "什么事" not in first, first
    receipt = chat("卧虎镇同乐村")
    text = joined(receipt)
    [reference] = REFERENCE.findall(receipt[-1])                  # the number is the last bubble
    assert "书面" in text and "行政复议" in text and "行政诉讼" in text and "12345" in text
    [alert] = alerts(app_db, chat.sender)
    assert alert.kind == "complaint" and alert.reference == reference
    assert "卧虎镇同乐村" in alert.text_masked and "村干部给他亲戚办低保" in alert.text_masked
    assert "救助小助手" in joined(chat("你好"))                     # the complaint is over
    assert len(alerts(app_db, chat.sender)) == 1


def test_a_bare_complaint_asks_what_then_takes_the_place_from_the_answer(chat, app_db):
    assert "什么事" in joined(chat("我要投诉"))
    receipt = joined(chat("去双山镇申请低保 工作人员不给受理 还骂人"))
    assert REFERENCE.search(receipt) and "行政复议" in receipt
    [alert] = alerts(app_db, chat.sender)
    assert "双山镇" in alert.text_masked and "还骂人" in alert.text_masked


def test_a_repeated_submission_records_one_complaint(live_stack, app_db):
    """Rasa may call an action twice (a retry after a timeout): the run's key holds."""
    sender = f"dup-{uuid.uuid4().hex}"
    slots = {"form_outcome": "done", "form_run_id": uuid.uuid4().hex, "complaint_what": "态度差",
             "complaint_place": {"code": WOHU, "name": "卧虎镇", "office": "卧虎镇人民政府社会救助窗口",
                                 "place": None, "urban": None, "text": "卧虎镇"},
             "complaint_said": ["态度差", "卧虎镇"]}
    call = {"next_action": "action_submit_complaint", "sender_id": sender, "version": "3.6.21", "domain": {},
            "tracker": {"sender_id": sender, "slots": slots, "latest_message": {"text": "卧虎镇"},
                        "events": [], "latest_input_channel": "rest", "active_loop": {},
                        "latest_action_name": "complaint_form", "paused": False}}
    url = f"http://127.0.0.1:{live_stack.settings.actions_port}/webhook"
    engine = {"Authorization": f"Bearer {live_stack.settings.actions_token}"}  # this test plays the engine
    answers = [httpx.post(url, json=call, headers=engine, timeout=30).json() for _ in range(2)]
    references = [REFERENCE.findall(joined(r["text"] for r in a["responses"] if r.get("text"))) for a in answers]
    assert references[0] and references[0] == references[1]
    assert [a.reference for a in alerts(app_db, sender)] == references[0]


# -- status look-up: no case number is no trap ---------------------------------------------------------

def test_no_case_number_and_a_wish_to_apply_starts_the_prescreen(chat):
    assert "案件号" in joined(chat("查进度"))  # a web chat's words ("/check_status" is only the menu's own)
    reply = joined(chat("俺不知道啥案件号 俺想申请低保"))
    assert "没找到案件号" not in reply and "12345" in reply and "住在哪个乡镇" in reply, reply


@pytest.mark.parametrize("text,expected", [("你好", "救助小助手"), ("找工作人员", "工作人员"),
                                           ("家里遇到难处了", "住在哪个乡镇"), ("俺想找个真人问问", "工作人员")])
def test_a_new_request_wins_over_the_case_number_question(chat, text, expected):
    assert "案件号" in joined(chat("查进度"))
    reply = joined(chat(text))
    assert "没找到案件号" not in reply and expected in reply, reply
    assert "没找到案件号" not in joined(chat("你好"))


# -- WeChat: the menu's 进度查询, then words ----------------------------------------------------------

@pytest.fixture(scope="module")
def keys(stack_settings) -> WeChatKeys:
    s = stack_settings
    return WeChatKeys(s.wechat_token, s.wechat_app_id, s.wechat_aes_key)


def said_on_wechat(live_app_url, keys, user: str, send) -> str:
    """The passive reply, or what followed through the customer-service API when the turn took longer."""
    async def go():
        sim = WeChatSimulator(f"{live_app_url}/wechat", keys)
        try:
            return await send(sim)
        finally:
            await sim.aclose()
    # the simulator's list wants its token (the live app reads the same dev secret)
    headers = {TOKEN_HEADER: get_settings().simulator_token}
    before = len(httpx.get(f"{live_app_url}/wechat-sim/sent", params={"touser": user}, headers=headers,
                           timeout=5).json())
    delivery = asyncio.run(go())
    if delivery.passive:
        return delivery.passive
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        rows = httpx.get(f"{live_app_url}/wechat-sim/sent", params={"touser": user}, headers=headers, timeout=5).json()
        if len(rows) > before:
            return "\n".join(r["content"] for r in rows[before:])
        time.sleep(0.2)
    return ""


def test_wechat_status_menu_then_no_case_number(live_app_url, keys):
    user = "o" + uuid.uuid4().hex[:27]
    assert "案件号" in said_on_wechat(live_app_url, keys, user, lambda sim: sim.send_event(user, "CLICK", "STATUS"))
    reply = said_on_wechat(live_app_url, keys, user, lambda sim: sim.send_text(user, "俺不知道啥案件号 俺想申请低保"))
    assert "没找到案件号" not in reply and "12345" in reply, reply


def test_wechat_status_menu_then_the_apply_button(live_app_url, keys):
    user = "o" + uuid.uuid4().hex[:27]
    assert "案件号" in said_on_wechat(live_app_url, keys, user, lambda sim: sim.send_event(user, "CLICK", "STATUS"))
    time.sleep(1.1)  # events are told apart by the second they were sent (FromUserName:CreateTime:Event)
    reply = said_on_wechat(live_app_url, keys, user, lambda sim: sim.send_event(user, "CLICK", "APPLY"))
    assert "没找到案件号" not in reply and "住在哪个乡镇" in reply, reply
