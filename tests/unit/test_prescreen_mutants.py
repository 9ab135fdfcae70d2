"""The pre-screen's answer readers (bot/forms/prescreen.py) on the answers where one word, one bound or one
guard decides what is taken: each case here is one a mutation of that word or bound used to get wrong
unnoticed (tests/tools/mutation.py). Answers are typed the way older rural residents type them."""
from __future__ import annotations

import pytest

from bot.forms.engine import UNKNOWN, FormTurn
from bot.forms.prescreen import (ASSET_CHOICES, DISABILITY, MEMBER_CHOICES, PRESCREEN, SUPPORTER, _clearly_well_off, _labels,
                                 _may_support, _prefill, household_of)
from tests.unit.test_summary_corrections import env  # noqa: F401  (the module-scoped form environment)


def answer(env, slot: str, text: str, **state):
    """What one answer to the question of `slot` is taken as, or ("error", first words of the re-ask)."""
    parsed = PRESCREEN.question(slot).parse(text, {**env, **state})
    return parsed.value if parsed.ok else ("error", parsed.error[:6])


def also(env, slot: str, text: str, **state) -> dict:
    parsed = PRESCREEN.question(slot).parse(text, {**env, **state})
    assert parsed.ok, parsed.error
    return parsed.also


# ------------------------------------------------------------------------------------ whose home it is

@pytest.mark.parametrize("slot,text,whose,state", [
    ("household_size", "他自己一个人", {"need_whose": "relative"}, {}),
    ("household_size", "她自个儿过", {"need_whose": "relative"}, {"need_whose": "self"}),
    ("household_size", "三口 我媳妇我 还有我妈", {"need_whose": "self"}, {}),
    ("household_size", "三口 我媳妇我 还有我妈", {}, {"need_whose": "relative"}),
    ("household_size", "就俺一个", {}, {"need_whose": "self"}),
    ("place", "东明镇吴家村 我爸在那住", {"need_whose": "relative"}, {}),
    ("place", "俺家在双山镇秀水村", {"need_whose": "self"}, {}),
    ("place", "俺家在双山镇秀水村", {}, {"need_whose": "relative"}),
])
def test_the_answer_shows_whose_home_it_is(env, slot, text, whose, state):
    got = also(env, slot, text, **state)
    assert {k: v for k, v in got.items() if k == "need_whose"} == whose


# ------------------------------------------------------------------------------------ when it happened

@pytest.mark.parametrize("text,when", [
    ("三十天前", "recent"), ("三十一天前", "earlier"),          # a month is the line
    ("有一个礼拜了", "recent"), ("五个礼拜前", "earlier"), ("四个星期以前", "recent"), ("五周前", "earlier"),
    ("一个月前", "recent"), ("一个多月了", "earlier"), ("一个半月了", "earlier"), ("半个月前", "recent"),
    ("俩月前", "earlier"), ("半年前", "earlier"), ("一年多了", "earlier"), ("十来天", "recent"),
    ("二十多天了", "recent"), ("二十九日前", "recent"), ("1个月前", "recent"), ("40天前", "earlier"),
])
def test_when_by_the_span_said(env, text, when):
    assert answer(env, "event_when", text) == when


# ------------------------------------------------------------------------------------ who is in the home

@pytest.mark.parametrize("text,members", [
    ("孙子才三岁", ["child"]), ("孙子十五了", ["child"]), ("俺今年六十", ["elderly"]), ("俺都七十三岁了", ["elderly"]),
    ("闺女十岁", ["child"]), ("俺老头六十五岁", ["elderly"]),
    ("他爸判刑进去了 她妈跑了 孙子跟俺过", ["unparented"]),
    ("爹妈离了 都走了 孩子跟俺", ["unparented"]),
])
def test_members_by_age_and_by_story(env, text, members):
    assert sorted(answer(env, "special_members", text)) == sorted(members)


@pytest.mark.parametrize("text", ["孙子十六了", "俺今年五十九", "儿子二十"])
def test_an_age_between_child_and_old_names_nobody(env, text):
    assert answer(env, "special_members", text)[0] == "error"


