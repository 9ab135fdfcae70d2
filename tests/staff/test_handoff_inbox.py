"""转人工, the console's handoff inbox: who may open it, the list (oldest first, waiting time, no text), one
conversation (masked transcript, form answers from the engine's tracker or none when it is down, a recorded
view), claim by one owner, replies (web chat: fetched by the page; WeChat: the outbox), canned replies from
the knowledge base, private notes, hand back, and the bot quiet all along."""
from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.channels import inbox
from bot.staff import handoff
from bot.channels.wechat.models import WechatFollower, WechatOutbox
from bot.staff import handoffs
from bot.staff.models import AuditEntry
from tests.staff.conftest import form_token, logged_in, make_user
from tests.staff.test_handoff_webchat import RecordingEngine, app, poll, say  # noqa: F401  (app: engine stand-in)

WECHAT = "wx-oWaitingResident000001"


def open_handoff(db, sender: str, *said: str, minutes_ago: float = 0) -> str:
    handoff.start(db, sender, reason="requested")
    row = db.get(handoff.Handoff, sender)
    row.since = row.since - timedelta(minutes=minutes_ago)
    db.commit()
    for text in said:
        message = inbox.record(db, "wechat" if sender.startswith("wx-") else "webchat", sender, text)
        message.created_at = row.since + timedelta(seconds=1)
        inbox.mark(db, message, "for_staff")
    db.commit()
    return handoffs.key(sender)


def post(client, path: str, **data):
    page = client.get(path.rsplit("/", 1)[0])
    return client.post(path, data={"csrf": form_token(page.text), **data}, follow_redirects=False)


@pytest.mark.parametrize("role,status", [("agent", 200), ("admin", 200), ("reviewer", 403), ("clerk", 403)])
def test_agents_and_admins_open_the_inbox_reviewers_and_clerks_do_not(app, users, role, status, db):
    key = open_handoff(db, WECHAT, "有人吗")
    with logged_in(app, users[role]) as client:
        assert client.get("/console/handoffs", follow_redirects=False).status_code == status
        assert client.get(f"/console/handoffs/{key}", follow_redirects=False).status_code == status


def test_the_list_is_oldest_first_with_waiting_time_danger_marked_and_no_text(app, users, db):
    newer = open_handoff(db, "web-newerresident000001", "我家低保停了", minutes_ago=3)
    older = open_handoff(db, WECHAT, "我不想活了 电话13812345678", minutes_ago=75)
    with logged_in(app, "agent1") as client:
        page = client.get("/console/handoffs").text
    assert page.index(older) < page.index(newer)
    assert "1 小时 15 分钟" in page and "3 分钟" in page and "微信" in page and "网页聊天" in page
    assert "可能有危险" in page and page.count("可能有危险") == 1
    assert "不想活" not in page and "低保停了" not in page and "1381234" not in page  # opening one is the view
    assert 'http-equiv="refresh"' in page
    with logged_in(app, "agent1") as client:
        assert 'id="danger"' in client.get(f"/console/handoffs/{older}").text
        assert 'id="danger"' not in client.get(f"/console/handoffs/{newer}").text


def test_a_conversation_shows_masked_transcript_form_answers_and_is_recorded(app, users, db, monkeypatch):
    async def tracker(self, sender, events=True):
        return {"slots": {"programme": "dibao", "household_size": 3, "contact_phone": "13812345678",
                          "report_situation": "电话13987654321 没人管"},
                "events": [{"event": "user", "text": "不该出现的重复", "timestamp": time.time()},
                           {"event": "bot", "text": "您说的电话13700001111我记下了", "timestamp": time.time() + 5},
                           {"event": "bot", "text": "很久以前的回答", "timestamp": time.time() - 86400}]}

    monkeypatch.setattr(RecordingEngine, "tracker", tracker)
    key = open_handoff(db, WECHAT, "我电话是13812345678，身份证220382199001011234")
    with logged_in(app, "agent1") as client:
        page = client.get(f"/console/handoffs/{key}").text
    assert "138****5678" in page and "13812345678" not in page and "220382199001011234" not in page
    assert "最低生活保障" in page and "3口人" in page and "139****4321" in page
    assert "您说的电话137****1111我记下了" in page and "小助手" in page  # what the bot said, from the tracker
    assert "不该出现的重复" not in page and "很久以前的回答" not in page  # the inbox has the resident's words
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "view")).one()
    assert (entry.actor_name, entry.subject) == ("agent1", f"转人工会话 {key}")
    assert WECHAT not in page and "oWaitingResident" not in page  # the openid stays out of the page


