"""Issue 9's residents, through the whole product (web chat → engine → action server → app): the exact
exchanges that went wrong, played the way the residents played them."""
import pytest
from sqlalchemy import select

from bot.intake.models import Referral

pytestmark = pytest.mark.engine


def joined(messages):
    return "\n".join(messages)


def summary_of(chat, *answers: str) -> str:
    """Answer the pre-screen's questions in order; the last answer's reply (the summary, by the end)."""
    reply = []
    for text in answers:
        reply = chat(text)
    return joined(reply)


def test_a_villager_answers_in_words_and_her_negations_are_read(chat):
    # 70, alone, no car, one house; she never uses a menu number
    chat("俺想申请低保")
    summary = summary_of(chat, "卧虎镇五星村", "就俺一个人", "一个月也就三四百 种点地",
                         "俺七十三了 别的没有", "就一个闺女 也困难 管不了", "没有", "没有车 就一套住房", "没吃过低保")
    assert "我记下的是这些" in summary
    assert "家里财产：都没有" in summary and "汽车" not in summary
    assert "正在享受：都没有" in summary
    assert "能养他的人：有，但他们自己也困难" in summary
    assert "60岁以上老人" in summary


def test_corrections_in_words_at_the_summary(chat):
    chat("家里日子过不下去了 想申请救助")
    summary_of(chat, "双山镇秀水村", "四口人", "两千来块", "没有", "没有", "有个三轮车", "不是低保户")
    fixed = joined(chat("不对 是三口人"))
    assert "家里人口改成：3口人" in fixed and "我记下的是这些" in fixed and "3口人" in fixed
    assert "有汽车" not in fixed  # 三轮车 is not a car
    assert "初步看" in joined(chat("对着呢"))


def test_a_question_mid_form_is_answered_then_the_form_goes_on(chat):
    chat("俺想申请临时救助")
    chat("双山镇秀水村")
    detour = joined(chat("临时救助一次能给多少钱"))
    assert "临时救助" in detour and "依据" in detour
    assert "几口人" in detour  # the pending question again, not "没看明白，请回复前面的数字"
    assert "收入" in joined(chat("俺们仨"))


def test_a_status_request_pauses_the_pre_screen_and_it_resumes(chat):
    chat("俺想申请低保")
    chat("郑家屯街道东华社区")
    paused = joined(chat("查进度"))
    assert "接着办" in paused and ("案件号" in paused or "进度" in paused)
    resumed = joined(chat("接着办"))
    assert "接着刚才" in resumed and "几口人" in resumed


def test_the_person_asked_for_in_words_mid_form(chat, app_db):
    chat("俺想申请低保")
    answer = joined(chat("俺想找个真人问问"))
    assert "工作人员" in answer and "12345" in answer


def test_nonsense_three_times_is_not_a_loop(chat):
    chat("家里困难 想申请救助")
    first = joined(chat("嗷嗷嗷嗷嗷嗷"))
    second = joined(chat("嗷嗷嗷嗷嗷嗷"))  # where she lives can be left to the window: skipped, not asked again
    assert "没找到" in first and "跳过" in second and "几口人" in second and "住在哪个乡镇" not in second
    chat("嗷嗷嗷嗷嗷嗷")
    fourth = joined(chat("嗷嗷嗷嗷嗷嗷"))  # the household size is skipped too, never asked a third time
    assert "跳过" in fourth and "几口人" not in fourth


def test_a_whole_pre_screen_in_words_ends_with_the_case_number_last(chat, app_db):
    chat("日子过不下去了 想申请低保")
    summary_of(chat, "玻璃山镇", "俺们俩", "俺俩养老金加一块六七百", "俺老头瘫了 俺也七十多了",
               "一级", "儿子不管俺", "没有", "啥也没有", "以前吃过低保 去年停了")
    assert "初步看" in joined(chat("嗯呐"))
    chat("同意")
    receipt = chat("俺叫刘桂芝 139 4342 1234")
    assert receipt[-1].startswith("案件号") or "案件号" in receipt[-1]
    referral = app_db.scalars(select(Referral).where(Referral.sender == chat.sender)).one()
    assert referral.contact_phone == "13943421234"
    assert "有，但是不管" in referral.summary and "正在享受：都没有" in referral.summary
