"""Answers to the pre-screen's household questions as villagers give them (found in the second tuning set):
help from people who are poor themselves, a death told with the event, nothing new beside an old illness,
parents gone told as a story, the one flat they live in, support asked of every poor household."""
from __future__ import annotations

import pytest

from bot.forms.engine import FormTurn
from bot.forms.prescreen import PRESCREEN
from tests.evaluation.forms_env import form_env
from tests.unit.form_run import Run


@pytest.fixture(scope="module")
def env():
    return form_env()


def read(env, slot: str, text: str):
    parsed = PRESCREEN.question(slot).parse(text, dict(env))
    return parsed.value if parsed.ok else None


@pytest.mark.parametrize("text,value", [
    ("儿子在镇上住 能管点 他家也不富裕", "poor"),       # some help, from people who are poor themselves
    ("我们哥俩 都是打工的 能管点 也困难", "poor"),
    ("儿子在外打工 给点钱 但也不多 他也难", "poor"),
    ("儿子在大连打工 自己一家子也顾不过来", "poor"),
    ("俺们姐俩 都不富裕 能去照看 拿不出啥钱", "poor"),
    ("亲戚都在农村 没啥能耐", "poor"),
    ("俺就是她儿子 俺管 就是钱不够使", "poor"),
    ("没别人 就俺爷俩", "none"),
    ("俺就是她儿子 俺管着呢", "able"),
    ("俩儿子都不管 过年都不回来", "refuses"),
    ("儿子哪能管俺", "refuses"),                        # a question meaning no
    ("闺女哪顾得上俺 她自己俩孩子", "poor"),
    ("儿子在外地 哪有钱啊", "poor"),
    ("哪能不管呢 儿子常回来给钱", "able"),
    ("有个小子在沈阳打工 不咋管俺们 过年都不回来", "refuses"),  # 不咋管 is no question
    ("他妈改嫁了 一分钱不给 也不来看孩子", "refuses"),
    ("没啥亲戚能帮 都穷", "poor"),
])
def test_who_could_support_them(env, text, value):
    assert read(env, "supporter", text) == value


@pytest.mark.parametrize("text,value", [
    ("没有 支架是前年做的", "none"),                 # nothing new; an old illness is not a sudden event
    ("没有 他爸出事都两年了", "none"),
    ("没新事 病是前年得的", "none"),
    ("没啥新事 还是那样", "none"),
    ("俺弟开三轮出车祸没了 上个月二十号", "accident"),  # 没了 after the event is a death, not a no
    ("翻车 四轮子翻沟里了 上个月十五号", "accident"),
    ("发大水呗 七月份的事", "disaster"),
    ("没有", "none"),
    ("去年着的火 现在还没缓过来", "fire"),            # a past event said without a no is still the event
    ("苞米让风刮倒了", "disaster"),                    # the crop blown down, not the house fallen in
    ("冰雹把苞米打倒了一大片", "disaster"),
    ("西屋墙倒了", "house"),
])
def test_what_happened(env, text, value):
    assert read(env, "sudden_event", text) == value


@pytest.mark.parametrize("text,value", [("一个来月吧", "recent"), ("一个半月了", "earlier"), ("二十来天", "recent")])
def test_when_in_spans(env, text, value):
    assert read(env, "event_when", text) == value


@pytest.mark.parametrize("text,members", [
    ("俩老的都六十多 孙子九岁 上二年级 他爸妈离了 都走了 好几年没管过", ["elderly", "child", "student", "unparented"]),
    ("俺六十五了 孙子十二 念五年级 他爸没了 他妈也不管", ["elderly", "child", "student", "unparented"]),
    ("俺八十了 俺爹妈早没了", ["elderly"]),           # an old man's parents: no child, not an orphan
    ("他是大病 儿子二十四 毕业了一直没找着工作", ["ill", "jobless"]),
    ("俺俩都七十上下 儿子在家待着不干活", ["elderly", "jobless"]),
    ("老丈母娘七十了 俩孩子 大的十六上高中 小的十一 媳妇现在还在医院躺着 伤挺重",
     ["elderly", "child", "student", "ill"]),
])
def test_who_is_in_the_household(env, text, members):
    assert sorted(read(env, "special_members", text)) == sorted(members)


