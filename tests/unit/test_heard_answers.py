"""Answers said before their question ("儿子不管俺" with the members, "上个月着的火" with the event) are taken
and the question is not asked; strict readers, so a wrong take never skips a question."""
from __future__ import annotations

import pytest

from bot.forms.prescreen import PRESCREEN
from tests.evaluation.forms_env import form_env
from tests.unit.form_run import Run

OPENING = "俺想申请低保 咋整"


@pytest.fixture(scope="module")
def env():
    return form_env()


def _to(run: Run, slot: str, answers: dict[str, str]) -> None:
    """Answer each question from `answers` until `slot` is asked (a question not in `answers` fails)."""
    for _ in range(15):
        if run.requested == slot:
            return
        run.say(answers[run.requested])
    raise AssertionError(f"{slot} never asked")


ALONE = {"place": "卧虎镇五星村", "household_size": "就俺自个儿", "monthly_income": "一个月三四百"}


def test_the_time_told_with_the_event_is_not_asked_again(env):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "sudden_event", {**ALONE, "special_members": "俺七十四了", "supporter": "没儿没女"})
    run.say("上个月着的火 烧了半拉房子")
    assert run.slots["sudden_event"] == "fire" and run.slots["event_when"] == "earlier"
    assert "event_when" not in run.asked and run.requested == "assets"


@pytest.mark.parametrize("said, when", [("前天晚上老伴脑出血住院了", "recent"), ("俩月前下冰雹 苞米全砸了", "earlier"),
                                        ("老伴让车撞了 就上礼拜", "recent")])
def test_times_in_words_with_the_event(env, said, when):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "sudden_event", {**ALONE, "special_members": "俺七十四了", "supporter": "没儿没女"})
    run.say(said)
    assert run.slots["event_when"] == when and "event_when" not in run.asked


def test_a_house_in_danger_is_not_asked_when(env):
    """住房救助 helps a house in danger whenever it cracked: its time would be collected for nothing."""
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "sudden_event", {**ALONE, "special_members": "俺七十四了", "supporter": "没儿没女"})
    run.say("房子后墙裂了个大缝 快塌了")
    assert run.slots["sudden_event"] == "house" and run.requested == "assets" and "event_when" not in run.asked


def test_an_event_without_its_time_still_asks_when(env):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "sudden_event", {**ALONE, "special_members": "俺七十四了", "supporter": "没儿没女"})
    run.say("着火了")
    assert run.requested == "event_when"


def test_support_said_with_the_members_is_not_asked(env):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "special_members", ALONE)
    run.say("俺七十四了 儿子在外地 不管俺")
    assert run.slots["special_members"] == ["elderly"] and run.slots["supporter"] == "refuses"
    assert "supporter" not in run.asked and run.requested == "sudden_event"


def test_a_fact_for_a_later_question_said_instead_of_an_answer_is_kept(env):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "monthly_income", ALONE)
    said = run.say("闺女自己也困难 管不了俺")
    assert "记下了" in said and "有，但他们自己也困难" in said and "收入" in said
    assert run.requested == "monthly_income" and run.slots["supporter"] == "poor"
    run.say("一个月三百来块", "俺七十四了")
    assert "supporter" not in run.asked and run.requested == "sudden_event"


def test_support_heard_where_it_does_not_apply_is_dropped(env):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "special_members", {**ALONE, "household_size": "四口人", "monthly_income": "两千来块"})
    run.say("孩子念大学 儿子不管俺们")  # a student, not a child: no one here needs supporting
    summary = run.say("没有", "没有", "没有")
    assert run.requested == "prescreen_confirmed" and "能养他的人" not in summary
    assert run.slots.get("supporter") is None


def test_a_benefit_named_with_the_income_is_not_asked(env):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "monthly_income", ALONE)
    run.say("低保一个月给三百多 再就没啥了")
    assert run.slots["current_benefits"] == ["dibao"]
    _to(run, "prescreen_confirmed", {"special_members": "俺七十四了", "supporter": "没儿没女",
                                     "sudden_event": "没有", "assets": "啥也没有"})
    assert "current_benefits" not in run.asked


@pytest.mark.parametrize("said", ["以前吃过低保 去年停了 现在一个月三百", "一个月三百 想申请低保", "低保能给多少 俺一个月三百",
                                  "一个月三百 不是低保户"])
def test_a_benefit_not_received_now_is_not_taken(env, said):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "monthly_income", ALONE)
    run.say(said)
    assert run.slots.get("current_benefits") is None


def test_an_opening_asking_for_a_benefit_is_not_receiving_it(env):
    run = Run(PRESCREEN, env, "俺想申请低保 儿子不管俺")
    assert run.slots.get("current_benefits") is None and run.slots["supporter"] == "refuses"