def test_parents_gone_without_a_child_named_is_not_an_orphan(env):
    assert answer(env, "special_members", "俺八十了 俺爹妈早没了") == ["elderly"]


# ------------------------------------------------------------------------------------ household shape

def test_household_of_reads_only_well_formed_slots():
    home = household_of({"household_size": True, "monthly_income": {"low": 800, "high": None},
                         "place": {"urban": "yes"}, "disability": "mild", "supporter": "nobody",
                         "sudden_event": "fire", "event_when": "recent", "assets": ["car", 3],
                         "special_members": "elderly", "current_benefits": None})
    assert home.size is None and home.income_low is None and home.income_high is None and home.urban is None
    assert home.disability_severe is False and home.supporter is None and home.members == set()
    assert home.event == "fire" and home.event_recent is True and home.assets == {"car"} and home.benefits == set()


def test_household_of_a_full_answer():
    home = household_of({"household_size": 2, "monthly_income": {"low": 700, "high": 800},
                         "place": {"urban": False}, "disability": "severe", "supporter": "refuses",
                         "sudden_event": "illness", "event_when": "earlier", "assets": [],
                         "special_members": ["elderly", "disabled"], "current_benefits": ["dibao"]})
    assert (home.size, home.income_low, home.income_high, home.urban) == (2, 700, 800, False)
    assert home.disability_severe is True and home.supporter == "refuses" and home.event == "illness"
    assert home.event_recent is False and home.assets == set() and home.benefits == {"dibao"}
    assert home.members == {"elderly", "disabled"}


@pytest.mark.parametrize("state,asked", [
    # the 特困 finding reads it: someone who cannot work, one or two at home, an income not above the standard
    ({"household_size": 1, "special_members": ["elderly"], "monthly_income": {"low": 300, "high": 300}}, True),
    ({"household_size": 2, "special_members": ["child"], "monthly_income": UNKNOWN}, True),
    ({"household_size": 2, "special_members": ["unparented"]}, True),
    ({"household_size": 2, "special_members": [], "disability": "severe"}, True),
    ({"household_size": UNKNOWN, "special_members": ["elderly"]}, True),
    ({"household_size": 2, "special_members": ["elderly"], "monthly_income": {"low": 1100, "high": 1100}}, True),
    # it cannot change: able to work, more than two, or an income above the standard (no place: 410–560 a head)
    ({"household_size": 2, "special_members": [], "disability": "mild"}, False),
    ({"household_size": 2, "special_members": ["disabled", "ill"]}, False),
    ({"household_size": 3, "special_members": ["elderly"], "monthly_income": {"low": 300, "high": 300}}, False),
    ({"household_size": 4, "special_members": ["child", "student"]}, False),
    ({"household_size": 2, "special_members": ["elderly"], "monthly_income": {"low": 1400, "high": 1400}}, False),
    ({"household_size": 2, "special_members": ["elderly"], "monthly_income": {"low": 5000, "high": 5000}}, False),
])
def test_who_is_asked_about_support(env, state, asked):
    assert _may_support({**env, **state}) is asked


@pytest.mark.parametrize("income,members,well_off", [
    (1680, [], True), (1679, [], False),                  # 1.5 times the urban standard (560) each, for two
    (5000, ["elderly"], False),
])
def test_a_clearly_well_off_home_skips_the_assets(env, income, members, well_off):
    state = {**env, "household_size": 2, "monthly_income": {"low": income, "high": income + 200},
             "special_members": members}
    assert _clearly_well_off(state) is well_off


def test_labels_show_the_answer():
    assert _labels(MEMBER_CHOICES, UNKNOWN) == "不清楚" and _labels(ASSET_CHOICES, []) == "都没有"
    assert _labels(SUPPORTER, "none") == "没有" and _labels(SUPPORTER, "poor") == "有，但他们自己也困难"
    assert _labels(DISABILITY, "none") == "还没办残疾证"  # the option's own words, not "都没有" (issue 9)
    assert _labels(MEMBER_CHOICES, ["elderly", "ill", "nobody"]) == "60岁以上老人、重病、大病病人"