@pytest.mark.parametrize("text,assets", [("没有 就住这个楼", []), ("就一个修车摊子 算买卖不", ["business"]),
                                         ("有个面包车 拉货用的", ["car"]), ("有个二手车 他爸拉活用的", ["car"]),
                                         # the home they live in is no other house; one given to a son is
                                         ("有个楼 贷款买的 还在还", []), ("俺俩住平房 啥也没有", []),
                                         ("有个楼 给儿子住着 俺俩住平房", ["house"]), ("城里还有个楼 俺们住平房", ["house"]),
                                         # not theirs, or gone (the spent third blind set)
                                         ("没有 出租车是租人家的 不是俺家的", []), ("住的房子是租的 别的啥也没有", []),
                                         ("除了住的还有一套楼 给儿子留的 存款看病花没了", ["house"]),
                                         ("存款看病花没了", []), ("没有 就住的这套楼", []),
                                         # said of a car alone: borrowed, or wrecked
                                         ("车是借的", []), ("车是借的 城里还有套房", ["house"]),
                                         ("有个车 被撞没了", []), ("有个车 去年让水冲没了", [])])
def test_what_they_own(env, text, assets):
    assert read(env, "assets", text) == assets


def test_no_income_said_as_a_plain_no(env):
    assert read(env, "monthly_income", "没有 他啥也不干") == {"low": 0, "high": 0}
    assert read(env, "monthly_income", "没有多少 说不好") != {"low": 0, "high": 0}


ASKED = {"place": "卧虎镇五星村", "household_size": "俺和孙子俩", "special_members": "俺七十了 孙子六岁",
         "sudden_event": "没有", "assets": "没有", "current_benefits": "没有"}


@pytest.mark.parametrize("size,income,asked", [
    ("俺和孙子俩", "一个月六七百", True),             # 特困 turns on who else could keep them
    ("俺和孙子俩", "俩人退休金一个月六千", False),     # above the standard: 特困 is out whatever the answer
    ("四口人 儿子儿媳妇在家种地", "一个月一千来块", False),  # four at home: the rules never read it
])
def test_support_is_asked_only_where_it_decides_tekun(env, size, income, asked):
    run = Run(PRESCREEN, env, "俺想申请低保")
    answers = {**ASKED, "household_size": size, "monthly_income": income, "supporter": "俺爹妈岁数大了 帮不上"}
    for _ in range(12):
        if run.requested == "prescreen_confirmed":
            break
        run.say(answers[run.requested])
    assert ("supporter" in run.asked) is asked


def parse(env, slot: str, text: str, **state):
    return PRESCREEN.question(slot).parse(text, {**dict(env), **state})


def test_a_sudden_serious_illness_adds_an_ill_member(env):
    parsed = parse(env, "sudden_event", "就是老头脑出血 上个月二十几号犯的", special_members=["elderly", "disabled"])
    assert parsed.value == "illness" and parsed.also["special_members"] == ["elderly", "disabled", "ill"]
    assert "special_members" not in parse(env, "sudden_event", "老头脑出血", special_members=["ill"]).also
    assert "special_members" not in parse(env, "sudden_event", "前天着火了", special_members=["elderly"]).also


@pytest.mark.parametrize("slot,text,whose,shown", [
    ("household_size", "他自己一个人 我嫁到郑家屯了", "self", "relative"),  # the default guess gives way
    ("household_size", "她自己过 我们都在四平", None, "relative"),
    ("household_size", "三口 我媳妇我 还有我妈", None, "self"),           # never asked: the speaker counted in
    ("household_size", "他一个人挣钱 养活一家五口", "self", None),        # a third person, not alone
    ("household_size", "就俺自己", "relative", None),                     # an answer given is not overruled
    ("place", "东明镇吴家村 我爸在那住", "self", "relative"),
    ("place", "东明镇吴家村", "self", None),
    ("household_size", "两口 爷爷奶奶", "self", "relative"), ("household_size", "俩 我爸我妈", None, "relative"),
    ("household_size", "两口 我和老伴", None, "self"),
])
def test_whose_home_as_the_answers_show_it(env, slot, text, whose, shown):
    assert parse(env, slot, text, need_whose=whose).also.get("need_whose") == shown


@pytest.mark.parametrize("slot,text,value", [
    ("current_benefits", "好像都没有", []), ("current_benefits", "应该没有", []),   # a soft no is a no
    ("household_size", "就俺一个老太太", 1), ("household_size", "她和儿子俩", 2),
    ("monthly_income", "打零工 有活一天一百来块 没活一分没有 平均下来一个月四百来块吧", {"low": 400, "high": 449}),
    ("monthly_income", "往年种地一年能剩两万多 今年让雹子打了 一年下来能有一万二就不错了", {"low": 1000, "high": 1000}),
    ("monthly_income", "退休金 俺两千一 他两千六", {"low": 4700, "high": 4700}),
])
def test_readings_from_the_spent_third_blind_set(env, slot, text, value):
    assert read(env, slot, text) == value


