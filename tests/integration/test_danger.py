"""Danger on words nobody wrote for the net: confirmed danger alerts at once, uncertain danger is asked
about first (numbers in the same message) and a "no" resumes what the resident was doing."""
import pytest
from sqlalchemy import select

from bot.staff.alerts.models import Alert
from bot.intake.models import Referral

pytestmark = pytest.mark.engine
QUESTION = "有危险吗"


def joined(messages):
    return "\n".join(messages)


def alerts(app_db, sender):
    app_db.expire_all()
    return app_db.scalars(select(Alert).where(Alert.sender == sender)).all()


@pytest.mark.parametrize("text", ["我想吃火锅", "我家狗丢了", "老刘太太", "今晚零下多少度", "笑死我了"])
def test_everyday_words_that_sound_alarming_raise_nothing(chat, app_db, text):
    answer = joined(chat(text))
    assert QUESTION not in answer and "要看您家的具体情况" not in answer  # no danger question, no pre-screen
    assert alerts(app_db, chat.sender) == []


@pytest.mark.parametrize("text", ["车打不着火了 咋整", "快递三天没动了", "孩子说要离家出走 吓唬我呢"])
def test_everyday_words_the_model_is_unsure_about_never_alert(chat, app_db, text):
    chat(text)
    chat("没有")
    assert alerts(app_db, chat.sender) == []


def test_a_past_fire_asked_about_policy_stays_a_policy_question(chat, app_db):
    answer = joined(chat("去年房子着火了能申请临时救助吗"))
    assert QUESTION not in answer and "119" not in answer
    assert alerts(app_db, chat.sender) == []


def test_uncertain_danger_is_asked_about_then_the_form_resumes(chat, app_db):
    assert "住在哪个乡镇" in joined(chat("俺想申请低保"))
    asked = joined(chat("卧虎镇 老伴这两天老是头疼恶心"))
    assert QUESTION in asked and "120" in asked and "几口人" not in asked  # the question comes first, alone
    resumed = joined(chat("没有"))
    assert resumed.startswith("好的，没事就好")
    assert "几口人" in resumed and "住在哪个乡镇" not in resumed  # the held answer was taken; the next question
    assert alerts(app_db, chat.sender) == []


def test_yes_to_the_danger_question_alerts_and_opens_an_urgent_case(chat, app_db):
    asked = joined(chat("孩子一个人在家 低保咋申请"))
    assert QUESTION in asked and "低保" not in asked
    answer = joined(chat("有"))
    assert "工作人员" in answer and "哪个乡镇" in answer           # flagged, and the urgent case asks where
    [alert] = alerts(app_db, chat.sender)
    assert alert.kind == "emergency" and alert.category == "no_food" and "孩子一个人在家" in alert.text_masked
    referral = app_db.scalars(select(Referral).where(Referral.sender == chat.sender)).one()
    assert referral.kind == "urgent"


def test_no_to_the_danger_question_answers_the_held_question(chat, app_db):
    assert QUESTION in joined(chat("孩子一个人在家 低保咋申请"))
    answer = joined(chat("没事"))
    assert answer.startswith("好的，没事就好") and "低保" in answer
    assert alerts(app_db, chat.sender) == []


def test_something_else_after_the_question_loses_nothing(chat, app_db):
    assert QUESTION in joined(chat("孩子一个人在家 低保咋申请"))
    answer = chat("特困供养要什么条件")
    assert "【低保·" in answer[0] and "特困" in joined(answer[1:])  # the held question first, then the new one
    assert QUESTION not in joined(answer) and alerts(app_db, chat.sender) == []


def test_confirmed_danger_without_net_words_alerts_at_once(chat, app_db):
    answer = joined(chat("俺家老头子喝了半瓶敌敌畏 嘴里直冒沫子"))
    assert "120" in answer and QUESTION not in answer
    assert [a.kind for a in alerts(app_db, chat.sender)] == ["emergency"]