# ------------------------------------------------------------------------------------ one word decides
# Each answer below is read right only because of one word in the option tables (a word dropped from the
# table leaves the answer unread or read as something else).

@pytest.mark.parametrize("text,taken", [
    ("俺们家的事", "self"), ("自家的", "self"), ("自已家", "self"), ("给朋友问的", "relative"), ("替老王头问问", "relative"),
    ("问俺婆婆的", "relative"), ("俺公公", "relative"), ("俺姥姥家", "relative"), ("俺姥爷", "relative"), ("俺老姨", "relative"),
    ("俺大姑", "relative"), ("俺三叔", "relative"), ("一个老人家", "relative"), ("屯里的五保户", "relative"), ("俺小妹", "relative"),
    ("俺老丈人", "relative"), ("儿子家的", "relative"), ("闺女家的事", "relative"), ("女儿家", "relative"), ("俺侄儿", "relative"),
    ("俺外甥", "relative"), ("给人问的", "relative"), ("俺的", "self"),
])
def test_whose_word(env, text, taken):
    assert answer(env, "need_whose", text) == taken


@pytest.mark.parametrize("text,taken", [
    ("俺俩都上岁数了", ["elderly"]), ("俺老头奔七了", ["elderly"]), ("俺奔八的人了", ["elderly"]), ("家里就一个老头", ["elderly"]),
    ("孩子小 离不开人", ["child"]),
    ("还有个吃奶的", ["child"]), ("有个婴儿", ["child"]), ("孙女上幼儿园", ["child"]), ("孙子念初中", ["child", "student"]),
    ("孙子上初一", ["child", "student"]),
    ("闺女初二", ["child", "student"]), ("小子初三", ["child", "student"]), ("闺女在外地念书", ["student"]), ("儿子在读书", ["student"]),
    ("闺女念中专", ["student"]),
    ("儿子上技校", ["student"]), ("闺女念职高", ["student"]), ("儿子念大专", ["student"]), ("儿子高一", ["student"]),
    ("闺女高二", ["student"]),
    ("小子高三了", ["student"]), ("大小子念高呢", ["student"]), ("闺女读高呢", ["student"]), ("老头耳朵聋", ["disabled"]),
    ("儿子是哑巴", ["disabled"]),
    ("俺眼睛瞎了", ["disabled"]), ("闺女智障", ["disabled"]), ("儿子有精神病", ["disabled"]), ("老头腿截肢了", ["disabled"]),
    ("俺腿脚不好", ["disabled"]),
    ("老头透析呢", ["ill"]), ("老伴化疗呢", ["ill"]), ("老头脑梗", ["ill"]), ("儿子尿毒症", ["ill"]), ("老太太卧床好几年了", ["ill"]),
    ("老头偏瘫", ["ill"]), ("老伴肝硬化", ["ill"]), ("长了个瘤子", ["ill"]), ("老头中风了", ["ill"]), ("老伴心梗", ["ill"]),
    ("俺有哮喘", ["ill"]), ("老头肺气肿", ["ill"]), ("儿子肺结核", ["ill"]), ("老头做过搭桥", ["ill"]), ("摔了 伤得重", ["ill"]),
    ("儿子伤得挺重", ["ill"]), ("儿子重伤", ["ill"]), ("老头脑溢血", ["ill"]), ("儿子失业了", ["jobless"]), ("儿子没工作", ["jobless"]),
    ("儿子下岗了", ["jobless"]), ("儿子找不着活", ["jobless"]), ("儿子没班上", ["jobless"]), ("儿子在家闲着", ["jobless"]),
    ("儿子打不着工", ["jobless"]),
    ("儿子找不着工作", ["jobless"]), ("儿子没找到工作", ["jobless"]), ("儿子啥活不干", ["jobless"]), ("儿子待业呢", ["jobless"]),
    ("孙子没爹", ["unparented"]),
    ("孙女没妈", ["unparented"]), ("没人管的孩子", ["unparented"]), ("孙子爹妈都没了", ["unparented"]), ("外孙父母双亡", ["unparented"]),
    ("留守的", ["unparented"]),
    ("他爸服刑呢", ["unparented"]), ("他爸蹲监狱了", ["unparented"]), ("孙子父母都不在", ["unparented"]), ("孙女爸妈都不在", ["unparented"]),
])
def test_members_word(env, text, taken):
    assert answer(env, "special_members", text) == taken