@pytest.mark.parametrize("slot,text,value", [
    ("household_size", "仨 俺两口子和俺妈", 3), ("household_size", "俩 就俺和老伴儿", 2), ("household_size", "他俩", 2),
    ("household_size", "他俩 都七十多了", 2),  # once a crash: the pair had its own group
    ("household_size", "三口 啊不 四口 大儿子二十了也在家", 4),
    ("special_members", "就俺一个老太太", ["elderly"]), ("special_members", "老头八十 老头脑血栓 常年吃药", ["elderly", "ill"]),
    ("assets", "有台车 就是跑出租那台 房子就住的这一套", ["car"]), ("assets", "没有 撞的那车也不是俺家的", []),
    ("assets", "他们住楼 村里还有个老平房", ["house"]),
    ("monthly_income", "俺俩养老金一人一百五 地包出去一年给三千 就这点", {"low": 550, "high": 550}),
    ("monthly_income", "俩人养老金三百来块 种地一年三千 一个月就五百多", {"low": 500, "high": 549}),
    ("monthly_income", "俺养老金一百多 地租出去一年三千 还有低保 一个月三百来块", {"low": 650, "high": 748}),  # no sum
    ("special_members", "老头残疾 腿没了一条", ["disabled"]),  # her husband, of an age not said
])
def test_readings_from_the_spent_fourth_blind_set(env, slot, text, value):
    got = read(env, slot, text)
    assert (sorted(got) == sorted(value)) if isinstance(value, list) else got == value


@pytest.mark.parametrize("slot,text,value", [
    ("sudden_event", "下大雪 大棚压塌了 菜全冻了", "disaster"),  # snow broke a greenhouse: not a house fallen in
    ("current_benefits", "他是五保户 不对 五保还没整上 吃的是低保", ["dibao"]),  # changed her mind inside the answer
    ("current_benefits", "边缘户没评上 申请了没批 啥也没有", []),
    ("household_size", "娘俩 两口人", 2), ("household_size", "三口 不对 我弟去年结婚分出去了 就他俩", 2),
    ("monthly_income", "种地加养老金 一年下来八千 不对 九千六", {"low": 800, "high": 800}),  # the year carries over
    ("monthly_income", "俺俩退休金 一个四千一个三千五", {"low": 7500, "high": 7500}),
    ("monthly_income", "我5000 我媳妇3000 我妈没收入", {"low": 8000, "high": 8000}),  # one without is not all without
    ("supporter", "我和我弟都打工 我弟刚结婚 我家孩子也小 都拿不出多少", "poor"),
    ("supporter", "就我一个哥 我六十多了 自己也吃低保", "poor"),
    ("special_members", "儿子九岁 孤独症 在特教学校念书", ["child", "student", "disabled"]),
    ("assets", "有台小轿车 还开个粮食收购点", ["car", "business"]),
    ("special_members", "俺爹妈六十多 俺妈腿残疾 俩孩子都念书", ["elderly", "disabled", "child", "student"]),
    ("need_whose", "我自己家 我妈跟我们一起住", "self"), ("need_whose", "帮我妈问的 她自己住", "relative"),
    ("special_members", "俩孩子 大的念高中 小的念初中", ["child", "student"]),  # 初中 says it
    ("special_members", "孩子念大学呢", ["student"]), ("special_members", "孩子十七 还念书", ["student"]),
])
def test_readings_from_the_spent_fifth_blind_set(env, slot, text, value):
    got = read(env, slot, text)
    assert (sorted(got) == sorted(value)) if isinstance(value, list) else got == value


@pytest.mark.parametrize("text,name", [("俺姓马 叫老马就行 15504346218", "老马"),
                                       ("转吧 打我爸电话 叫他刘叔就行 15043401968", "刘叔")])
def test_the_name_to_call_them_by(env, text, name):
    assert PRESCREEN.question("contact_phone").parse(text, dict(env)).also["contact_name"] == name


def test_per_head_income_said_as_an_average_counts_everyone(env):
    parsed = PRESCREEN.question("monthly_income").parse("人均一个月也就四百", {**env, "household_size": 3})
    assert parsed.value == {"low": 1200, "high": 1200}


@pytest.mark.parametrize("text,when", [("都八十左右了 老伴儿尿毒症 一礼拜头析三回", None),  # how often, not when
                                       ("一个月住两回院 老伴肺癌", None), ("老伴上礼拜脑出血了", "recent")])
def test_how_often_is_not_when_it_happened(env, text, when):
    assert PRESCREEN.question("event_when").heard(text, dict(env)) == when


def test_a_supporter_on_benefits_is_not_the_household_on_benefits(env):
    assert "current_benefits" not in parse(env, "supporter", "就我一个哥 我六十多了 自己也吃低保").also


