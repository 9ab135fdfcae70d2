"""Whole conversations through the web chat path: app → engine (REST channel) → action server → app."""
import httpx
import pytest
from sqlalchemy import select

from bot.staff.alerts.models import Alert
from bot.channels.inbox import InboundMessage

pytestmark = pytest.mark.engine


def joined(messages):
    return "\n".join(messages)


def test_greeting_says_what_it_can_do(chat):
    assert "救助小助手" in joined(chat("你好"))


def test_policy_question_gets_sourced_answer_and_a_way_on(chat):
    bubbles = chat("低保要啥条件")
    answer = joined(bubbles)
    assert "【低保·申请条件】" in answer and "依据：《" in answer
    assert "1 我想申请" in bubbles[-1]
    assert len(bubbles) <= 3 and all(len(b) <= 160 for b in bubbles)  # two bubbles and the way on


def test_menu_by_number_then_programme_carries_over(chat, kb):
    tekun = kb.programme("tekun").short_name
    menu = joined(chat("申请救助要带什么材料"))
    assert "回复数字" in menu and f"2 {tekun}" in menu
    assert f"【{tekun}·要带的材料】" in joined(chat("2"))
    assert f"【{tekun}·怎么办" in joined(chat("那去哪办呢"))


def test_aspect_menu_after_a_bare_programme_name(chat):
    assert "您想了解低保的哪方面" in joined(chat("低保"))
    assert "【低保·能领多少】" in joined(chat("4"))


def test_emergency_interrupts_a_menu_and_alerts_staff(chat, app_db):
    chat("低保")
    answer = joined(chat("我不想活了"))
    assert "110" in answer and "120" in answer and "工作人员" in answer
    alerts = app_db.scalars(select(Alert).where(Alert.sender == chat.sender)).all()
    assert [(a.kind, a.category) for a in alerts] == [("emergency", "suicide")]


def test_request_for_a_person_is_recorded(chat, app_db):
    answer = joined(chat("我要找人工，电话13812345678"))
    assert "12345" in answer
    [alert] = app_db.scalars(select(Alert).where(Alert.sender == chat.sender)).all()
    assert alert.kind == "handoff" and "138****5678" in alert.text_masked


def test_handoff_from_the_next_step_menu(chat, app_db):
    chat("特困供养要什么条件")
    chat("3")
    kinds = app_db.scalars(select(Alert.kind).where(Alert.sender == chat.sender)).all()
    assert kinds == ["handoff"]


def test_out_of_scope_is_polite_and_points_back(chat):
    assert "社会救助" in joined(chat("明天天气咋样啊"))


@pytest.mark.parametrize("text", ["😀😀😀", "救" * 10_000, "abc 低保 123 ／／／ ｘｙｚ", "低保\x00\x07申请"])
def test_odd_input_gets_a_polite_answer(chat, text):
    messages = chat(text)
    assert messages and all(m.strip() for m in messages)


def test_every_message_is_recorded_as_answered(chat, app_db):
    chat("临时救助能给多少钱")
    statuses = app_db.scalars(select(InboundMessage.status).where(InboundMessage.sender == chat.sender)).all()
    assert statuses == ["answered"]


UNCLEAR_CANDIDATES = ["阿巴阿巴哦哦", "那个谁", "就那个事", "这个那个", "这事儿咋说呢", "嗯那个啥就是吧", "呃呃呃那个"]


def unclear_inputs(live_stack) -> list[str]:
    """Mumbles the current model is unsure about (nlu_fallback); the ladder needs two of them."""
    s = live_stack.settings
    found = [t for t in UNCLEAR_CANDIDATES
             if httpx.post(f"{s.engine_url}/model/parse", params={"token": s.engine_token}, json={"text": t},
                           timeout=30).json()["intent"]["name"] == "nlu_fallback"]
    assert len(found) >= 2, "the model is confident about every mumble: the fallback threshold never fires"
    return found


def test_fallback_ladder_confirms_then_rephrases_then_offers_a_person(chat, live_stack):
    first, second = unclear_inputs(live_stack)[:2]
    assert "您是想问" in joined(chat(first))
    assert "换个说法" in joined(chat("不是"))
    assert "您是想问" in joined(chat(second))
    assert "人工" in joined(chat("不对"))


def test_confirming_the_guess_answers_it(chat, live_stack):
    first = unclear_inputs(live_stack)[0]
    question = joined(chat(first))
    assert "您是想问" in question
    answer = joined(chat("是"))
    assert "您是想问" not in answer and "还有什么想问的吗" not in answer


def test_emoji_only_asks_for_words_and_is_recorded(chat, app_db):
    assert "文字" in joined(chat("😀😀🙏"))
    notes = app_db.scalars(select(InboundMessage.note).where(InboundMessage.sender == chat.sender)).all()
    assert notes == ["no words"]


def test_triage_api_through_the_app(live_app_url, service_headers):
    response = httpx.post(f"{live_app_url}/api/triage", json={"text": "俺家老伴瘫炕上了有啥补助没"},
                          headers=service_headers, timeout=30)
    body = response.json()
    assert response.status_code == 200
    assert body["intent"] in {"ask_policy", "seek_help"} and 2 <= len(body["suggested_replies"]) <= 3