@pytest.mark.parametrize("text,taken", [
    ("残疾证1级", "severe"), ("2级", "severe"), ("一二级", "severe"), ("特重", "severe"), ("一极", "severe"),
    ("二极", "severe"), ("壹级", "severe"), ("贰级", "severe"), ("3级", "mild"), ("4级", "mild"),
    ("三四级", "mild"), ("轻度的", "mild"), ("中度的", "mild"), ("三极", "mild"), ("四极", "mild"),
    ("叁级", "mild"), ("肆级", "mild"), ("没证呢", "none"), ("没有证", "none"), ("没残疾证", "none"),
    ("没评", "none"), ("没鉴定", "none"), ("正在办", "none"), ("没整", "none"), ("没顾上", "none"),
    ("去鉴定过", "none"), ("评不上", "none"),
])
def test_disability_word(env, text, taken):
    assert answer(env, "disability", text) == taken


@pytest.mark.parametrize("text,taken", [
    ("儿子顾不上俺", "poor"), ("儿子养不起", "poor"), ("闺女自顾不暇", "poor"), ("儿子有心无力", "poor"), ("儿子自己都难", "poor"),
    ("闺女自己都困难", "poor"), ("儿子自己都顾不过来", "poor"), ("儿子自己都吃不上", "poor"), ("儿子也穷", "poor"), ("闺女也没钱", "poor"),
    ("儿子也遭灾了", "poor"), ("儿子日子紧", "poor"), ("闺女日子也紧", "poor"), ("儿子家紧巴", "poor"), ("闺女家不宽裕", "poor"),
    ("儿子没能耐", "poor"), ("儿子不问", "refuses"), ("儿子不搭理俺", "refuses"), ("闺女不理俺", "refuses"), ("儿子不给钱", "refuses"),
    ("儿子一分不给", "refuses"), ("跟儿子不来往", "refuses"), ("跟闺女断了联系", "refuses"), ("儿子不孝", "refuses"), ("儿子不上门", "refuses"),
    ("谁也不管", "refuses"), ("没子女", "none"), ("无儿无女", "none"), ("儿子去世了", "none"), ("没有别人", "none"),
    ("没别的亲人", "none"), ("闺女都困难", "poor"), ("他自己都挺难", "poor"), ("儿子也有病", "poor"), ("闺女也不容易", "poor"),
    ("儿子够呛", "poor"), ("闺女一身病", "poor"), ("儿子也是低保", "poor"), ("儿子下岗了", "poor"), ("想管 没那能力", "poor"),
    ("弟弟也八十了", "poor"), ("弟弟也六十了", "poor"), ("兄弟也老了", "poor"), ("儿子挣的不够花", "poor"), ("闺女没啥钱", "poor"),
    ("闺女也紧", "poor"), ("儿子养着俺", "able"), ("闺女挺孝顺", "able"), ("俩儿子一个月各给二百", "able"), ("儿子给俺钱", "able"),
    ("儿子联系不上", "refuses"), ("儿子不咋回来", "refuses"),
])
def test_supporter_word(env, text, taken):
    assert answer(env, "supporter", text) == taken