@pytest.mark.parametrize("slot,text,value", [
    ("monthly_income", "养牛一年能挣个十来万", {"low": 8333, "high": 12500}),  # 十来万 is about 100,000, not 十来
    ("monthly_income", "奶奶养老金一个月一百二 不对 今年涨了 是一百四", {"low": 140, "high": 140}),
    ("monthly_income", "他家一个月挣多少俺不知道", "unknown"),
    ("special_members", "老爷子七十了 大孩子八岁念二年级 小的四岁还没上学", ["elderly", "child", "student"]),
    ("special_members", "老娘七十 俩孩子 一个十四一个十 都念书", ["elderly", "child", "student"]),
    ("supporter", "就我一个儿子 我在大连干装修 自己租房子 孩子还上学 给不了多少", "poor"),
    ("supporter", "没谁能帮 都指着俺", "none"), ("supporter", "俺兄弟几个都挺好 真有事都能帮", "able"),
    ("assets", "她啥也没有 车是我的 不算她的", []), ("assets", "没 车 没 存款", []),
    ("current_benefits", "没听说有 应该没有", []), ("sudden_event", "好像没啥", "none"),
])
def test_readings_from_the_spent_sixth_blind_set(env, slot, text, value):
    got = read(env, slot, text)
    assert (sorted(got) == sorted(value)) if isinstance(value, list) else got == value


# The seventh blind households set (scored once at the start of stop 19, then read): what it found misread.
@pytest.mark.parametrize("slot,text,value", [
    # everyone named, the couple among them; kin counted as a group; who lives elsewhere; an earner is no count
    ("household_size", "俺老两口 儿媳妇 俩孙子", 5), ("household_size", "俺两口子俩孩子还有俺老娘", 5),
    ("household_size", "俺两口子俩孩子", 4), ("household_size", "俺两口子 孩子 还有俺老丈母娘 一起吃一起住", 4),
    ("household_size", "爷俩 老高头和他儿子", 2), ("household_size", "娘仨 她带俩孩子", 3),
    ("household_size", "俺老两口带着孙子 儿子媳妇在外头打工不在家住", 3),
    ("household_size", "我一个人挣钱养仨人", 3),
    # 万把; a day's pay for the days worked; a season's pay over the year; the earner and the figure apart;
    # a total covers what came before it; the same money said again in another period
    ("monthly_income", "种地一年卖粮刨去化肥种子剩个万把块 儿媳妇在镇上饭店刷碗 一个月一千八", {"around": 2633}),
    ("monthly_income", "俺打零工一天一百五 一个月也就干十来天 地一年能剩个七八千", {"around": 2170}),
    ("monthly_income", "俺打零工一天一百 一个月干半个月 地一年剩个六千", {"around": 2000}),
    ("monthly_income", "种地一年剩一万五 冬天出去打工干仨月 一个月四千", {"around": 2250}),
    ("monthly_income", "俺给人开大车 一个月四千多点 媳妇在超市 一千八", {"around": 6000}),
    ("monthly_income", "俩人养老金一共三百 地租一年五千", {"around": 717}),
    ("monthly_income", "就那几亩地 一年也就两千多块 一个月二百来块吧", {"around": 200}),
    ("monthly_income", "打工一个月四千", {"around": 4000}),        # a monthly wage, not one month a year
    # a stroke as the cause of a disability; chronic is not serious; senses lost
    ("special_members", "我爸七十一我妈六十八 我妈脑梗以后半身不遂", ["elderly", "disabled"]),
    ("special_members", "我爹七十七了 血压高 老毛病", ["elderly"]),
    ("special_members", "媳妇耳朵听不着 孩子三岁 丈母娘六十一", ["disabled", "child", "elderly"]),
    ("special_members", "我妈六十七 眼睛基本看不着了", ["elderly", "disabled"]),
    ("special_members", "婆婆七十多 糖尿病并发症眼睛都快看不见了", ["elderly", "ill"]),  # not yet (tuning t10)
    # not theirs: said in a clause of its own, or of someone else; "应该没有"; a statement with 多少
    ("assets", "那出租车是儿子跟人家合伙租的 不是俺家的 别的没有", []),
    ("assets", "俺啥也没有 儿子有车有楼那是他的", []), ("assets", "没有 肇事那边也没赔多少", []),
    ("assets", "这个应该没有", []), ("assets", "有个车 还有套房子往外租着 饺子馆是我开的", ["car", "house", "business"]),
    ("current_benefits", "好像啥也没有 没听她说有五保", []), ("disability", "还没去办证", "none"),
    ("supporter", "俺哥有条件 就是不管 俺想管 俺家也困难", "refuses"),
])
def test_readings_from_the_spent_seventh_blind_set(env, slot, text, value):
    got = read(env, slot, text)
    if isinstance(value, dict):
        assert got is not None and got["low"] - 10 <= value["around"] <= got["high"] + 10, got
    else:
        assert (sorted(got) == sorted(value)) if isinstance(value, list) else got == value


