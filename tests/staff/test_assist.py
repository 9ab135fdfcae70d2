"""坐席助手 (/console/assist) without the engine: the checklist read from a caller's words, the edited checklist
back into the pre-screen's slots, the page and its JSON calls (roles, CSRF, the safety net's verdict when
triage is out, the referral through the intake service with its audit entry, the wrap-up stored masked).
The live triage and the whole call in Chromium: tests/browser/test_assist.py."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.gazetteer.divisions import DIVISIONS_FILE, load
from bot.intake.models import Referral
from bot.settings import ROOT
from bot.staff import checklist
from bot.staff.models import AuditEntry
from bot.staff.wrapups import AssistWrapup
from tests.staff.conftest import TOWNSHIP, logged_in

CALL = "20261130-101500-abcd1234"


@pytest.fixture
def townships():
    return list(load(ROOT / "policies" / DIVISIONS_FILE).divisions)


def filled(checklist_: dict) -> dict:
    return {k: v for k, v in checklist_.items() if v not in ("", [], False)}


@pytest.mark.parametrize("said, expected", [
    ("您好，我是茂林镇的，俺家三口人，老伴瘫在炕上，一个月收入就一千来块，孙子才八岁在上小学",
     {"township": TOWNSHIP, "place_text": "茂林镇", "household_size": 3, "income_low": 1000, "income_high": 1499,
      "members": ["disabled", "child", "student"]}),
    ("俺们家两口人 都七十多了 儿子不管俺 一个月养老金两百多 住在双山镇秀水村",
     {"township": "220382101", "place_text": "双山镇秀水村", "household_size": 2, "income_low": 200,
      "income_high": 249, "members": ["elderly"], "supporter": "refuses"}),
    ("我叫王桂芝，电话139 4342 1234，家里没有车，就一套住房，以前吃过低保去年停了",
     {"contact_name": "王桂芝", "contact_phone": "13943421234", "assets_none": True, "benefits_none": True}),
    ("前天房子着火了，全烧没了，一家四口", {"household_size": 4, "event": "fire", "event_when": "recent"}),
    ("家里吃着低保，老伴是二级残疾，有残疾证",
     {"benefits": ["dibao"], "members": ["disabled"], "disability": "severe"}),
    # named, not held: asking about 低保 is no benefit; "没地方住" says nothing of a supporter
    ("想问问低保怎么申请", {}),
    ("今晚没地方住了", {}),
])
def test_the_checklist_fills_from_what_the_caller_said(townships, said, expected):
    assert filled(checklist.extract(said, townships)) == expected


def test_the_edited_checklist_becomes_the_pre_screens_slots_and_junk_is_not_said(townships):
    fields = {"township": TOWNSHIP, "place_text": "茂林镇新发村", "household_size": "3", "income_low": "1500",
              "income_high": "800", "members": ["elderly", "nonsense", 7], "supporter": "refuses", "event": "meteor",
              "assets": [], "assets_none": True, "benefits": "dibao", "benefits_none": "yes"}
    slots = checklist.slots_of(fields, townships)
    assert slots["place"]["code"] == TOWNSHIP and slots["place"]["urban"] is False
    assert slots["household_size"] == 3
    assert slots["monthly_income"] == {"low": 800, "high": 1500}  # the two ends in either order
    assert slots["special_members"] == ["elderly"] and slots["supporter"] == "refuses"
    assert slots["assets"] == [] and "current_benefits" not in slots and "sudden_event" not in slots
    assert checklist.summary(slots).startswith("住在：茂林镇新发村；家里人口：3口人；全家收入：每月约800—1500元")
    assert checklist.slots_of({"household_size": "99", "income_low": "-5", "township": "nowhere"}, townships) == {}


def csrf_of(client) -> str:
    return client.get("/console/api/me").json()["csrf_token"]


def post(client, path: str, body: dict, csrf: str | None = "auto"):
    token = csrf_of(client) if csrf == "auto" else csrf
    headers = {"X-CSRF-Token": token} if token else {}
    return client.post(f"/console/api/assist/{path}", json=body, headers=headers)


@pytest.mark.parametrize("role", ["clerk", "reviewer"])
def test_only_agents_and_admins_use_the_assist(app, users, db, role):
    with logged_in(app, users[role]) as client:
        page = client.get("/console/assist")
        assert page.status_code == 403 and "您的角色不能使用这个页面" in page.text
        refused = post(client, "triage", {"text": "俺想申请低保"})
        assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
        assert post(client, "wrapup", {"call_id": CALL, "corrected_intent": "seek_help"}).status_code == 403
    assert db.scalar(select(AssistWrapup)) is None
    denied = db.scalars(select(AuditEntry.subject).where(AuditEntry.action == "denied")).all()
    assert "/console/assist" in denied and "/console/api/assist/triage" in denied
    for role_ in ("agent", "admin"):
        with logged_in(app, users[role_]) as client:
            page = client.get("/console/assist")
            assert page.status_code == 200 and 'id="said"' in page.text
            policy = page.headers["content-security-policy"]
            assert "script-src 'self'" in policy and "connect-src 'self'" in policy and "unsafe" not in policy
            assert client.get("/console/static/assist.js").status_code == 200


def test_not_logged_in_is_401_and_without_the_csrf_token_403(client, app, users):
    assert post(client, "triage", {"text": "x"}, csrf=None).status_code == 401
    with logged_in(app, users["agent"]) as agent:
        assert post(agent, "triage", {"text": "俺想申请低保"}, csrf=None).status_code == 403
        assert post(agent, "triage", {"text": "俺想申请低保"}, csrf="forged").status_code == 403


def test_engine_down_the_safety_net_still_gives_its_verdict_and_the_checklist_fills(app, users):
    with logged_in(app, users["agent"]) as agent:
        shown = post(agent, "triage", {"text": "俺家两口人 老伴说不想活了"}).json()
        assert shown["available"] is False and "分诊暂时不可用" in shown["notice"]
        assert shown["urgency"] == "high" and shown["banner"]["level"] == "danger"
        assert shown["banner"]["script"][0].startswith("请马上打电话求助")
        assert shown["checklist"]["household_size"] == 2
        calm = post(agent, "triage", {"text": "俺想问问低保"}).json()
        assert calm["available"] is False and calm["banner"] is None and calm["urgency"] == "unknown"


def test_a_referral_needs_consent_and_a_phone_opens_once_per_call_and_is_audited(app, users, db):
    fields = {"township": TOWNSHIP, "household_size": "2", "income_low": "300", "income_high": "300",
              "members": ["elderly"], "contact_name": "王大姐", "contact_phone": "139 4342 1234"}
    with logged_in(app, users["agent"]) as agent:
        refused = post(agent, "referral", {"call_id": CALL, "consent": False, "checklist": fields})
        assert refused.status_code == 422 and "同意" in refused.json()["message"]
        no_phone = post(agent, "referral", {"call_id": CALL, "consent": True, "checklist": {**fields, "contact_phone": ""}})
        assert no_phone.status_code == 422 and "电话" in no_phone.json()["message"]
        first = post(agent, "referral", {"call_id": CALL, "consent": True, "checklist": fields})
        again = post(agent, "referral", {"call_id": CALL, "consent": True, "checklist": fields})
    assert first.status_code == 200, first.text
    receipt = first.json()
    assert receipt["case_number"].startswith("SL-") and receipt["created"] is True
    assert receipt["office"] == "茂林镇人民政府社会救助窗口"
    assert again.json()["case_number"] == receipt["case_number"] and again.json()["created"] is False
    referral = db.scalars(select(Referral)).one()
    assert (referral.channel, referral.kind, referral.contact_phone) == ("12345", "apply", "13943421234")
    assert referral.township_code == TOWNSHIP and "家里人口：2口人" in referral.summary
    assert "12345电话" in referral.consent_text and "茂林镇" in referral.consent_text
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "referral_created")).all()
    assert [(e.actor_name, e.subject) for e in entries] == [("agent1", f"referral:{receipt['case_number']}")]


def test_the_wrap_up_stores_the_correction_masked_and_a_second_save_updates_it(app, users, db):
    said = "我叫王桂芝 电话13943421234 俺家揭不开锅了"
    with logged_in(app, users["agent"]) as agent:
        bad = post(agent, "wrapup", {"call_id": CALL, "corrected_intent": "weather"})
        assert bad.status_code == 422
        saved = post(agent, "wrapup", {"call_id": CALL, "text": said, "model_intent": "ask_policy",
                                       "model_confidence": 0.61, "corrected_intent": "seek_help",
                                       "programme": "dibao", "notes": "回电 13943421234"})
        assert saved.status_code == 200 and saved.json()["corrected"] is True
        row = db.scalars(select(AssistWrapup)).one()
        assert (row.call_id, row.agent_name, row.model_intent, row.corrected_intent, row.corrected) == (
            CALL, "agent1", "ask_policy", "seek_help", True)
        assert "13943421234" not in row.text and "13943421234" not in row.notes and "揭不开锅" in row.text
        assert row.at is not None and row.programme == "dibao"
        post(agent, "wrapup", {"call_id": CALL, "text": said, "model_intent": "seek_help",
                               "corrected_intent": "seek_help", "case_number": "SL-2026-000001"})
    db.expire_all()
    row = db.scalars(select(AssistWrapup)).one()
    assert (row.corrected, row.case_number) == (False, "SL-2026-000001")


def test_a_long_call_is_triaged_on_its_latest_words_and_the_net_reads_all_of_it():
    from bot.safety.net import SafetyNet
    from bot.staff import assist

    net = SafetyNet.from_file(ROOT / "policies" / "emergency.yml")
    call = "俺家老头叫不醒了。" + "俺想问问低保的事，" * 80
    assert assist.latest(call, 500) == call[-500:] and assist.latest(" 短 ", 500) == "短"
    assert "叫不醒" not in assist.latest(call, 500)
    assert assist._urgency("low", assist._net_urgency(net, call)) == "high"  # said early, still on top
    assert assist._urgency("check", None) == "check" and assist._urgency("normal", None) == "normal"


def test_the_screening_line_follows_the_checklist_as_the_agent_edits_it(app, users):
    fields = {"township": "220382101", "place_text": "双山镇秀水村", "household_size": "2", "income_low": "200",
              "income_high": "249", "members": ["elderly"], "supporter": "refuses"}
    with logged_in(app, users["agent"]) as agent:
        found = post(agent, "screen", {"checklist": fields}).json()["findings"]
        assert found[0]["programme"] == "低保" and found[0]["outcome"] == "很可能符合" and "低于" in found[0]["reason"]
        richer = post(agent, "screen", {"checklist": {**fields, "income_low": "9000", "income_high": "9000"}})
        assert "低保" not in [f["programme"] for f in richer.json()["findings"]]