@pytest.mark.parametrize("text,taken", [
    ("火灾", "fire"), ("家里着活了", "fire"), ("全烧光了", "fire"), ("失的火", "fire"), ("发洪水", "disaster"),
    ("今年大旱", "disaster"), ("房顶让风刮跑了", "disaster"), ("地涝了", "disaster"), ("龙卷风", "disaster"), ("下暴雨", "disaster"),
    ("发水", "disaster"), ("出了意外", "accident"), ("工伤", "accident"), ("让牛顶伤了", "accident"), ("让狗咬伤了", "accident"),
    ("让马踢伤了", "accident"), ("手让机器绞了", "accident"), ("腿让车轧了", "accident"), ("烫伤了", "accident"), ("触电了", "accident"),
    ("骨折了", "accident"), ("从房上掉下来了", "accident"), ("开三轮掉沟里了", "accident"), ("车翻了", "accident"), ("老头脑梗了", "illness"),
    ("刚做完手术", "illness"), ("查出肾不好", "illness"), ("老伴心梗", "illness"), ("老头中风了", "illness"), ("儿子尿毒症", "illness"),
    ("急性的", "illness"), ("胰腺炎", "illness"), ("墙裂了", "house"), ("房倒屋塌", "house"), ("就是穷", "none"),
    ("老头慢性病", "none"), ("老毛病了", "none"), ("老样子", "none"), ("老头病一直没好", "none"), ("一直病着", "none"),
    ("一直治病", "none"), ("一直看病", "none"),
])
def test_event_word(env, text, taken):
    assert answer(env, "sudden_event", text) == taken


@pytest.mark.parametrize("text,taken", [
    ("上周", "recent"), ("这个月", "recent"), ("几天前", "recent"), ("这周", "recent"), ("上星期", "recent"),
    ("月初", "recent"), ("前几天", "recent"), ("今早", "recent"), ("前儿", "recent"), ("夜儿", "recent"),
    ("昨儿", "recent"), ("一个月内", "recent"), ("礼拜天", "recent"), ("星期天", "recent"), ("大前天", "recent"),
    ("几个月了", "earlier"), ("年前", "earlier"), ("老早了", "earlier"), ("开春", "earlier"), ("夏天", "earlier"),
    ("秋天", "earlier"), ("年初", "earlier"), ("头年", "earlier"),
])
def test_when_word(env, text, taken):
    assert answer(env, "event_when", text) == taken


@pytest.mark.parametrize("text,taken", [
    ("有个小车", ["car"]), ("私家车", ["car"]), ("货车", ["car"]), ("有个破捷达", ["car"]), ("别克", ["car"]),
    ("大众", ["car"]), ("比亚迪", ["car"]), ("桑塔纳", ["car"]), ("吉利", ["car"]), ("长安", ["car"]),
    ("两套", ["house"]), ("有个门市", ["house"]), ("商铺", ["house"]), ("门面", ["house"]), ("还有房", ["house"]),
    ("另一套", ["house"]), ("第二套", ["house"]), ("城里有房", ["house"]), ("县里有房", ["house"]), ("两处", ["house"]),
    ("另一处", ["house"]), ("空着呢", ["house"]), ("又买了", ["house"]), ("给闺女住", ["house"]), ("还有个平房", ["house"]),
    ("还有个老房", ["house"]), ("还有套房", ["house"]), ("还有个房", ["house"]), ("有点积蓄", ["savings"]), ("有个存折", ["savings"]),
    ("有个定期", ["savings"]), ("有个养殖场", ["business"]), ("做买卖", ["business"]), ("开个超市", ["business"]),
    ("有个养鸡场", ["business"]),
    ("养牛场", ["business"]), ("有个小卖铺", ["business"]), ("有个铺子", ["business"]), ("开个小吃部", ["business"]),
    ("开个饭馆", ["business"]),
    ("一处房", []), ("就一个房", []), ("就这一个房", []), ("有个拖拉机", []), ("有个电动车", []),
    ("有个摩托", []), ("有个电驴", []), ("就俩破房", []), ("一个房", []), ("一个楼", []),
    ("住老房", []), ("别的都没", []), ("别的也没", []), ("有个四轮车", []), ("有个摩托车", []),
    ("有个电三轮", []), ("车是四轮", []), ("车是三轮", []), ("车是拖拉机", []), ("就一个房子住", []),
])
def test_assets_word(env, text, taken):
    assert answer(env, "assets", text) == taken