# The eighth blind households set (scored once mid stop 19, then read).
@pytest.mark.parametrize("slot,text,value", [
    ("current_benefits", "吃着低包呢", ["dibao"]),                                   # 低包 typed by sound
    ("supporter", "我和我哥都在外地 钱能给 就是人回不去照顾", "able"),             # far away, sending money
    ("supporter", "儿子上南方了 一分钱不往家拿", "refuses"),
    ("special_members", "六十八了 腿瘸 走道一拐一拐的", ["elderly", "disabled"]),
    ("special_members", "俺俩都六十多了 儿子脑子有病 三十八了", ["elderly", "disabled"]),  # a mind ill: disabled
    ("special_members", "俺七十四 老伴七十二 脑梗 起不来炕", ["elderly", "disabled", "ill"]),
    ("special_members", "俺娘八十三了 下不了炕", ["elderly"]),  # frail, not said disabled (households7 f37)
    ("special_members", "俺六十二 她六十 脑出血 半拉身子不会动", ["elderly", "disabled", "ill"]),
    ("assets", "她哪有啥", []), ("assets", "存款哪有 啥也没有", []), ("assets", "车不算 那是个农用三轮子", []),
    ("sudden_event", "去年冬天在院里滑倒了 胯骨摔坏了", "accident"),             # 倒了 is the person, not the house
    ("sudden_event", "透析好几年了 不算急事 就是钱跟不上", "none"),
    ("household_size", "俩口子", 2),
    ("monthly_income", "工地干了一季 仨月挣一万二 冬天没活干", {"around": 1000}),   # a season's pay over the year
    ("monthly_income", "俺俩打零工 一天一人一百 一年也就干半年", {"around": 3000}),
    ("monthly_income", "种地一年下来三万来块 儿子冬天出去干仨月 挣个九千 别的没了", {"around": 3250}),
    ("monthly_income", "我妈养老金一百多 我哥残疾补贴 还有低保 加一块千把块吧", {"around": 1000}),  # 加一块: a total
    ("monthly_income", "种地一年七八千 俺俩养老金加一块二百多", {"around": 850}),  # …of its own source only
])
def test_readings_from_the_spent_eighth_blind_set(env, slot, text, value):
    test_readings_from_the_spent_seventh_blind_set(env, slot, text, value)


def test_an_illness_that_ended_in_a_death_adds_no_ill_member(env):
    assert "special_members" not in parse(env, "sudden_event", "男的去年秋天得病没了", special_members=["child"]).also
    assert "special_members" not in parse(env, "sudden_event", "他爸脑出血 上个月走的", special_members=["child"]).also


@pytest.mark.parametrize("earlier,whose", [
    (["我替我妹妹问 她精神残疾 有证 一个人过", "算了"], None),   # said just before: whose home is asked
    (["帮我爸问问 他七十了能领啥补贴不"], None),
    (["俺们隔壁老太太 八十多了 儿子天天喝酒不管她 能有人管管不", "算了"], None),  # households8 f33
    (["低保一个月给多少钱"], "self"),                             # nothing about anyone else before
    ([], "self"),
])
def test_someone_else_said_just_before_the_pre_screen_is_not_forgotten(env, earlier, whose):
    """Blind sets 5 and 6: "我替我妹妹问…" went to a report or a policy answer; "我想申请救助" after it was
    taken as the speaker's own home."""
    turn = FormTurn(sender="s1", text="我想申请救助", earlier=earlier)
    assert PRESCREEN.prefill(turn, dict(env)).get("need_whose") == whose


@pytest.mark.parametrize("opening", ["我是宏伟村支书 俺村张老三二十来天前让大车给撞了 腿折了",
                                     "俺们屯老孟家昨天晚上着火了 房子烧没了 现在住俺家 咋整"])
def test_a_cadre_or_a_neighbour_family_is_someone_else(env, opening):
    assert PRESCREEN.prefill(FormTurn(sender="s1", text=opening), dict(env)).get("need_whose") == "relative"