def test_a_grade_said_with_the_members_is_not_asked(env):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "special_members", {**ALONE, "household_size": "俺俩", "monthly_income": "六七百"})
    run.say("老头瘫了 办了一级残疾证 俺也七十了")
    assert run.slots["disability"] == "severe" and "disability" not in run.asked


def test_the_size_said_with_whose_it_is_is_not_asked(env):
    run = Run(PRESCREEN, env, "问问低保")
    run.say("给俺自己家问的 俺家三口人")
    assert run.slots["household_size"] == 3
    run.say("卧虎镇五星村")
    assert run.requested == "monthly_income" and "household_size" not in run.asked


@pytest.mark.parametrize("said", ["今儿早上着火了 全烧没了", "俩儿子都挺好", "孩子口罩戴着呢", "俺们这一口人也没有管的"])
def test_words_that_only_look_like_another_answer(env, said):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "sudden_event", {**ALONE, "special_members": "俺七十四了", "supporter": "没儿没女"})
    before = {k: run.slots.get(k) for k in ("supporter", "household_size", "current_benefits")}
    run.say(said)
    assert {k: run.slots.get(k) for k in before} == before


def test_a_phone_with_consent_is_one_turn(env):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "prescreen_confirmed", {**ALONE, "special_members": "俺七十四了", "supporter": "没儿没女",
                                     "sudden_event": "没有", "assets": "啥也没有", "current_benefits": "没有"})
    run.say("对着呢")
    assert run.requested == "referral_consent"
    run.say("中 转吧 孙玉芬 13943421876")
    assert run.done and run.slots["contact_phone"] == "13943421876" and run.slots["contact_name"] == "孙玉芬"


def test_raising_a_child_alone_is_not_a_household_of_one(env):
    run = Run(PRESCREEN, env, "孩子自闭症 我一个人带 有没有啥帮扶")
    assert run.slots.get("household_size") is None
    assert Run(PRESCREEN, env, "老伴没了 我一个人过 想申请低保").slots["household_size"] == 1


@pytest.mark.parametrize("said", ["俺七十了 孙女九岁 她爸判刑进去了 她妈跑了", "孙子八岁 他妈改嫁了 他爸坐牢呢",
                                  "俩孙子跟着俺 一个八岁一个十岁 爹妈都不在身边"])
def test_a_child_whose_parents_are_gone_told_as_a_story(env, said):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "special_members", {**ALONE, "household_size": "俺爷俩"})
    run.say(said)
    assert "unparented" in run.slots["special_members"] and "child" in run.slots["special_members"]


@pytest.mark.parametrize("said", ["张德福 俺没电话 你们打村部吧", "俺叫蔡军 俺没手机 家里也没座机", "不知道"])
@pytest.mark.parametrize("then,phone", [("俺儿子的 13912345678", "13912345678"), ("没有", ""), ("不知道", ""),
                                        ("俺家没电话", "")])
def test_no_phone_of_ones_own_asks_for_someone_elses_once(env, said, then, phone):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "prescreen_confirmed", {**ALONE, "special_members": "俺七十四了", "supporter": "没儿没女",
                                     "sudden_event": "没有", "assets": "啥也没有", "current_benefits": "没有"})
    run.say("对着呢")
    run.say("同意")
    reply = run.say(said)
    assert "家里人、邻居或者村干部的电话" in reply and run.requested == "contact_phone"
    run.say(then)
    assert run.done and run.slots["contact_phone"] == phone


@pytest.mark.parametrize("text", ["没电话", "电话坏了 没有", "不留"])
def test_a_plain_no_phone_ends_without_asking_again(env, text):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "prescreen_confirmed", {**ALONE, "special_members": "俺七十四了", "supporter": "没儿没女",
                                     "sudden_event": "没有", "assets": "啥也没有", "current_benefits": "没有"})
    run.say("对着呢")
    run.say("同意")
    run.say(text)
    assert run.done and run.slots["contact_phone"] == ""


@pytest.mark.parametrize("opening,size,whose", [
    ("俺家小子脑子不好使 三十了啥也干不了 俺俩岁数也大了 能不能帮帮俺家", None, "self"),  # the couple, not the home
    ("厂子黄了 俺两口子都没活了 孩子还得上学 咋整", None, "self"),
    ("俺们老两口日子过不下去了 想申请低保", 2, "self"),
    ("俺一个老太太自己过日子 能给整个低保不", 1, "self"),
    ("俺家隔壁有个老太太八十多了 没儿没女的一个人过 她那样能整个五保不", 1, "relative"),
    ("你好 我是后太平村的会计 帮俺们村一个老光棍问问 他现在吃低保 能转五保不", None, "relative"),
])
def test_what_an_opening_tells(env, opening, size, whose):
    run = Run(PRESCREEN, env, opening)
    assert run.slots.get("household_size") == size and run.slots.get("need_whose") == whose