def test_the_page_works_with_the_engine_down(app, users, db, monkeypatch):
    async def down(self, sender, events=True):
        from bot.engine.client import EngineUnavailable
        raise EngineUnavailable("tracker: ConnectError")

    monkeypatch.setattr(RecordingEngine, "tracker", down)
    key = open_handoff(db, WECHAT, "有人吗")
    with logged_in(app, "agent1") as client:
        page = client.get(f"/console/handoffs/{key}")
    assert page.status_code == 200 and "对话引擎暂时连不上" in page.text and "有人吗" in page.text


def test_one_owner_at_a_time_and_only_the_owner_replies(app, users, db):
    make_user(db, "agent2", "agent")
    key = open_handoff(db, WECHAT, "有人吗")
    base = f"/console/handoffs/{key}"
    with logged_in(app, "agent1") as one, logged_in(app, "agent2") as two:
        assert post(one, f"{base}/claim").headers["location"].endswith("done=claimed")
        assert post(two, f"{base}/claim").headers["location"].endswith("done=taken")
        seen = two.get(base).text
        assert "接手人：<strong id=\"owner-name\">agent1</strong>" in seen and 'id="reply-form"' not in seen
        assert post(two, f"{base}/reply", text="我来回").headers["location"].endswith("done=not_owner")
        assert post(one, f"{base}/reply", text="您好，我是民政局的小王").headers["location"].endswith("done=replied")
        assert "agent1" in two.get("/console/handoffs").text  # the owner, visible to everyone
    sent = db.scalars(select(WechatOutbox.content).where(WechatOutbox.openid == WECHAT.removeprefix("wx-"))).all()
    assert sent == ["您好，我是民政局的小王"]  # WeChat: through the outbox; agent2's words never went out
    claims = db.scalars(select(AuditEntry.detail).where(AuditEntry.action == "status_change")).all()
    assert claims == ["接手转人工会话"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_claims_at_once_one_wins(db_url, backend):
    from contextlib import nullcontext

    from sqlalchemy.orm import Session

    from bot.db.migrate import upgrade
    from bot.db.session import make_engine
    from tests.intake.conftest import postgres_database

    with (nullcontext(db_url) if backend == "sqlite" else postgres_database()) as url:
        upgrade(url)
        engine = make_engine(url)
        with Session(engine) as s:
            handoff.start(s, WECHAT, reason="requested")

        def claim(name):
            with Session(engine) as s:
                return handoff.claim(s, WECHAT, name)

        with ThreadPoolExecutor(2) as pool:
            won = list(pool.map(claim, ["agent1", "agent2"]))
        with Session(engine) as s:
            owner = s.get(handoff.Handoff, WECHAT)
            assert owner.staff in ("agent1", "agent2") and owner.claimed_at is not None
            assert handoff.claim(s, WECHAT, owner.staff)  # claiming one's own again is fine
        engine.dispose()
    assert sorted(won) == [False, True]


def test_canned_replies_come_from_the_knowledge_base_and_fill_the_reply_box(app, users, db):
    key = open_handoff(db, WECHAT, "低保要啥材料")
    with logged_in(app, "agent1") as client:
        post(client, f"/console/handoffs/{key}/claim")
        page = client.get(f"/console/handoffs/{key}?canned=dibao.materials").text
    box = re.search(r'<textarea id="reply"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert box.startswith("【低保·要带的材料】") and "依据：" in box
    assert "低保·条件" in page and "去哪里办" in page and "您的权利" in page


def test_web_chat_resident_gets_the_reply_never_the_note_and_the_bot_answers_after_hand_back(app, users, db):
    from fastapi.testclient import TestClient

    with TestClient(app) as resident:
        token = say(resident, None, "你好")["sender"]
        sender = "web-" + token.split(".")[0]
        key = open_handoff(db, sender)
        assert say(resident, token, "有人吗")["staff"] is True
        with logged_in(app, "agent1") as agent:
            base = f"/console/handoffs/{key}"
            post(agent, f"{base}/claim")
            post(agent, f"{base}/note", text="居民说电话13812345678，先核实")
            post(agent, f"{base}/reply", text="您好，请说说家里的情况")
            page = agent.get(base).text
            assert "备注（居民看不到）" in page and "138****5678" in page and "13812345678" not in page
            got = poll(resident, token).json()
            assert [m["text"] for m in got["messages"]] == ["您好，请说说家里的情况"] and got["open"]
            assert RecordingEngine.asked == ["你好"]  # quiet while a person has it
            assert post(agent, f"{base}/back").headers["location"] == "/console/handoffs?done=back"
            assert agent.get(base, follow_redirects=False).headers["location"] == "/console/handoffs?done=gone"
        last = poll(resident, token, got["after"]).json()
        assert [m["text"] for m in last["messages"]] == [handoff.BACK_TO_BOT] and not last["open"]
        assert say(resident, token, "低保要啥材料")["messages"] == ["小助手：低保要啥材料"]
    details = db.scalars(select(AuditEntry.detail).where(AuditEntry.action == "status_change")).all()
    assert details == ["接手转人工会话", "交回机器人"]
    note = db.scalars(select(handoff.HandoffMessage).where(handoff.HandoffMessage.kind == "note")).one()
    assert "13812345678" not in note.text  # masked as it was written


def test_an_action_without_the_csrf_token_is_refused(app, users, db):
    key = open_handoff(db, WECHAT, "有人吗")
    with logged_in(app, "agent1") as client:
        refused = client.post(f"/console/handoffs/{key}/claim", data={}, follow_redirects=False)
    assert refused.status_code == 403 and db.get(handoff.Handoff, WECHAT).staff is None


def test_a_wechat_reply_past_the_48_hour_window_is_warned_about(app, users, db):
    from bot.db.base import utcnow

    key = open_handoff(db, WECHAT, "有人吗")
    follower = WechatFollower(openid=WECHAT.removeprefix("wx-"), last_inbound_at=utcnow())
    db.add(follower)
    db.commit()
    with logged_in(app, "agent1") as client:
        assert 'id="window-closed"' not in client.get(f"/console/handoffs/{key}").text
        follower.last_inbound_at = utcnow() - timedelta(hours=49)
        db.commit()
        assert 'id="window-closed"' in client.get(f"/console/handoffs/{key}").text


def test_only_the_owner_or_an_admin_releases_or_hands_back(app, users, db):
    make_user(db, "agent2", "agent")
    key = open_handoff(db, WECHAT, "有人吗")
    base = f"/console/handoffs/{key}"
    with logged_in(app, "agent1") as one, logged_in(app, "agent2") as two, logged_in(app, "admin1") as admin:
        post(one, f"{base}/claim")
        assert post(two, f"{base}/release").headers["location"].endswith("done=taken")
        assert post(two, f"{base}/back").headers["location"].endswith("done=taken")
        assert db.get(handoff.Handoff, WECHAT) is not None
        assert post(admin, f"{base}/release").headers["location"].endswith("done=released")  # e.g. agent1 went home
        db.expire_all()
        assert db.get(handoff.Handoff, WECHAT).staff is None
        assert post(two, f"{base}/claim").headers["location"].endswith("done=claimed")
        assert post(two, f"{base}/release").headers["location"].endswith("done=released")
    details = db.scalars(select(AuditEntry.detail).where(AuditEntry.action == "status_change")
                         .order_by(AuditEntry.id)).all()
    assert details == ["接手转人工会话", "放弃接手转人工会话", "接手转人工会话", "放弃接手转人工会话"]