# ---------------------------------------------- the ninth blind households set, read after it was scored once (stop 20)
@pytest.mark.parametrize("slot,text,value", [
    ("household_size", "俺跟老伴俩 俺六十三她六十一", 2),                         # ages in a part of their own
    ("sudden_event", "这阵子倒没啥", "none"),                                     # 这阵子 倒 没啥
    ("sudden_event", "最近倒没啥", "none"),
    ("sudden_event", "他骑摩托让个小轿车给刮了 腿骨折了 那家还没赔钱", "accident"),  # a car, not the wind
    ("event_when", "就上个礼拜", "recent"),
    ("event_when", "前些天", "recent"),
    ("assets", "他说啥也没有 就一间小房", []),                                    # 他说: what he told the writer
    ("assets", "两间土房 别的没有", []),
    ("special_members", "俺眼睛不好 有残急证 四十五了没个正经活干 谁也不要俺", ["disabled", "jobless"]),
    ("special_members", "老太太七十四了 孙子十二 在念六年级 孩子爸妈前几年一块出事没的",
     ["elderly", "child", "student", "unparented"]),
    ("special_members", "两个老人 一个七十二一个六十九 我爸帕金森 手抖得厉害", ["elderly", "ill"]),
    ("special_members", "老叔六十四了 前些年截了一条腿", ["elderly", "disabled"]),   # long ago, and still so
    ("special_members", "媳妇红斑狼疮 一直吃激素 儿子十一念五年级 我没活干", ["ill", "child", "student", "jobless"]),
    ("current_benefits", "地保去年就给停了 现在啥也没有", []),                      # 去年就给停了: stopped
    ("current_benefits", "俺那低保咋说停就停了 也没人跟俺说一声", []),
    ("monthly_income", "现在啥也没有", {"low": 0, "high": 0}),                    # no income at all
    ("supporter", "孩子她爸离了 一分钱抚养费都不给", "refuses"),
    ("supporter", "就我妈 我妈在外头打工 自己也挺紧", "poor"),
])
def test_the_ninth_sets_answers(env, slot, text, value):
    got = read(env, slot, text)
    assert (sorted(got) if isinstance(got, list) else got) == (sorted(value) if isinstance(value, list) else value)


@pytest.mark.parametrize("slot,text", [
    ("special_members", "孩子上学有补助不 念高中那个"),              # a policy question, not "student"
    ("sudden_event", "俺家去年报的那个临时救助咋一直没信儿呢"),      # a status question, not "none"
])
def test_a_question_mid_form_is_no_answer(env, slot, text):
    assert read(env, slot, text) is None


def test_a_correction_naming_a_part_of_the_summary_is_not_about_money(env):
    """"残疾那块不对": 那块 is "that part", not yuan; the member is added and the grade asked."""
    run = Run(PRESCREEN, env, "俺想申请低保")
    run.say("帮俺老叔问", "卧虎镇孤店村", "他自己一个 没成过家", "一个月三百来块", "老叔六十四了", "他没儿没女", "没有", "没有", "没有")
    assert run.requested == "prescreen_confirmed"
    said = run.say("残疾那块不对 俺刚看了他那证 是二级")
    assert run.slots["special_members"] == ["elderly", "disabled"] and run.slots["monthly_income"]["low"] == 300
    assert run.requested == "disability" and "几级" in said


# ---------------------------------------------- the tenth blind households set, read after it was scored once (stop 21)
@pytest.mark.parametrize("slot,text,value", [
    ("special_members", "我自己是残疾人 也能干点轻活 就是没人要", ["disabled", "jobless"]),  # nobody hires him
    ("special_members", "闺女念高二 我是想干活找不着正经活", ["student", "jobless"]),
    ("special_members", "俩人都七十多 老太太老年痴呆 常年吃药", ["elderly", "ill"]),          # dementia
    ("special_members", "就刚生的这个孩子", ["child"]),                                      # a newborn
    ("need_whose", "帮我班上一个学生家问的", "relative"),                                    # a teacher
    ("sudden_event", "她爸前年出车祸没的", "accident"),                                     # 没的: he died
    ("sudden_event", "没听说有啥事", "none"),                                              # a neighbour heard of none
    ("event_when", "上个月底", "recent"),
    ("event_when", "这个我不太清楚 我也是刚听说", "unknown"),                                # 刚: when she heard
    ("event_when", "具体哪天记不清了 反正是上个礼拜", "recent"),                             # unsure of the day only
    ("event_when", "不清楚 大概俩月前", "earlier"),
    ("monthly_income", "打零工 一天一百二 一个月能干十天左右 房租还得五百", {"low": 1200, "high": 1200}),  # rent paid
    ("monthly_income", "就我那三千 老丈人一个月有一百五的养老金", {"low": 3150, "high": 3150}),
])
def test_the_tenth_sets_answers(env, slot, text, value):
    got = read(env, slot, text)
    assert (sorted(got) if isinstance(got, list) else got) == (sorted(value) if isinstance(value, list) else value)


def test_the_opening_of_a_carer_is_no_household_of_one(env):
    """"家里就俺妈一个人照应": mum looks after dad alone; the household is two, asked, not taken as one."""
    run = Run(PRESCREEN, env, "俺爸前些天脑出血住院了 家里就俺妈一个人照应 想问问能申请点啥补助不")
    assert run.slots.get("household_size") is None