@pytest.mark.parametrize("text,taken", [
    ("吃保", ["dibao"]), ("低宝", ["dibao"]), ("地保", ["dibao"]), ("底保", ["dibao"]), ("抵保", ["dibao"]),
    ("五宝", ["tekun"]), ("五包", ["tekun"]), ("低边", ["edge"]), ("边沿户", ["edge"]), ("低保边沿户", ["edge"]),
    ("啥也没享受", []), ("啥也没吃", []), ("没享受", []), ("没领", []), ("没吃过", []),
    ("啥待遇也没", []),
])
def test_benefits_word(env, text, taken):
    assert answer(env, "current_benefits", text) == taken


# A long-standing illness is not a sudden event, whatever else the answer then needs.
@pytest.mark.parametrize("text", ["老伴常年病", "老伴病常年不好", "老病了", "多年的病", "老头病好多年了", "老头病了好多年",
                                  "常年治病", "老头慢性病", "一直看病"])
def test_a_long_illness_is_not_a_sudden_illness(env, text):
    assert answer(env, "sudden_event", text) != "illness"


# What a resident lives in, or a vehicle that is no car, is not an asset to count.
@pytest.mark.parametrize("text,key", [
    ("车是拉粮的", "car"), ("有个电瓶车", "car"), ("开出租", "house"), ("拉出租", "house"), ("住的这个楼", "house"),
    ("住的这套房", "house"), ("住这一套", "house"), ("住这套楼", "house"), ("住这楼", "house"), ("住的土房", "house"),
    ("住的草房", "house"), ("住的瓦房", "house"), ("住的楼", "house"), ("老房子住着", "house"), ("就这一个老房子", "house"),
])
def test_a_home_lived_in_or_a_farm_vehicle_is_no_asset(env, text, key):
    taken = answer(env, "assets", text)
    assert not (isinstance(taken, list) and key in taken)


# Said before the question, kin who cannot or will not help is taken without asking.
@pytest.mark.parametrize("text,said", [
    ("闺女自己都困难", "poor"), ("儿子自己都难", "poor"), ("儿子自己都吃不上", "poor"), ("闺女日子也紧", "poor"),
    ("儿子顾不上俺们", "poor"), ("闺女也没钱", "poor"), ("儿子养不起", "poor"), ("儿子不搭理俺们", "refuses"),
    ("儿子不孝", "refuses"), ("闺女一分不给", "refuses"), ("跟儿子断了联系", "refuses"), ("儿子不上门", "refuses"),
])
def test_support_heard_before_the_question(env, text, said):
    assert PRESCREEN.question("supporter").heard(text, dict(env)) == said


# ------------------------------------------------------------------------------------ said before the question

@pytest.mark.parametrize("slot,text,said", [
    ("event_when", "上个月老伴脑出血", "earlier"), ("event_when", "前天家里着火了", "recent"),
    ("event_when", "老伴脑出血", None),                                # no time said
    ("event_when", "一年养牛种地能整个四五万 老伴脑出血", None),        # a span, not when it happened
    ("disability", "俺残疾证二级", "severe"), ("disability", "三级残疾", "mild"), ("disability", "俺是四级的残疾", "mild"),
    ("disability", "残疾", None),
    ("current_benefits", "俺是低保户", ["dibao"]), ("current_benefits", "低保一个月给三百多", ["dibao"]),
    ("current_benefits", "以前吃低保", None), ("current_benefits", "想申请低保", None),
    ("current_benefits", "能不能吃低保", None),
    ("household_size", "家里三口人", 3), ("household_size", "三口人吗", None), ("household_size", "俺老两口", None),
])
def test_answers_said_before_their_question(env, slot, text, said):
    assert PRESCREEN.question(slot).heard(text, dict(env)) == said


# ------------------------------------------------------------------------------------ income, summary, contact

