"""Entity corrections per turn, a conversation saved as a test story, the township filter: the console's forms
(CSRF, roles, audit), the export's Rasa mark-up, the story file and `bot review stories`."""
from __future__ import annotations

import re

import yaml
from sqlalchemy import select

from bot.staff.models import AuditEntry
from bot.staff.review.models import ReviewConversation, ReviewStory, ReviewTurn
from tests.staff.conftest import form_token, logged_in
from tests.staff.review.conftest import T0, action, bot, loop, run_bot, slot, user, write_events

SHUANGSHAN = {"code": "220382101", "name": "双山镇", "office": "双山镇人民政府社会救助窗口", "place": "秀水村",
              "urban": False, "text": "双山镇秀水村"}


def cid(db, sender: str) -> int:
    return db.scalar(select(ReviewConversation.id).where(ReviewConversation.sender_id == sender))


def turn(db, conversation_id: int, seq: int) -> ReviewTurn:
    db.expire_all()
    return db.scalars(select(ReviewTurn).where(ReviewTurn.conversation_id == conversation_id,
                                               ReviewTurn.seq == seq)).one()


def details(db, conversation_id: int) -> list[str]:
    return [e.detail for e in db.scalars(select(AuditEntry).where(AuditEntry.subject == f"review:{conversation_id}"))]


def test_entities_added_removed_and_reset_on_the_masked_text(review_app, users, db):
    with logged_in(review_app, users["reviewer"]) as client:
        client.get("/console/review")
        c = cid(db, "web-a")
        page = client.get(f"/console/review/{c}")
        token = form_token(page.text)
        assert "低保 → programme=低保" in page.text and 'id="add-entity-2"' in page.text
        url = f"/console/review/{c}/turns/2/entities"
        assert client.post(url, data={"span": "电话", "entity": "programme", "value": "dibao"}).status_code == 403
        # a masked part is never an entity; a span not in the text, a value not in the taxonomy: told, not saved
        for span, value, code in (("139****5678", "dibao", "masked"), ("低保", "dibao", "absent"),
                                  ("电话", "no_such", "value"), ("", "dibao", "empty")):
            done = client.post(url, data={"csrf": token, "span": span, "entity": "programme", "value": value},
                               follow_redirects=False)
            assert done.status_code == 303 and f"done=entity-{code}" in done.headers["location"]
        assert turn(db, c, 2).corrected_entities is None
        assert client.post(url, data={"csrf": token, "span": "电话", "entity": "nope", "value": ""}).status_code == 400
        done = client.post(url, data={"csrf": token, "span": " 电话 ", "entity": "programme", "value": "dibao"},
                           follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"].endswith("#turn-2")
        assert turn(db, c, 2).corrected_entities == [{"entity": "programme", "value": "dibao", "start": 1, "end": 3}]
        again = client.post(url, data={"csrf": token, "span": "电话", "entity": "programme", "value": "dibao"},
                            follow_redirects=False)
        assert "done=entity-taken" in again.headers["location"]
        page = client.get(f"/console/review/{c}")
        assert "已改正实体" in page.text and "电话 → programme=dibao" in page.text
        # the first turn: the model's entity removed, the turn now has none (an empty list, not "the model's")
        client.post(f"/console/review/{c}/turns/1/entities/remove", data={"csrf": token, "index": "0"})
        assert turn(db, c, 1).corrected_entities == [] and turn(db, c, 1).entities_by == "reviewer1"
        assert client.post(f"/console/review/{c}/turns/1/entities/remove",
                           data={"csrf": token, "index": "5"}).status_code == 400
        client.post(f"/console/review/{c}/turns/1/entities/reset", data={"csrf": token})
        assert turn(db, c, 1).corrected_entities is None and turn(db, c, 1).entities_at is None
        # the intent controls are untouched by an entity correction
        assert turn(db, c, 2).corrected_intent is None
    logged = details(db, c)
    assert any("第 2 句实体加上 电话 → programme=dibao" in d for d in logged)
    assert any("第 1 句实体去掉 programme=低保" in d for d in logged) and any("恢复为模型识别" in d for d in logged)
    with logged_in(review_app, users["agent"]) as client:
        assert client.post(f"/console/review/{c}/turns/1/entities/reset", data={"csrf": "x"}).status_code == 403


def test_export_writes_entity_corrections_as_rasa_markup(review_app, users, db, db_url, events_db, tmp_path,
                                                        monkeypatch, capsys):
    nlu_dir = tmp_path / "nlu_data"
    (nlu_dir / "nlu").mkdir(parents=True)
    (nlu_dir / "nlu" / "a.yml").write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - 你好\n',
                                           encoding="utf-8")
    write_events(events_db, {"web-x": [user("俺想申请个低保 家里难", "ask_policy", 0.6, T0 + 100), bot("……", T0 + 101),
                                       user("五保户咋申请", "nlu_fallback", 0.3, T0 + 102), bot("……", T0 + 103)]})
    with logged_in(review_app, users["reviewer"]) as client:
        client.get("/console/review")
        c = cid(db, "web-x")
        token = form_token(client.get(f"/console/review/{c}").text)
        client.post(f"/console/review/{c}/turns/1/entities",
                    data={"csrf": token, "span": "低保", "entity": "programme", "value": "dibao"})
        client.post(f"/console/review/{c}/turns/2/entities",
                    data={"csrf": token, "span": "五保户", "entity": "programme", "value": "tekun"})
    run_bot(monkeypatch, db_url, "review", "export", f"--nlu-dir={nlu_dir}", "--date=2026-11-30")
    out = capsys.readouterr().out
    assert "NOINTENT review:" in out and "nlu_fallback" in out   # entities alone do not make nlu_fallback trainable
    data = yaml.safe_load((nlu_dir / "review" / "2026-11-30.yml").read_text(encoding="utf-8"))
    examples = {item["intent"]: item["examples"] for item in data["nlu"]}
    assert examples == {"ask_policy": '- 俺想申请个[低保]{"entity": "programme", "value": "dibao"} 家里难\n'}