def test_a_teacher_or_a_hospital_asks_for_someone_else(env):
    for opening in ("老师能替学生家里申请救助吗 我班上有个孩子家里特别困难", "您好 医院这边有个白血病的孩子 家里拿不出钱"):
        assert Run(PRESCREEN, env, opening).slots.get("need_whose") == "relative"


@pytest.mark.parametrize("slot,text,value", [
    # misread until stop 21 (found by the helper who wrote test_prescreen_words.py)
    ("supporter", "闺女时不时给点", "able"), ("supporter", "儿子不时给点钱", "able"),   # now and then, not "not"
    ("supporter", "儿子多少给点", "able"),                                            # 多少 as "some", no question
    ("event_when", "三十多天了", "earlier"), ("event_when", "三十多天前", "earlier"),  # past thirty days
    ("event_when", "二十多天了", "recent"),
    ("monthly_income", "我俩上班一个月六七千 还有个房租一个月八百", {"low": 6800, "high": 7800}),  # rent received
])
def test_answers_misread_until_stop_21(env, slot, text, value):
    assert read(env, slot, text) == value


def test_a_car_said_to_be_mine_is_the_households_only_when_asking_for_oneself(env):
    assert parse(env, "assets", "别的没有 车是俺的", need_whose="self").value == ["car"]
    assert parse(env, "assets", "他家啥也没有 车是我的", need_whose="relative").value == []


# The eleventh blind households set (scored once in stop 22, then read): what it found misread.
@pytest.mark.parametrize("slot,text,value", [
    # a grown-up's age with no 岁 ("俺妈78了", "俺63 老伴60"); "都小" children; a pupil beside a grandparent's age
    ("special_members", "我妈72了", ["elderly"]), ("special_members", "俺63 老伴60", ["elderly"]),
    ("special_members", "男的61了 脑出血以后瘫炕上了 算残疾也算重病", ["elderly", "disabled", "ill"]),
    ("special_members", "俩孩子都小 大的上学呢", ["child", "student"]),
    ("special_members", "俺俩都七十了 俩孙子都上学 他爸没了 他妈改嫁走了 不管孩子",
     ["elderly", "child", "student", "unparented"]),
    ("special_members", "俺64了 孙女13上初一 她爸妈都在外地 不管她", ["elderly", "child", "student", "unparented"]),
    # run-on voice input: another person named starts another statement ("一直不好" denies nothing of the son)
    ("special_members", "老头子脑梗好几年了常年吃药一直不好儿子腿脚残疾我俩都六十多了", ["elderly", "disabled", "ill"]),
    ("special_members", "我二婚 俩孩子", None), ("special_members", "俺家三十亩地", None),  # no ages in these
    ("household_size", "俺和孙女 两口", 2), ("household_size", "俺和老伴 两口子", 2),  # who, then how many
    ("sudden_event", "最近没有 就是媳妇这病拖着", "none"), ("sudden_event", "最近倒没有啥新事就是老病", "none"),
    ("event_when", "记不清了 反正是今年的事", "unknown"),
    ("current_benefits", "好像是低保边缘 我也说不准", "unknown"), ("current_benefits", "好像是边缘户", ["edge"]),
    ("monthly_income", "一个月光药钱就得七八百 收入的话就老伴打零工 一天八十 一个月能干十来天",
     {"low": 800, "high": 1120}),
    ("monthly_income", "老头子有个退休金一千八儿子在超市给人家看门一个月一千我自己没有收入就这些", {"low": 2800, "high": 2800}),
    ("monthly_income", "夏天在工地上一个月能挣三千 干四个月 冬天没活", {"low": 1000, "high": 1000}),
    ("monthly_income", "光孩子上学一个月就得五六百 俺爹吃药又三百 收入就俺秋天在粮库打零工 那俩月一个月三千 平时没活 "
                       "俺爹养老金一百五", {"low": 650, "high": 650}),
    ("monthly_income", "他在外面打零工 不固定 有活一个月四五千 没活就没有 一年下来估计两万来块", {"low": 1667, "high": 2083}),
    ("referral_consent", "转过去要花钱不 不花钱就转", "yes"), ("referral_consent", "不花钱吧 不花钱那就转", "yes"),
    ("referral_consent", "转过去要花钱不", None),  # asked, and told it costs nothing; the question stays
])
def test_readings_from_the_spent_eleventh_households_set(env, slot, text, value):
    got = read(env, slot, text)
    assert (sorted(got) == sorted(value)) if isinstance(value, list) and isinstance(got, list) else got == value