@pytest.mark.parametrize("text,taken", [
    ("一个月七八百", {"low": 700, "high": 800}), ("没有 他啥也不干", {"low": 0, "high": 0}),
    ("收入俺也不清楚", UNKNOWN), ("不知道", UNKNOWN), ("八百吗", ("error", "没看明白收入")),
    ("啥", ("error", "没看明白收入")),
])
def test_income_answers(env, text, taken):
    assert answer(env, "monthly_income", text) == taken


@pytest.mark.parametrize("text,taken", [
    ("都对 就是电话还没说", "yes"), ("看了两遍 对的", "yes"), ("对", "yes"),
    ("不对", ("error", "哪一项不对？")), ("啥意思", ("error", "都对的话回复")),
])
def test_the_summary_confirmed(env, text, taken):
    assert answer(env, "prescreen_confirmed", text) == taken


@pytest.mark.parametrize("text,state,taken,name", [
    ("俺叫刘桂芝 139 4342 1234", {}, "13943421234", "刘桂芝"), ("139 4342 1234", {}, "13943421234", ""),
    ("不留", {}, "", ""), ("不方便", {}, "", ""), ("没手机", {}, "", ""),
    ("不知道", {"form_retries": 1}, "", ""),                          # asked once for someone else's already
])
def test_a_way_to_call_back(env, text, state, taken, name):
    assert answer(env, "contact_phone", text, **state) == taken
    assert also(env, "contact_phone", text, **state)["contact_name"] == name


@pytest.mark.parametrize("text", ["不知道", "俺没电话 你们打村部吧", "俺叫蔡军 俺没手机"])
def test_no_phone_of_their_own_asks_for_someone_elses(env, text):
    assert answer(env, "contact_phone", text) == ("error", "没有电话也不")


@pytest.mark.parametrize("text,taken,phone", [
    ("同意", "yes", None), ("不同意", "no", None), ("13943421234", "yes", "13943421234"),
    ("同意 13943421234", "yes", "13943421234"), ("不同意 13943421234", "no", None),
])
def test_consent_and_a_phone_sent_with_it(env, text, taken, phone):
    assert answer(env, "referral_consent", text) == taken
    assert also(env, "referral_consent", text).get("contact_phone") == phone


# ------------------------------------------------------------------------------------ the opening message

@pytest.mark.parametrize("text,found", [
    ("俺想申请低保", {"need_whose": "self"}),
    ("俺家三口人", {"household_size": 3, "need_whose": "self"}),
    ("俺一个人过", {"household_size": 1, "need_whose": "self"}),
    ("光棍一个", {"household_size": 1, "need_whose": "self"}),
    ("俺们老两口带个孙子", {"need_whose": "self", "members_heard": ["elderly"]}),  # kin in the speaker's own home
    ("俺一个人带俩孩子", {"need_whose": "self"}),                       # raising them alone: no size
    ("俺对象透析 家里就靠我一个人", {"need_whose": "self"}),            # carrying the home alone: no size
    ("就我一个人挣钱 日子过不下去了", {"need_whose": "self"}),
    ("家里四口人 孙子上学", {"household_size": 4, "members_heard": ["student"]}),  # kin named: whose is asked
    ("能帮他申请救助吗", {"need_whose": "relative"}),
    ("俺家隔壁有个老太太", {"need_whose": "relative"}),
    ("俺家前天晚上着火了", {"need_whose": "self", "sudden_event": "fire"}),
    ("前年出车祸", {"need_whose": "self"}),                              # long past: not a sudden event
    ("着火了吗", {"need_whose": "self"}),                                # a question, not an event
    ("老伴有病", {"need_whose": "self"}),                                # illness in passing
])
def test_what_the_opening_already_says(env, text, found):
    assert _prefill(FormTurn(sender="s1", text=text), dict(env)) == found


def test_the_opening_names_the_place(env):
    found = _prefill(FormTurn(sender="s1", text="俺是卧虎镇同乐村的 俺妈瘫了"), dict(env))
    assert found["place"]["code"] == "220382102" and found["place"]["place"] == "同乐村"