def test_an_event_long_past_in_the_opening_is_asked_about(env):
    run = Run(PRESCREEN, env, "俺儿子前年出车祸没了 媳妇改嫁走了 俺自己带着孙子 孩子这样的有没有啥补助")
    assert run.slots.get("sudden_event") is None
    assert Run(PRESCREEN, env, "俺家前天晚上着火了 啥都烧没了").slots.get("sudden_event") == "fire"


def _members_after(env, opening: str, size: str, said: str):
    run = Run(PRESCREEN, env, opening)
    _to(run, "special_members", {**ALONE, "household_size": size, "monthly_income": "一个月二百来块"})
    prompt = "\n".join(run.last)
    run.say(said)
    return prompt, run.slots["special_members"]


def test_members_told_in_the_opening_join_a_shorter_answer(env):
    """The villager told her story first, then answered the menu with the main thing only."""
    prompt, members = _members_after(env, "俺家老头子瘫炕上三年了 俺俩都七十多了 能申请点啥不", "就俺俩", "老头瘫了")
    assert "记下了：60岁以上老人）" in prompt  # the sickness stays hers to tell (no certificate may be)
    assert sorted(members) == ["disabled", "elderly"]


def test_members_told_with_the_size_join_the_answer(env):
    prompt, members = _members_after(env, "俺想申请低保", "四口人 俺爹八十四了 俺俩 还有大闺女念高三", "俺媳妇有病")
    assert "记下了：60岁以上老人、在上学的孩子" in prompt
    assert sorted(members) == ["elderly", "ill", "student"]


@pytest.mark.parametrize("opening,size,said,members", [
    # the answer wins over what was heard: "没有老人" after "俺爹八十四了"
    ("俺想申请低保", "三口人 俺爹八十四了", "没有老人 俺爹去年走了 就是俺媳妇有病", ["ill"]),
    # a child at school is at school; whether under 16 is left to the question
    ("俺想申请低保 孩子还念书", "仨", "都没有", ["student"]),
    ("俺想申请低保", "仨", "都没有", []),
])
def test_what_was_heard_never_overrides_the_answer(env, opening, size, said, members):
    assert sorted(_members_after(env, opening, size, said)[1]) == members


@pytest.mark.parametrize("said", ["老头瘫了 有证 一级的", "儿子脑瘫 一级", "老伴有残疾证 二级"])
def test_a_grade_told_with_the_members_is_not_asked_again(env, said):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "special_members", ALONE)
    run.say(said)
    assert run.slots["disability"] == "severe" and "disability" not in run.asked


@pytest.mark.parametrize("said", ["哎不对 是四口 还有俺婆婆", "嗯 不对 四口人", "哦对了 是四口人 刚才少说了俺婆婆",
                                  "刚才忘了说 还有俺婆婆 是四口"])
def test_the_last_answer_corrected_at_the_next_question(env, said):
    """She remembers her mother-in-law while the income is asked: the size is fixed and the income asked again."""
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "monthly_income", {**ALONE, "household_size": "三口人"})
    run.say(said)
    assert run.slots["household_size"] == 4 and run.requested == "monthly_income"


@pytest.mark.parametrize("started_by", ["是", "是的", "嗯呐", "/seek_help"])
def test_a_form_started_by_yes_reads_the_message_it_confirmed(env, started_by):
    """"您是想问…吗？" → "是": the story she told is in the message before it, not in the "是"."""
    from bot.forms.engine import FormTurn, Interview

    reply = Interview(PRESCREEN).step(FormTurn(sender="s1", text=started_by, slots={},
                                               earlier=["卧虎镇五星村的 俺老伴瘫炕上好几年了 俺俩都七十多了 能申请点啥不"]),
                                      env)
    assert reply.slots.get("members_heard") == ["elderly"] and reply.slots["place"]["name"] == "卧虎镇"
    assert reply.requested_slot == "household_size"


def test_a_yes_with_words_of_its_own_is_read_itself(env):
    from bot.forms.engine import FormTurn, Interview

    reply = Interview(PRESCREEN).step(FormTurn(sender="s1", text="是 俺想申请低保", slots={},
                                               earlier=["俺俩都七十多了"]), env)
    assert not reply.slots.get("members_heard")


@pytest.mark.parametrize("said, low, high", [("收入还得加上俺闺女每月给的二百", 500, 600),  # added to 三四百
                                             ("收入不对 是一千二", 1200, 1200)])  # replaced
def test_income_added_to_at_the_summary_is_added(env, said, low, high):
    run = Run(PRESCREEN, env, OPENING)
    _to(run, "prescreen_confirmed", {**ALONE, "special_members": "俺七十四了", "supporter": "没儿没女",
                                     "sudden_event": "没有", "assets": "啥也没有", "current_benefits": "没有"})
    run.say(said)
    assert run.slots["monthly_income"] == {"low": low, "high": high} and run.requested == "prescreen_confirmed"