@pytest.mark.parametrize("typed, answer", [("来电人同意转过去", "同意转过去"), ("来电人说最近没啥事", "最近没啥事"),
                                           ("老人说没有", "没有"), ("他不管", "他不管"), ("兒子4歲", "儿子4岁")])
def test_the_form_reads_the_residents_words_in_simplified_characters_without_who_typed_them(typed, answer):
    from bot.forms.engine import FormTurn
    assert FormTurn(text=typed).text == answer


@pytest.mark.parametrize("text, members", [("没有孩子上学", []), ("没孩子念书 就俺老两口", ["elderly"]),
                                           ("家里没有孩子上学 俺俩七十了", ["elderly"])])
def test_a_person_denied_is_not_a_new_statement(env, text, members):
    """The run-on reset (another person named starts another statement) is not for the person a negation names."""
    assert sorted(read(env, "special_members", text)) == sorted(members)


# The twelfth blind households set (scored once in stop 23, then read): consent with a question or a condition
# first, or run on; a yes with a wish; land rent by the mu; supporters who give a little and are poor themselves
@pytest.mark.parametrize("slot,text,value", [
    ("referral_consent", "要是能帮着申请大病救助 那就转吧", "yes"), ("referral_consent", "行转吧越快越好房子顶不了几天", "yes"),
    ("referral_consent", "俺这条件能够上不？够不上也转过去让他们看看吧", "yes"),
    ("referral_consent", "转过去会查我家店的账不？查就查吧 转吧", "yes"), ("referral_consent", "同意 顺便问问残疾证咋办", "yes"),
    ("referral_consent", "转过去看看吧", "yes"), ("referral_consent", "转过去不会把低保给停了吧？那行 转吧", "yes"),
    ("referral_consent", "同意转办，联系电话即来电号码。", "yes"), ("referral_consent", "转不转呢 不转了", "no"),
    ("referral_consent", "好的 不过得先问问儿子", None), ("referral_consent", "先别转吧", "no"),
    ("monthly_income", "地包出去了 一亩八百 六亩 养老金一百四", {"low": 540, "high": 540}),
    ("monthly_income", "八亩地包出去了 一亩七百 一年就这些", {"low": 467, "high": 467}),
    ("monthly_income", "三五百 看车库", {"low": 300, "high": 500}),
    ("monthly_income", "店里一天流水1000多 那不算挣的 刨去进货 一个月也就挣个4000到5000", {"low": 4000, "high": 5000}),
    ("monthly_income", "种地一年三万来块开春到秋俺给人扎钢筋一天一百八能干一百来天", {"low": 4000, "high": 4567}),
    ("monthly_income", "我对象打工一天二百一个月能干二十天我在饭店后厨一个月两千老公公老婆婆一人一百五养老金",
     {"low": 6300, "high": 6300}),
    ("monthly_income", "她吃五保 一个月给多少钱我不知道 别的没收入", "unknown"),
    ("monthly_income", "无其他收入，女儿每月给三百元生活费。", {"low": 300, "high": 300}),
    ("supporter", "有个姑姑偶尔给点钱，不过她家也不富裕", "poor"), ("supporter", "侄子给点粮 他也不富", "poor"),
    ("supporter", "我和我姐都在外地打工，房租房贷压着，也就过年能给点", "poor"),
    ("sudden_event", "最近倒没有什么新情况", "none"), ("sudden_event", "急事倒没有 病是老病了 两年了", "none"),
    ("sudden_event", "急事没有 手术是去年十月做的 现在就是养着", "none"), ("sudden_event", "前天又吐血了，送医院了", "illness"),
    ("event_when", "这说不准 一开春就没下几场雨 一直旱到现在", "unknown"), ("event_when", "不清楚 大概俩月前", "earlier"),
    ("disability", "尚未办理残疾证。", "none"),
    ("current_benefits", "目前未享受低保、特困等待遇。", []), ("current_benefits", "好像没吃低保吧，这个我真说不准", "unknown"),
    ("current_benefits", "没有 这不想申请嘛", []), ("need_whose", "帮我同学问的", "relative"),
    ("special_members", "俺六十八 老伴六十二 精神不好 有证", ["elderly", "disabled"]),
])
def test_readings_from_the_spent_twelfth_households_set(env, slot, text, value):
    got = read(env, slot, text)
    assert (sorted(got) == sorted(value)) if isinstance(value, list) and isinstance(got, list) else got == value


def test_a_member_living_elsewhere_is_not_heard_as_the_households():
    from bot.forms.prescreen import _members_said
    assert _members_said("就我一个 儿子在外地念大学 不在家", {}) == []
    assert _members_said("俺和老伴 孙子念初中", {}) == ["student"]