def test_saved_story_downloads_as_a_rasa_test_story(review_app, users, db, events_db):
    write_events(events_db, {"web-s": [
        user("我想申请", "seek_help", 0.9, T0 + 200), action("prescreen_form", T0 + 201),
        loop("prescreen_form", T0 + 202), slot("requested_slot", "place", T0 + 203), bot("您家住在哪？", T0 + 204),
        user("双山镇秀水村 电话13912345678", "inform", 0.8, T0 + 205), slot("place", SHUANGSHAN, T0 + 206),
        action("prescreen_form", T0 + 207), loop(None, T0 + 208), slot("requested_slot", None, T0 + 209),
        action("action_submit_prescreen", T0 + 210), bot("已转给双山镇", T0 + 211)]})
    with logged_in(review_app, users["reviewer"]) as client:
        client.get("/console/review")
        c = cid(db, "web-s")
        page = client.get(f"/console/review/{c}")
        token = form_token(page.text)
        assert 'id="save-story"' in page.text and "双山镇" in page.text.split("</h1>")[0]
        assert client.get(f"/console/review/{c}/story.yml").status_code == 404          # not saved yet
        # "inform" is not an intent of the domain: corrected first
        refused = client.post(f"/console/review/{c}/story", data={"csrf": token}, follow_redirects=False)
        assert "done=nostory" in refused.headers["location"] and db.get(ReviewStory, c) is None
        assert "第 2 句的意图“inform”不在模型里" in client.get(refused.headers["location"]).text
        client.post(f"/console/review/{c}/turns/2/intent", data={"csrf": token, "intent": "seek_help"})
        saved = client.post(f"/console/review/{c}/story", data={"csrf": token}, follow_redirects=False)
        assert "done=story" in saved.headers["location"]
        page = client.get(f"/console/review/{c}")
        assert 'id="story-download"' in page.text and "已存（reviewer1）" in page.text
        download = client.get(f"/console/review/{c}/story.yml")
        assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    story = yaml.safe_load(download.text)["stories"][0]
    assert story["story"].startswith(f"review {c} (web, 2026-11-29")
    assert story["steps"] == [
        {"user": "我想申请\n", "intent": "seek_help"}, {"action": "prescreen_form"}, {"active_loop": "prescreen_form"},
        {"user": "双山镇秀水村 电话139****5678\n", "intent": "seek_help"}, {"action": "prescreen_form"},
        {"active_loop": None}, {"action": "action_submit_prescreen"}]
    assert "13912345678" not in download.text and "220382101" not in download.text   # slot values never written
    logged = details(db, c)
    assert any("存为测试故事" in d for d in logged) and any("下载测试故事" in d for d in logged)


def test_bot_review_stories_writes_each_saved_story_once(review_app, users, db, db_url, tmp_path, monkeypatch,
                                                         capsys):
    with logged_in(review_app, users["reviewer"]) as client:
        client.get("/console/review")
        token = form_token(client.get("/console/review").text)
        for sender in ("wx-b", "web-c"):
            client.post(f"/console/review/{cid(db, sender)}/story", data={"csrf": token})
    out_dir = tmp_path / "stories"
    run_bot(monkeypatch, db_url, "review", "stories", f"--stories-dir={out_dir}", "--date=2026-11-30")
    first = (out_dir / "2026-11-30.yml").read_text(encoding="utf-8")
    run_bot(monkeypatch, db_url, "review", "stories", f"--stories-dir={out_dir}", "--date=2026-12-01")
    assert "2 stories" in capsys.readouterr().out.splitlines()[0]
    assert not (out_dir / "2026-12-01.yml").exists()      # both written the day before
    stories = yaml.safe_load(first)["stories"]
    assert [s["steps"][0]["intent"] for s in stories] == ["emergency", "nlu_fallback"]
    assert {"action": "action_default_fallback"} in stories[1]["steps"]
    assert db.scalar(select(AuditEntry.detail).where(AuditEntry.subject == "review:stories")).startswith(
        "会话审阅导出测试故事 2 个")


def test_township_filter(review_app, users, db, events_db):
    write_events(events_db, {"web-t": [user("我想申请", "seek_help", 0.9, T0 + 300),
                                       slot("place", SHUANGSHAN, T0 + 301), bot("好的", T0 + 302)],
                             "web-u": [user("帮邻居反映", "report_other", 0.9, T0 + 310),
                                       slot("report_place", {**SHUANGSHAN, "code": "220382001", "name": "郑家屯街道"},
                                            T0 + 311)]})
    with logged_in(review_app, users["reviewer"]) as client:
        page = client.get("/console/review")
        assert '<option value="220382101">双山镇</option>' in page.text
        shown = client.get("/console/review?township=220382101")
        assert re.findall(r'<tr data-id="(\d+)"', shown.text) == [str(cid(db, "web-t"))]
        assert '<option value="220382101" selected>双山镇</option>' in shown.text
        streets = client.get("/console/review?township=220382001&channel=web")
        assert re.findall(r'<tr data-id="(\d+)"', streets.text) == [str(cid(db, "web-u"))]
        assert len(re.findall(r'<tr data-id="', client.get("/console/review?township=bogus").text)) == 7
