"""The pre-screen: about eight questions in the order an intake worker asks them, then a summary to
confirm, the screening result, consent, and contact details for the referral."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from bot.forms.choices import Choices, Option
from bot.forms.engine import PAUSED_RUN, RETRIES, UNKNOWN, Form, FormTurn, Parsed, Question, State, summary
from bot.forms.places import UNCLEAR_PLACE, ask_place, parse_place, prefill_place, show_place
from bot.forms.results import screening_messages
from bot.replies.service import FOR_SOMEONE_ELSE
from bot.screening.household import ASSETS, BENEFITS, EVENTS, MEMBERS, Household
from bot.screening.rules import Standard, income_level, screen
from bot.text.amounts import parse_monthly_income
from bot.text.answers import after_correction, clauses, is_unknown, says_unknown, yes_no
from bot.text.contact import parse_mobile, parse_person_name
from bot.text.counts import APART, parse_people_count
from bot.text.dates import days_since
from bot.text.normalize import fold
from bot.text.numbers import chinese_small_int
from bot.text.questions import asks

WHOSE = Choices((Option("self", "我自己家", ("我家", "俺家", "自己", "自个", "本人", "咱家", "我们家", "俺们家", "自家", "自已", "俺自", "我自")),
                 Option("relative", "帮亲戚、朋友、邻居问", (
                     "亲戚", "朋友", "邻居", "隔壁", "对门", "别人", "帮", "替", "给我妈", "给我爸", "给俺妈", "给俺爹", "给俺爸", "父母",
                     "爹", "娘", "婆婆", "公公", "爷爷", "奶奶", "姥姥", "姥爷", "舅", "姨", "姑", "叔", "大爷", "大娘",
                     "老人家", "村里", "屯里", "他家", "她家", "网格", "姐", "哥", "兄弟", "妹", "弟", "丈人", "丈母", "儿子家",
                     "闺女家", "女儿家", "侄", "外甥", "孙", "帮人", "给人", "替人", "妈", "爸", "老婆婆",
                     "学生", "班上", "病人", "家属", "社工", "患者", "我们屯", "俺们屯", "咱屯", "我们村", "俺们村",
                     "咱村", "同学", "老乡", "同事", "工友", "战友")),  # a teacher, a hospital
                 ), decoys=("帮我", "帮俺", "帮帮", "帮忙看", "帮着看", "她自己", "他自己"))
MEMBER_CHOICES = Choices(tuple(Option(k, v, w) for (k, v), w in zip(MEMBERS.items(), (
    ("老人", "岁数大", "上岁数", "六十", "七十", "八十", "九十", "奔七", "奔八", "老两口", "俩老", "老的", "一个老太太",
     "一个老头", "孤老"),
    ("小孩", "孩子小", "都小", "还小", "娃", "吃奶", "婴儿", "幼儿园", "小学", "初中", "初一", "初二", "初三", "年级", "刚生", "刚出生",
     "新生儿", "满月"),
    ("上学", "学生", "念书", "读书", "上大学", "高中", "初中", "小学", "中专", "大学", "技校", "职高", "大专", "高一",
     "高二", "高三", "初一", "初二", "初三", "年级", "念高", "读高"),
    ("残疾", "残废", "瘫", "残", "聋", "哑", "瞎", "傻", "智障", "精神病", "截肢", "腿脚不好", "孤独症", "自闭症", "特教", "特殊教育", "智力",
     "半身不遂", "听不着", "听不见", "看不着", "看不见", "失明", "瘸", "一拐一拐", "腿不行", "腿脚不行", "起不来炕", "半拉身子", "脑子有病", "精神上有毛病", "精神有毛病", "精神上有病", "脑子不好使",
     "截了", "截掉", "锯了", "少条腿", "少一条腿", "少个胳膊"),
    ("病", "癌", "住院", "透析", "化疗", "脑梗", "脑出血", "心脏", "尿毒症", "白血病", "卧床", "偏瘫", "肝硬化", "瘤",
     "中风", "心梗", "哮喘", "肺气肿", "结核", "支架", "搭桥", "医院躺", "伤挺重", "伤得重", "伤得挺重", "重伤", "血栓",
     "脑溢血", "帕金森", "狼疮", "渐冻", "痴呆"),
    ("失业", "没活", "没工作", "下岗", "找不着活", "没班上", "在家闲着", "打不着工", "没找着", "找不着工作", "没找到工作",
     "不干活", "啥活不干", "啥也不干", "待业", "没个正经活", "没正经活", "没个活", "没固定活", "没个固定活",
     "找不着正经活", "找不到正经活", "找不到活", "没人要", "没人雇", "想干活"),
    ("孤儿", "没爹", "没妈", "没父母", "没人管的孩子", "爹妈都没了", "父母双亡", "留守", "判刑", "坐牢", "服刑",
     "蹲监狱", "改嫁", "爹妈都不在", "父母都不在", "爸妈都不在", "都不在身边")))),
    multiple=True, none_option=True, per_person=True, lasting=("disabled",),  # "前些年截了一条腿" still is
    # an illness of long standing is no serious illness ("血压高 老毛病"); a stroke said as the cause of what
    # is left ("脑梗以后半身不遂") is the disability, not an illness now
    decoys=("老毛病", "慢性病", "血压高", "高血压", "小病", "脑梗以后", "脑梗之后", "脑梗后", "中风以后", "中风之后", "中风后",
            "脑出血以后", "脑出血后", "脑血栓以后", "血栓以后",
            "快看不见", "快看不着", "快听不见", "快听不着", "病好了", "病治好了", "病好利索"))  # 眼睛都快看不见了: not yet
DISABILITY = Choices((Option("severe", "一级或二级", ("一级", "二级", "1级", "2级", "一二级", "重度", "特重", "一极", "二极",
                                                    "壹级", "贰级")),
                      Option("mild", "三级或四级", ("三级", "四级", "3级", "4级", "三四级", "轻度", "中度", "三极", "四极", "叁级",
                                                  "肆级")),
                      Option("none", "还没办残疾证", ("没证", "没办", "没有证", "没残疾证", "还没办", "没评", "没鉴定", "没下来",
                                                   "正在办", "够不上", "没整", "没顾上", "还没有", "去鉴定", "评不上", "没去办", "没办证", "尚未办", "未办",
                                                   "没有办理"))))
# Words that say kin cannot or will not support, plain enough to be taken when said before the question
# (`_heard_supporter`); the answer to the question itself also takes the looser words after them.
CANNOT_SUPPORT = ("顾不上", "顾不过来", "管不了", "养不起", "帮不上", "自顾不暇", "有心无力", "自己都难", "自己都困难",
                  "自己都顾不过来", "自己都吃不上", "也困难", "也难", "也穷", "也没钱", "也遭灾", "日子紧", "日子也紧", "紧巴",
                  "不富裕", "不宽裕", "拿不出", "没能耐", "没啥能耐", "给不了", "帮不了")
WILL_NOT_SUPPORT = ("不往家拿", "不往家寄", "不往家给", "不管", "不养", "不问", "不搭理", "不理", "不给钱", "一分不给", "一分钱不给", "不来看", "改嫁", "不来往", "断了联系", "不孝", "不咋管",
                    "不上门", "谁也不管", "都不管", "都不给", "不寄钱", "不往回寄", "媳妇不让", "老婆不让", "不给抚养费", "不给生活费", "抚养费不给", "抚养费也不给")
SUPPORTER = Choices((
    Option("none", "没有", ("没有", "没人", "无", "没儿没女", "没子女", "没孩子", "无儿无女", "孤老", "就我自己", "都没了", "死了",
                          "去世", "没了", "没别人", "没有别人", "没别的亲人", "没谁")),
    Option("poor", "有，但他们自己也困难", CANNOT_SUPPORT + (
        "困难", "都穷", "都困难", "都不富裕", "自己都", "也有病", "也不容易", "够呛", "一身病", "也是低保", "低保户", "也吃低保", "揭不开锅", "下岗", "想管", "也七十",
        "也八十", "也六十", "也老了", "钱不够", "不够使", "不够花", "没啥钱", "也紧", "挺紧", "也够呛", "也挺难", "没钱",
        "也不富", "房贷", "房租", "压着")),
    Option("able", "有，能管", ("能管", "管", "能养", "给钱", "照顾", "养着", "孝顺", "常回来", "各给", "月给", "给俺钱", "给点",
                              "能帮", "钱能给", "能给钱", "给打钱", "往家打钱", "寄钱", "寄点钱", "能寄", "给寄", "往回寄", "寄回来")),
    Option("refuses", "有，但是不管", WILL_NOT_SUPPORT + ("不回来", "联系不上", "不给了", "不咋回来", "不让管", "不让给",
                                                       "不接电话", "电话都不接", "都不接", "也不接"))),
    # far away but sending money: "钱能给 就是人回不去照顾" is support
    decoys=("回不去照顾", "回不来照顾", "没法回去照顾", "没法回来照顾"))
EVENT_CHOICES = Choices(tuple(Option(k, v, w) for (k, v), w in zip(EVENTS.items(), (
    ("着火", "火灾", "失火", "烧", "起火", "着活", "烧没了", "烧光", "烧没", "着的火", "起的火", "失的火", "短路",
     "屋里着了", "屋着了", "房子着了", "房着了", "家里着了", "仓房着了"), ("水灾", "冰雹", "洪", "淹", "旱", "风灾", "雪灾", "灾", "刮", "雹子", "涝", "龙卷风", "暴雨",
                                                                     "大水", "发水", "涨水", "大雪", "暴雪", "雪压", "下雪", "冻灾",
                                                                     "刮倒", "泡了", "雨大", "颗粒无收", "绝收"),
    ("车祸", "意外", "摔", "滑倒", "摔倒", "跌倒", "砸", "撞", "工伤", "出事", "顶伤", "咬伤", "踢伤", "绞", "轧", "烫伤", "中毒", "触电",
     "骨折", "掉下来", "翻车", "翻沟", "掉沟", "车翻", "车给刮", "车刮", "车剐", "刮蹭", "剐蹭", "掉河", "掉水里", "落水",
     "掉井", "掉冰窟窿", "溺水"),
    ("重病", "得病", "住院", "癌", "脑梗", "病", "手术", "查出", "脑出血", "心梗", "支架", "中风", "白血病", "尿毒症", "急性", "炎",
     "吐血", "送医院", "抢救", "晕倒", "昏倒"),
    ("房子塌", "危房", "漏", "倒了", "塌了", "裂", "墙倒", "房倒", "下沉", "墙都歪", "墙歪", "房子歪", "房歪", "屋子歪",
     "要塌", "快塌")))),
    none_option=True, none_words=("不算急事", "算不上急事", "不算啥急事", "就是穷", "都挺好", "挺好", "慢性病", "老毛病", "常年吃药",
                                  "一直", "没新事", "没啥新事", "没有啥新事", "没什么新事", "没有什么新事",
                                  "还是那样", "老样子", "没听说", "急事没有", "没啥急事", "没有急事", "急事倒没有"),
    # an illness of long standing is not a sudden event ("婆婆的病一直花钱")
    decoys=("慢性病", "老毛病", "住院了", "病一直", "一直病", "常年病", "病常年", "老病", "多年的病", "病好多年", "病了好多年",
            "一直治病", "常年治病", "一直看病", "打倒了", "打倒"),
    first_wins=True)  # "下冰雹了 窗户玻璃全砸了": one event, told with what it did
WHEN = Choices((Option("recent", "最近一个月内", ("昨", "今天", "前天", "刚", "这几天", "上周", "上礼拜", "这个月", "最近",
                                                "半个月", "几天前", "这周", "上星期", "月初", "前几天", "今早", "今儿",
                                                "前儿", "夜儿", "昨儿", "一个月内", "礼拜天", "星期天", "大前天", "上个礼拜", "上个星期",
                                                "前些天", "前些日子", "头几天", "这两天", "这些天", "上个月底", "上月底", "没几天", "这礼拜",
                                                "这星期")),
                Option("earlier", "一个多月以前", ("去年", "前年", "几个月", "半年", "年前", "早就", "老早", "好几个月", "两个月",
                                                 "三个月", "一个多月", "上个月", "开春", "夏天", "秋天", "年初", "头年", "以前",
                                                 "多月", "一年多", "好几年", "几年", "好久", "挺久", "老长时间", "很久", "有年头"))))
ASSET_CHOICES = Choices(tuple(Option(k, v, w) for (k, v), w in zip(ASSETS.items(), (
    ("汽车", "轿车", "小车", "私家车", "面包", "货车", "车", "捷达", "别克", "大众", "比亚迪", "桑塔纳", "吉利", "长安",
     "出租车", "五菱", "宝骏", "夏利", "奇瑞", "丰田", "北斗星", "奥拓"),
    ("别的房", "两套", "楼房", "门市", "商铺", "门面", "还有房", "另一套", "第二套", "城里有房", "县里有房", "两处",
     "另一处", "空着", "套楼", "还有个楼", "还有一套", "又买了", "租出去", "出租", "给儿子住", "给闺女住", "还有个平房",
     "还有个老平房", "还有个老房", "还有套房", "还有个房", "往外租", "租给别人", "租给人"),
    ("存款", "存了", "积蓄", "存折", "定期", "攒", "存的钱"),
    ("开店", "生意", "厂", "买卖", "小卖部", "小卖店", "饭店", "养殖场", "做买卖", "超市", "摊", "养猪场", "养鸡场",
     "养牛场", "店", "小卖铺", "铺子", "小吃部", "饭馆", "收购点", "收购站", "加工厂", "作坊", "饺子馆", "面馆", "馆子",
     "包子铺", "修车铺", "修理铺", "杂货铺", "豆腐坊", "磨坊", "油坊", "粉坊")))),
    multiple=True, none_option=True,
    none_words=("一套房", "一处房", "住的房", "就住的", "就一个房", "就这一个房", "三轮", "四轮", "农用车", "拖拉机",
                "电动车", "摩托", "电驴", "电瓶车", "收割机", "播种机", "农机", "三马子", "蹦蹦", "破房", "一个房", "一间房", "一间小房", "一间土房", "两间房", "两间土房", "三间房", "有个楼", "一套楼", "一个楼", "住平房", "住老房", "别的啥也没", "别的都没", "别的没有", "别的也没"),
    decoys=("三轮车", "四轮车", "农用车", "电动车", "摩托车", "电三轮", "一套房", "一处房", "住的房", "住房", "修车", "住这个楼",
            "车是农用车", "车是四轮", "车是三轮", "车是拖拉机", "车是拉粮的", "住的这套楼", "住的这个楼", "住的这套房",
            "住的这一套", "住这一套", "跑出租", "开出租", "拉出租", "车是我的", "车是俺的", "车是儿子的", "车是闺女的",
            "住这套楼",
            "住这楼", "就住这个",
            "土房", "草房", "瓦房", "平房", "房子住", "电驴", "电瓶车", "破房", "一套楼", "住的楼",
            "一个楼", "老房子住", "这一个老房子"))
BENEFIT_CHOICES = Choices(tuple(Option(k, v, w) for (k, v), w in zip(BENEFITS.items(), (
    ("低保", "吃保", "低宝", "地保", "底保", "抵保", "低包", "底包", "db", "单人保", "单独保", "单人户"), ("特困", "五保", "供养", "五宝", "五包"),
    ("边缘", "低边", "低保边缘", "边沿", "低保边沿")))),
    multiple=True, none_option=True, none_words=("啥也没享受", "啥也没吃", "没享受", "没领", "没吃过", "啥待遇也没", "养老金", "残疾人补贴", "临时救助",
                "孤儿", "补助", "补贴", "没评上", "没给评", "没评"),
    decoys=("申请了还没", "还没批", "没批下来", "在申请", "正申请", "申请着"))
YES_NO_CHIPS = {"consent": [{"title": "同意", "payload": "同意"}, {"title": "不同意", "payload": "不同意"}],
                "summary": [{"title": "对", "payload": "对"}, {"title": "要改", "payload": "改一下"}]}


def _menu(intro: str, choices: Choices, hint: str) -> str:
    return f"{intro}\n{choices.render()}\n（{hint}）"


# "几级忘了", "证在俺儿子那 俺说不准": unsure, once nothing else in the answer picks an option.
_UNSURE = re.compile(r"不知道|不清楚|不太清楚|不大清楚|不太知道|不了解|忘了|不记得|记不清|记不太清|记不大清|记不住|说不准|说不清|说不好|说不明白|说不上来|闹不清|搞不清|弄不清|不道|不晓得"
                     r"|没数|没准|不一定|不固定")
# "吃没吃低保", "有没有儿女": the option is asked about, not said (with 不知道 beside it, the answer is unsure)
_EITHER_OR = re.compile(r"(.)(?:没|不)\1")
_AGE = re.compile(r"(\d{1,3}|[一二两三四五六七八九十]{1,3})(?:周)?岁"
                  r"|(?:孩子|儿子|闺女|女儿|孙子|孙女|外孙|小子|丫头|姑娘|大的|小的|老大|老二|今年|都)(?:才|今年|刚)?"
                  r"(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:了|岁)?(?=$|[\s，,。了]|[^\d一二两三四五六七八九十个口块元])")
# a span of time; "十一月底", "11月20号" name a month of the calendar, not eleven months
_AGO = re.compile(r"(\d{1,3}|[一二两三四五六七八九十半]{1,3})(?:来|多)?(?:个)?(多|来|半)?"
                  r"(天|日|礼拜|星期|周|月(?![初底末中旬份号\d一二三四五六七八九十])|年)")
_AGO_SAID = re.compile(_AGO.pattern + r"(?:前|了|以前|之前|头)")


_HEDGE = re.compile(r"(?:^|(?<=\s))(?:好像是?|应该是?|估计是?|大概是?|可能是?|似乎)")  # at the start of any part


_GUESS = re.compile(r"好像|可能|估计|应该|似乎|大概")


def _choice(choices: Choices, example: str, unknown_ok: bool = False,
            extra: Callable[[str], list[str]] = lambda text: [], guess_is_unknown: bool = False):
    """`guess_is_unknown`: an option guessed and then doubted ("好像是低保边缘 我也说不准") is not known."""
    def parse(text: str, state: State) -> Parsed:
        if unknown_ok and is_unknown(text):
            return Parsed(value=UNKNOWN)
        parsed = choices.parse(text, example)
        if guess_is_unknown and parsed.ok and _GUESS.search(text) and _UNSURE.search(text):
            return Parsed(value=UNKNOWN)
        hedged = _HEDGE.sub("", text.strip())
        if not parsed.ok and hedged != text.strip():  # "好像都没有", "应该没有": a soft no is still a no
            parsed = choices.parse(hedged, example)
        more = list(dict.fromkeys(k for k in extra(text) if k not in (parsed.value or []))) if choices.multiple else []
        if more and (parsed.ok or not asks(text)):
            return Parsed(value=[*(parsed.value or []), *more])
        if unknown_ok and _UNSURE.search(text) and (not parsed.ok or _EITHER_OR.search(text)) and not asks(text):
            return Parsed(value=UNKNOWN)
        return parsed
    return parse


# "我自己家 我妈跟我们一起住": the answer starts with the speaker's own home; the kin after it live there
_OWN_FIRST = re.compile(r"^(?:是|给|帮)?(?:我|俺|咱)们?(?:自己|自个儿?)?家")


def _whose(text: str, state: State) -> Parsed:
    if fold(text) in ("我", "俺", "我的", "俺的", "给我", "给俺"):  # too short to be an option's word
        return Parsed(value="self")
    picked = WHOSE.read(text).picked
    if _OWN_FIRST.match(fold(text)) and "self" in picked:
        return Parsed(value="self")
    if asks(text) and len(picked) == 1:  # "我问问我二叔家 他家那个情况能不能办": whose, and the question
        return Parsed(value=picked[0])
    return WHOSE.parse(text, "1")


_read_members = _choice(MEMBER_CHOICES, "1 5", unknown_ok=True,
                        extra=lambda t: _by_age(t) + _by_story(t) + _by_schooling(t))
# Members a resident names before their question ("俺俩都七十多了" opening the talk, "大闺女念高三" with the
# household's size) are kept and added to her answer there: a menu answer naming only the sick husband does not
# drop the two pensioners. Only ages and schooling, which the households sets read so far name reliably (one
# wrong in about 200); an illness told in the opening ("眼睛快瞎了") is no disability certificate, and a child
# "念书" is often over 16, so those are left to the question.
HEARD_MEMBERS = ("elderly", "student")
MEMBERS_HEARD = "members_heard"


def _members_said(text: str, state: State) -> list[str]:
    """The members a message names in passing (the choices' words, ages, schooling), never one it denies, nor
    one who lives elsewhere ("就我一个 儿子在外地念大学 不在家")."""
    parts = clauses(text)
    text = " ".join(part for n, part in enumerate(parts)
                    if not APART.search(part) and not (n + 1 < len(parts) and APART.fullmatch(fold(parts[n + 1]))))
    reading = MEMBER_CHOICES.read(text)
    said = [*reading.picked, *_by_age(text), *_by_schooling(text)]
    known = state.get(MEMBERS_HEARD) or []
    heard = {*known, *(k for k in said if k in HEARD_MEMBERS and k not in reading.denied)}
    return [o.key for o in MEMBER_CHOICES.options if o.key in heard]  # in the menu's order


def _heard_members_note(state: State) -> str:
    heard = state.get(MEMBERS_HEARD) or []
    return f"（您说过的记下了：{_labels(MEMBER_CHOICES, heard)}）" if heard else ""


# "老伴糖尿病 不重 吃点药就行": an illness said to be light is no serious illness
_LIGHT = re.compile(r"不重|不严重|不碍事|不要紧|没大事|没啥大事|吃点药就(?:行|好)")
_CERTIFIED = re.compile(r"(?<![没无未])(?:有|办了?|拿了?)(?:残疾)?证")
_SERIOUS = re.compile(r"重病|大病|病重|癌|住院|手术|化疗|透析|瘫|卧床|尿毒症|白血病|脑梗|脑出血|心梗")


def _members(text: str, state: State) -> Parsed:
    parsed = _read_members(text, state)
    if (parsed.ok and isinstance(parsed.value, list) and "ill" in parsed.value and _LIGHT.search(text)
            and not _SERIOUS.search(text)):
        parsed = Parsed(value=[k for k in parsed.value if k != "ill"], note=parsed.note, also=parsed.also)
    if parsed.ok and isinstance(parsed.value, list) and "disabled" not in parsed.value and _CERTIFIED.search(text):
        # "老伴六十二 精神不好 有证": a member with a (disability) certificate
        parsed = Parsed(value=[*parsed.value, "disabled"], note=parsed.note, also=parsed.also)
    heard = state.get(MEMBERS_HEARD) or []
    if not parsed.ok or not isinstance(parsed.value, list) or not heard:
        return parsed
    denied = MEMBER_CHOICES.read(text).denied  # "没有老人了 老爷子去年走了": the answer wins
    return Parsed(value=[*parsed.value, *(k for k in heard if k not in parsed.value and k not in denied)],
                  note=parsed.note, also=parsed.also)


# "俩孩子 一个十四一个十": the ages of two, one after the other
_AN_AGE = r"(\d{1,2}|[一二两三四五六七八九十]{1,3})"
_TWO_AGES = re.compile(rf"一个{_AN_AGE}岁?(?:一个|另一个|小的|大的){_AN_AGE}(?=$|岁|[^\d一二两三四五六七八九十个口块元])")


# "俺妈78了", "俺63 老伴60", "男的61了": a grown-up named, then an age of ten or more with no unit
_GROWN_UP_AGE = re.compile(r"(?:妈|爸|爹|娘|老伴|老头子?|老太太|老婆|媳妇|丈夫|爱人|对象|男的|女的|奶奶|爷爷|姥姥|姥爷|公公|婆婆"
                           r"|老爷子|老爹|老娘|俺|我|他|她|自己)(?:今年|都|也|才|已经|快|有)*"
                           r"(\d{2}|[二三四五六七八九]?十[一二三四五六七八九]?)(?=$|[\s，,。了多岁]|[^\d一二两三四五六七八九十"
                           r"个口块元千百万号年月天亩斤次])")


def _ages(text: str) -> list[int]:
    text = unicodedata.normalize("NFKC", text)
    said = [n for m in _TWO_AGES.finditer(text) for n in m.groups()]
    said += [m.group(1) or m.group(2) for m in _AGE.finditer(text)] + _GROWN_UP_AGE.findall(text)
    return [age for number in said for age in [int(number) if number.isdigit() else chinese_small_int(number)]
            if age is not None]


def _by_age(text: str) -> list[str]:
    """"孙子才三岁", "今年十岁", "俺七十三岁了", "俺妈78了": a child or an elderly person, by the age given."""
    return ["child" if age < 16 else "elderly" for age in _ages(text) if age < 16 or age >= 60]


# "俩孩子都念书", "孙子上学呢": children at school, no age or higher school said, are of school age (under 16)
_AT_SCHOOL = re.compile(r"(?:孩子|娃|孙子|孙女|外孙女?|小的|大的|老大|老二)[^，,。\s]{0,3}?"
                        r"(?:念书|上学|读书)")
_OLDER_SCHOOL = re.compile(r"高中|大学|大专|中专|技校|职高|高[一二三]|研究生|大[一二三四]|念高|读高|考学")


def _by_schooling(text: str) -> list[str]:
    aged = any(age < 30 for age in _ages(text))  # the pupil's own age decides; a grandparent's does not
    school = _AT_SCHOOL.search(text)
    if school and re.search(r"[没无不]有?$", text[:school.start()]):  # "没有孩子上学"
        return []
    if school and not _OLDER_SCHOOL.search(text) and not aged:
        return ["child"]
    return []


# "他爸判刑进去了 她妈跑了", "爹妈离了 都走了 好几年没管过": a child's parents gone, told as a story
_PARENTS_GONE = re.compile(r"(?:爸|妈|爹|娘|父母|爸妈|爹妈)[^，。]{0,6}?(?:离了|都走了|走了|不管|没管|跑了|走道|改嫁|没了|死了|不在了"
                           r"|判刑|坐牢|进去了)"
                           # "孩子爸妈前几年一块出事没的": both parents, a story between them and the end
                           r"|(?:父母|爸妈|爹妈)[^，。\s]{0,8}(?:没的|没了|去世|过世|死了|不在了)")
_CHILD_WORDS = re.compile(r"孙子|孙女|外孙|孩子|娃|小的")


def _by_story(text: str) -> list[str]:
    if _PARENTS_GONE.search(text) and (_CHILD_WORDS.search(text) or "child" in _by_age(text)):
        return ["unparented"]
    return []


_DISABILITY_CHOICE = _choice(DISABILITY, "1", unknown_ok=True, guess_is_unknown=True)


def _disability(text: str, state: State) -> Parsed:
    """"没办 医院大夫说够二级": no certificate yet, whatever grade was promised; "老伴一级 儿子四级": two
    disabled members, and the more severe grade is the one that counts."""
    picked = DISABILITY.read(text).picked
    first = DISABILITY.read(clauses(text)[0]).picked if clauses(text) else ()
    if "none" in first:
        return Parsed(value="none")
    if set(picked) == {"severe", "mild"} and "还是" not in text and not _UNSURE.search(text):  # not "二级还是三级"
        return Parsed(value="severe")
    return _DISABILITY_CHOICE(text, state)


_SUPPORTER_CHOICE = _choice(SUPPORTER, "1", unknown_ok=True)


# A question meaning no: "儿子哪能管俺" is 不管, "哪顾得上" 顾不上, "哪有钱" 也没钱.
_RHETORICAL = ((re.compile(r"(?<![不没])(?:哪|咋|怎么|哪里)(?:能|会|肯|还|有空)?(?=管|养)"), "不"),  # not 不咋管
               (re.compile(r"(?<![不没])(?:哪|咋)(?:能)?顾得(?:上|过来)"), "顾不上"),
               (re.compile(r"(?<![不没])(?:哪|咋)(?:来的|有)钱"), "也没钱"))


def _plain_no(text: str) -> str:
    for pattern, plain in _RHETORICAL:
        text = pattern.sub(plain, text)
    return text


def _supporter(text: str, state: State) -> Parsed:
    """"能管点 他家也不富裕": some help from people who are poor themselves is 有，但他们自己也困难."""
    text = _plain_no(text)
    picked = set(SUPPORTER.read(text).picked)
    if picked == {"poor", "able"}:
        return Parsed(value="poor")
    if picked == {"poor", "refuses"}:  # "俺哥有条件 就是不管 俺家也困难": the one who could and will not matters
        return Parsed(value="refuses")
    return _SUPPORTER_CHOICE(text, state)


_ASSET_CHOICE = _choice(ASSET_CHOICES, "0", unknown_ok=True)
# What is not theirs, or no longer there: "出租车是租人家的", "车是借的", "存款看病花没了".
_NOT_OWNED = re.compile(r"[^\s，。,]{0,8}?(?:是)?(?:租|借)(?:人家|别人|亲戚|的)(?:的)?"
                        r"|(?P<what>[^\s，。,]{0,8}?)(?:那|这)?(?:也|都)?(?:不是(?:俺|我|咱)(?:们)?家的"
                        r"|是(?:他|她|他们|别人|人家|亲戚)(?:家)?的|那(?:也|都)?是(?:儿子|闺女|女儿)家的)")
# 撞的那车也不是俺家的, 儿子有车有楼那是他的; "有一台别克 是儿子的 儿子跟俺们一起住" is theirs
_SPENT = re.compile(r"(?:存款|积蓄|存的钱|存折)[^\s，。,]{0,6}?(?:花没了|花光了|花完了|用光了|早没了|没了)")


# The question's own yardstick: savings that last the household a year or more ("够俺俩过两年的"), or not
# ("存了两三万 不够一年的", "钱是有一点 够不上一年")
_UNDER_A_YEAR = re.compile(r"(?:不够|够不上|不到|撑不了|过不了)[^，。,\s]{0,6}?(?:一|1)?年")
_A_YEAR_OR_MORE = re.compile(r"(?<!不)够[^，。,\s不]{0,6}?(?:过|花|用|吃)[^，。,\s]{0,2}?"
                             r"(?:[一两俩二三四五六七八九十几半1-9]|好几)(?:个)?年")


def _assets(text: str, state: State) -> Parsed:
    # what is not theirs leaves a "none" behind: "车是借的" alone is an answer (nothing of their own)
    if state.get("need_whose") == "self":  # "车是俺的" is the asker's own car, so the household's
        text = _MINE.sub(" 有车 ", text)
    text = _A_YEAR_OR_MORE.sub(" 有存款 ", _UNDER_A_YEAR.sub(" 没有存款 ", text))
    return _ASSET_CHOICE(_SPENT.sub(" 没有存款 ", _NOT_OWNED.sub(_not_owned, text)), state)


_MINE = re.compile(r"车是(?:我|俺)们?家?的")


def _not_owned(match: re.Match[str]) -> str:
    """A clause of its own ("…合伙租的 不是俺家的") takes back what the clause before it named; said with
    the thing ("儿子有车有楼那是他的") it removes just that."""
    if match["what"] is not None and not match["what"].strip("那这也都"):
        return " 那也没有 "
    return " 别的没有 "


_EVENT_CHOICE = _choice(EVENT_CHOICES, "1", unknown_ok=True)
_LONG_AGO = re.compile(r"前年|去年|年前|好几年|多年|[两俩三四五六七八九十几]年了|都.{0,2}年")
_ONGOING = re.compile(r"拖着|一直|常年|老病|老毛病|好些年|这些年|好多年|慢性|老是")
_NOTHING_NEW = re.compile(r"^(?:最近|这阵子?|现在|目前)?(?:急事|难事|新事)?(?:倒|也)?(?:没有|没|没啥|没事|没新事|没啥新事|没什么新事|还是那样|老样子)")


def _event(text: str, state: State) -> Parsed:
    """"没有 支架是前年做的", "没有 他爸出事都两年了": nothing new; something long past is not a sudden event."""
    parsed = _EVENT_CHOICE(_died(text), state)
    first = fold(clauses(text)[0]) if clauses(text) else ""
    if parsed.ok and parsed.value in EVENTS and _NOTHING_NEW.match(first) and (
            _LONG_AGO.search(text) or _ONGOING.search(text)):  # "最近没有 就是媳妇这病拖着"
        return Parsed(value="none")
    when = _heard_when(text, state) if parsed.ok and parsed.value in EVENTS else None
    if when is not None:  # the time told with the event wins over one heard earlier ("刚做完化疗" in the opening)
        parsed = Parsed(value=parsed.value, note=parsed.note, also={**parsed.also, "event_when": when})
    members = state.get("special_members")
    if (parsed.ok and parsed.value == "illness" and isinstance(members, list) and "ill" not in members
            and not _DEATH.search(_died(text))):  # "男的去年秋天得病没了": no one ill at home now
        # someone fell seriously ill: the household now has a seriously ill member, whatever was ticked before
        return Parsed(value=parsed.value, also={**parsed.also, "special_members": [*members, "ill"]})
    return parsed


def _days_ago(text: str) -> int | None:
    """"俩月前" 60, "二十来天" 20, "有一个礼拜了" 7, "一年多了" 365; None if no span of time is named."""
    match = _AGO.search(unicodedata.normalize("NFKC", text).replace("俩", "两"))
    if not match:
        return None
    number = match.group(1)
    count = 0.5 if number == "半" else (int(number) if number.isdigit() else chinese_small_int(number))
    if count is None and len(number) == 2:  # "五六天", "七八天了": a range, at its larger end
        count = max((chinese_small_int(digit) or 0) for digit in number) or None
    if count is None:
        return None
    per = {"天": 1, "日": 1, "礼拜": 7, "星期": 7, "周": 7, "月": 30, "年": 365}[match.group(3)]
    # 一个来月 is about one; 三十多天 (多 before the unit) is past thirty
    more = match.group(2) or ("多" if "多" in match.group(0) else "")
    return int(count * per) + {"多": max(per // 2, 1), "半": per // 2}.get(more, 0)


# "这个我不太清楚 我也是刚听说": 刚 is when she heard of it, not when it happened
_JUST_HEARD = re.compile(r"刚(?:听说|听人说|知道|晓得)")


def _when(text: str, state: State) -> Parsed:
    text = _JUST_HEARD.sub("", text)
    settled = after_correction(text)
    # a span said ("一个多月了") is reckoned from now by the speaker; else a day on the calendar ("十月初",
    # "11月20号"), against the state's clock where a test sets one
    days = _days_ago(settled)
    days = days_since(settled, state.get("_today")) if days is None else days
    if days is not None and not asks(text):  # "不清楚 大概俩月前": unsure, then a span after all
        return Parsed(value="recent" if days <= 30 else "earlier")
    if clauses(text) and is_unknown(clauses(text)[0]):  # "这说不准 一开春就没下几场雨 一直旱到现在"
        return Parsed(value=UNKNOWN)
    return _choice(WHEN, "1", unknown_ok=True)(text, state)


# Readers of answers said before their question (`Question.heard`): strict, since the question is then not
# asked; the summary shows what was taken.
# a run of figures is tried from its start only, and is short: linear on a 20,000-digit message
_SIZE_SAID = re.compile(r"(?<![一二两俩三仨四五六七八九十\d])(?<!老)(?:[一二两俩三仨四五六七八九十\d]{1,4})\s*口(?:人)?(?![罩气水子])")
_KIN = re.compile(r"儿子|闺女|女儿|子女|儿女|孩子们|姑娘|小子|姑爷|儿媳|侄|亲戚|兄弟|哥哥|姐姐|妹妹|弟弟|大哥|大姐|老大|老二")
_REFUSES = re.compile("|".join(map(re.escape, WILL_NOT_SUPPORT)))
_CANNOT = re.compile("|".join(map(re.escape, CANNOT_SUPPORT)))
_OWN_HOME = re.compile(r"(?:俺家|我家|咱家|俺们家|我们家)(?!隔壁|邻居|对门|旁边|前院|后院|东院|西院|附近|那片)"
                       r"|俺们老两口|俺们娘|俺们爷|俺们仨|俺们俩|我一个人带|俺一个人带|俺老伴|俺老头|我老伴|我爱人|俺媳妇|我媳妇|俺对象|我对象|俺家老爷们")
_DEATH = re.compile(r"去世|过世|病故|走了|走的|死了|人没了")
_DIED_AFTER = re.compile(r"(?<=[祸事故撞摔砸病癌火])(?:了)?(?:人)?(?:就)?没(?:了|的)")  # 出车祸没的: died
_SOMEONE_ELSES = re.compile(r"(?:隔壁|邻居|对门|屯里|村里|俺们屯|我们村|俺们村)(?:家)?有个|(?:她|他)那样的?(?:能|可以|够)"
                            r"|(?:屯|村)(?:里|的)*老[\u4e00-\u9fff]家(?!里)"  # "俺们屯老孟家着火了"
                            r"|我是.{0,8}(?:支书|书记|村主任|村长|妇女主任|网格员|会计|村干部)"  # a cadre asks for villagers
                            # a teacher or a hospital asks for a family in its care
                            r"|(?:班上|班里|学校|学生|医院|病房|科里)(?:这边|这儿|里)?有(?:个|一个|位)")
_OTHERS_NAMED = re.compile(r"孩子|孙子|孙女|外孙|娃|小子|闺女|儿子|女儿|姑娘|老人|婆婆|公公|老娘|老爹")
# one person carrying a home, not one person living in it: "家里就靠我一个人", "就我一个人挣钱"
_RAISING_ALONE = re.compile(r"一个人(?:带|拉扯|养|供|照顾|伺候|挣|干活|上班|打工|撑|扛)|靠(?:我|俺|他|她)一个人")
_CHILDLESS = re.compile(r"没儿没女|无儿无女|没有儿女|没有子女|没子女|没儿女|绝户|孤老")
# a grade beside 残/瘫/证: "二级残疾", "脑瘫一级", "老头瘫了 有证 一级的"
_GRADE = re.compile(r"[残瘫证].{0,6}?([一二三四1-4壹贰叁肆])\s*(?:级|极)|([一二三四1-4壹贰叁肆])\s*(?:级|极).{0,3}[残证]")
_RECEIVING = re.compile(r"(?:吃着?|享受着?|领着?|拿着?|是|办了|有)(?:个|的)?(?:低保|低宝|地保|底保|特困|五保|五包|边缘户|低边)"
                        r"|(?:低保|地保|五保|特困)(?:户|金|钱|一个月|每月|每个月|一月)")
_NOT_NOW = re.compile(r"没|不是|停|取消|以前|原来|早先|过去|申请|想|能不能|咋|怎么|啥|吗|还没|够不够|能办|能吃")


def _heard_size(text: str, state: State) -> int | None:
    return parse_people_count(text) if _SIZE_SAID.search(text) and not asks(text) else None


def _heard_supporter(text: str, state: State) -> str | None:
    """"儿子在外地 不管俺们", "闺女自己也困难 管不了", "没儿没女": said of the kin, in the clause that names them or
    the next one ("俺儿子残疾 俺也老了" says nothing of support: the son is in the household)."""
    if _CHILDLESS.search(text):
        return "none"
    if asks(text):
        return None
    parts = clauses(_plain_no(text))
    for n, part in enumerate(parts):
        if _KIN.search(part):
            said = " ".join(parts[n:n + 2])
            if _REFUSES.search(said):
                return "refuses"
            if _CANNOT.search(said):
                return "poor"
    return None


def _heard_disability(text: str, state: State) -> str | None:
    grade = _GRADE.search(unicodedata.normalize("NFKC", text))
    if grade is None:
        return None
    parsed = DISABILITY.parse(grade.group(0), "1")
    return parsed.value if parsed.ok and parsed.value in ("severe", "mild") else None


def _died(text: str) -> str:
    """"俺弟开三轮出车祸没了": 没了 after the event is a death, not a no."""
    return _DIED_AFTER.sub("去世了", text)


# "一礼拜头析三回", "一个月住两回院": how often, not how long ago
_HOW_OFTEN = re.compile(r"(?:一|每)个?(?:天|礼拜|星期|周|月|年)头?[^，,。\s]{0,4}?(?:[一二两三四五六七八九十几\d]+|俩|仨)(?:回|次|趟)")


def _heard_when(text: str, state: State) -> str | None:
    """The time told with the event ("上个月老伴脑出血"), when the same words name one event."""
    if EVENT_CHOICES.parse(_died(text), "1").value not in EVENTS or _HOW_OFTEN.search(text):
        return None
    named = unicodedata.normalize("NFKC", text)
    if _AGO.search(named) and not _AGO_SAID.search(named) and days_since(named, state.get("_today")) is None:
        return None  # "一年养牛种地能整个四五万": a span, not when it happened; "十一月底着的火" is a day
    parsed = _when(text, state)
    return parsed.value if parsed.ok and parsed.value in ("recent", "earlier") else None


# "就我一个哥 自己也吃低保": the relative who might help is on benefits, not the household
_THEIR_OWN = re.compile(r"(?:自己|自个儿?|他家|她家|人家|他们|她们)(?:也|都)")


def _heard_benefits(text: str, state: State) -> list[str] | None:
    """"俺是低保户", "低保一个月给三百多": a benefit received now, said in passing."""
    keys: list[str] = []
    for clause in clauses(text):
        if (_RECEIVING.search(clause) and not _NOT_NOW.search(clause) and not asks(clause)
                and not _THEIR_OWN.search(clause)):
            keys += [k for k in BENEFIT_CHOICES.read(clause).picked if k not in keys]
    return keys or None


def _heard_place(text: str, state: State) -> dict[str, Any] | None:
    return prefill_place(text, state["_townships"])


def _choice_correction(choices: Choices, slot: str):
    """A correction to a multi-select answer changes only what it names: "车没有" takes the car away and
    keeps the savings; "还有个病人" adds one."""
    def correct(text: str, state: State) -> Parsed:
        reading = choices.read(text)
        current = state.get(slot) if isinstance(state.get(slot), list) else []
        if not (reading.picked or reading.denied):
            return choices.parse(text, "0")
        if reading.only:
            return Parsed(value=list(reading.picked))
        kept = [k for k in current if k not in reading.denied]
        return Parsed(value=kept + [k for k in reading.picked if k not in kept])
    return correct


def _chips(choices: Choices, unknown_ok: bool = False):
    return lambda state: choices.chips() + ([{"title": "不清楚", "payload": "不清楚"}] if unknown_ok else [])


def _labels(choices: Choices, value: Any) -> str:
    if value == UNKNOWN:
        return "不清楚"
    known = {option.key for option in choices.options}
    if value == [] or (value == "none" and value not in known):  # disability's "none" is an option: 还没办残疾证
        return "都没有"
    keys = value if isinstance(value, list) else [value]
    return "、".join(choices.label(k) for k in keys if isinstance(k, str) and k in known)


# Answers that show whose household it is: "他自己一个人 我嫁到郑家屯了", "东明镇吴家村 我爸在那住" are someone
# else's; "三口 我媳妇我 还有我妈" counts the speaker in.
_ELDER = r"(?:我|俺)(?:爸|妈|爹|娘|奶奶?|爷爷?|姥姥|姥爷|婆婆|公公|老舅|舅|姨|姑|大爷|叔|哥|姐|弟|妹)"
_THEIRS = re.compile(rf"^(?:就|只有)?(?:他|她|{_ELDER})(?:家)?(?:自己|一个人|自个儿?|一个|单独)"
                     rf"|{_ELDER}(?:家)?(?:在那|住那|住在那|在那儿|就在那|家在)")
_OURS = re.compile(r"(?:我|俺)(?!们都|们不|不在|嫁|在外|在城|在四平|在长春)")
# "两口 爷爷奶奶", "俩 我爸我妈", "就他俩": the home counted is a pair of elders, the speaker not among them
_THEIR_PAIR = re.compile(r"(?:[两俩2]口人?|俩|两个人?)?(?:就)?(?:(?:我|俺)?(?:爷爷奶奶|奶奶爷爷|姥姥姥爷|姥爷姥姥|爸妈|爹妈|爸爸妈妈|爹娘"
                         r"|公公婆婆)|我爸我妈|俺爹俺娘|俺爸俺妈|他俩|她俩|他们俩|他们老两口)(?:俩|两口|老两口)?人?")


def _whose_hint(text: str, state: State) -> dict[str, Any]:
    """need_whose as the answer shows it, where the form only guessed it (self, by default) or never got it."""
    key = fold(text)
    if state.get("need_whose") in (None, UNKNOWN, "self") and (_THEIRS.search(key) or _THEIR_PAIR.fullmatch(key)):
        return {"need_whose": "relative"}
    if state.get("need_whose") in (None, UNKNOWN) and _OURS.search(key):
        return {"need_whose": "self"}
    return {}


def _place(text: str, state: State) -> Parsed:
    parsed = parse_place(text, state)
    return Parsed(value=parsed.value, also={**parsed.also, **_whose_hint(text, state)}) if parsed.ok else parsed


def _size(text: str, state: State) -> Parsed:
    if is_unknown(text):
        return Parsed(error="人口数要说个大概，比如“三口人”或者“就我一个”。")
    size = parse_people_count(text)
    if size is None:
        return Parsed(error="没看明白有几口人。请说个数，比如“三口人”或者“就我一个”。")
    # a third person alone is someone else's home; "他一个人挣钱 养活一家五口" is not
    hinted = size == 1 or _OURS.search(fold(text)) or _THEIR_PAIR.fullmatch(fold(text))
    heard = _members_said(text, state)
    return Parsed(value=size, also={**(_whose_hint(text, state) if hinted else {}),
                                    **({MEMBERS_HEARD: heard} if heard else {})})


_NOTHING_AT_ALL = re.compile(r"(?:现在|目前|如今|这阵|眼下)?(?:啥|什么)(?:也|都)(?:没有?|木有)(?:了|啊|呀)?")


def _income(text: str, state: State) -> Parsed:
    if is_unknown(text) or says_unknown(text):  # "不太清楚 孩子挣多少不跟俺说"
        return Parsed(value=UNKNOWN)
    size = state.get("household_size")
    money = parse_monthly_income(text, household=size if isinstance(size, int) and not isinstance(size, bool) else None)
    if money is not None and money.high == 0 and _UNSURE.search(text):  # "她吃五保 一个月给多少钱我不知道 别的没收入"
        return Parsed(value=UNKNOWN)
    if money is None and clauses(text) and yes_no(clauses(text)[0]) is False and not asks(text):
        return Parsed(value={"low": 0, "high": 0})  # "没有 他啥也不干"
    if money is None and _NOTHING_AT_ALL.fullmatch(fold(text)):  # "现在啥也没有": no income at all
        return Parsed(value={"low": 0, "high": 0})
    if money is None and _UNSURE.search(text) and not asks(text):  # "收入俺也不清楚"
        return Parsed(value=UNKNOWN)
    if money is None:
        return Parsed(error="没看明白收入是多少。说个大概就行，比如“一千五左右”“一个月八百来块”“没有收入”。"
                            "不清楚就回复“不知道”。")
    return Parsed(value={"low": money.low, "high": money.high})


_ADDED = re.compile(r"加上|算上|再加|外加|也得加|还得加|另外还有")
_NEW_TOTAL = re.compile(r"得有|一共|总共|加起来|合计|统共|拢共|总的|算下来|算起来|那就是")  # "加上他的 得有一千六"


def _income_correction(text: str, state: State) -> Parsed:
    """At the summary, "收入也得加上他打零工一个月七八百" adds to the figure recorded; other words replace it."""
    parsed, before = _income(text, state), state.get("monthly_income")
    if (parsed.ok and isinstance(parsed.value, dict) and isinstance(before, dict) and _ADDED.search(fold(text))
            and not _NEW_TOTAL.search(fold(text))):
        return Parsed(value={"low": before["low"] + parsed.value["low"], "high": before["high"] + parsed.value["high"]})
    return parsed


def _show_income(value: Any) -> str:
    if value == UNKNOWN or not isinstance(value, dict):
        return "不清楚"
    low, high = value.get("low"), value.get("high")
    return f"每月约{low}元" if low == high else f"每月约{low}—{high}元"


def _yes_no(example: str):
    def parse(text: str, state: State) -> Parsed:
        answer = yes_no(text)
        if answer is None:
            return Parsed(error=f"请回复“{example}”或者“不{example}”。")
        return Parsed(value="yes" if answer else "no")
    return parse


def _confirm(text: str, state: State) -> Parsed:
    answer = yes_no(text)
    said = [yes_no(c) for c in clauses(text)]
    if answer is None and True in said and False not in said:  # "看了两遍 对的", "都对 就是电话还没说"
        answer = True
    if answer is True:
        return Parsed(value="yes")
    if answer is False:
        return Parsed(error="哪一项不对？直接说怎么改，比如“车没有”“是四口人”；或者回复“改”加序号，比如“改3”。")
    return Parsed(error="都对的话回复“对”；哪项不对，直接说怎么改，比如“车没有”，或者回复“改3”。")


_NO_NAME = re.compile(r"不说|不想说|不留|不想留|保密|别问|甭问|不告诉|叫啥都行|随便|不方便|算了|不用|免了|不写|不愿意")
_ANOTHER_WAY = re.compile(r"村部|村里|村上|村委|村干部|社区|网格员|邻居|儿子|闺女|女儿|家里人|亲戚|找我|来找|上门")
_HAS_NONE = re.compile(r"没电话|没有电话|没装电话|没手机|没有手机|没座机|手机丢|手机坏|电话坏|不会用手机")
_NO_PHONE = re.compile(r"不留|不想留|不想给|不愿给|没电话|没有电话|没装电话|没手机|没有手机|手机丢|电话坏|别打|甭打|不方便|算了|不给|不告诉"
                       r"|不愿意|不用了|不要了|^没有$")


def _name(text: str, state: State) -> Parsed:
    if _NO_NAME.search(fold(text)) and parse_person_name(text) is None:
        return Parsed(value="")
    name = parse_person_name(text)
    if name is None:
        return Parsed(error="怎么称呼您？说个姓就行，比如“王大姐”“老李”。不想说就回复“不说”。")
    return Parsed(value=name)


_DIGITS = re.compile(r"[+＋]?[\d０-９][\d０-９\s\-—–]*")


def _contact(text: str, state: State) -> Parsed:
    """One question for the way to call back: a phone (a referral needs one) and, if given beside it, a name
    ("俺叫刘桂芝 139 4342 1234"); the name is not asked for on its own (the minimum is collected)."""
    phone = parse_mobile(text)
    none_of_their_own = phone is None and (_HAS_NONE.search(fold(text)) or is_unknown(text))
    if none_of_their_own and state.get(RETRIES):  # asked for someone else's already: no referral, no loop
        return Parsed(value="", also={"contact_name": ""})
    if none_of_their_own and (is_unknown(text) or _ANOTHER_WAY.search(fold(text))
                              or parse_person_name(_HAS_NONE.sub(" ", text))):
        # "俺没电话 你们打村部吧", "俺叫蔡军 俺没手机", "不知道": willing, but no number of their own to give
        return Parsed(error="没有电话也不要紧：留个家里人、邻居或者村干部的电话也行，工作人员打过去找您。"
                            "实在没有就回复“没有”，您也可以直接去乡镇窗口办。")
    if phone is None and _NO_PHONE.search(fold(text)):
        return Parsed(value="", also={"contact_name": ""})  # no referral without a way to call back
    if phone is None:
        return Parsed(error="没看明白电话号码。请发手机号（11位）或带区号的座机，比如“13912345678”。"
                            "不想留电话就回复“不留”，您也可以直接去乡镇窗口。")
    named = _name(_DIGITS.sub(" ", after_correction(text)), state)
    return Parsed(value=phone, also={"contact_name": named.value if named.ok else ""})


# "转过去要花钱不 不花钱就转": the transfer is this service's own step, and it costs the resident nothing
_COST = re.compile(r"花钱|收费|收钱|要钱|交钱|掏钱|费用|多少钱")
_YES_IF_FREE = re.compile(r"(?:不花钱|不收钱|不要钱|免费|不收费|不用交钱|不用掏钱)(?:的话|吧|啊)?(?:那|就|那就|那我就)(?:转|同意|办|中|行)")
FREE = "转过去不收钱，只是请窗口的工作人员联系您。"
_CONSENT_HOW = "同意就回复“同意”，或者直接发电话号码；不同意回复“不同意”。"


_IF = re.compile(r"要是|如果|假如|万一")
# "…够不上也转过去让他们看看吧": a yes said last, in a clause of its own words
_TRAILING_YES = re.compile(r"(?<![不别甭])转(?:过去|一下)?(?:让他们|给他们)?(?:看看)?吧$")
_DEFER = re.compile(r"问问(?:儿子|闺女|女儿|老伴|老头|家里|孩子|他|她)|商量|再说|想想|考虑|回头再|等等")
# "行转吧越快越好…": a yes run on into the rest, with no break
_LEADING_YES = re.compile(r"^(?:那就|那)?(?:行|中|好|好的|可以|同意)?(?:你|您)?就?(?:给|帮)?(?:俺|我)?转(?:吧|过去吧|一下吧|办)(?![不别])")


def _consent(text: str, state: State) -> Parsed:
    """同意 / 不同意; a phone number sent here is consent too, and saves a turn."""
    if _COST.search(text):
        if _YES_IF_FREE.search(fold(text)):
            return Parsed(value="yes", note=FREE)
        if yes_no(text) is None:
            return Parsed(error=FREE + _CONSENT_HOW)
    if parse_mobile(text) is not None and yes_no(text) is not False:
        # "中 转吧 孙玉芬 139…": the yes is not part of the name
        contact = _contact(" ".join(c for c in clauses(text) if yes_no(c) is None) or text, state)
        return Parsed(value="yes", also={"contact_phone": contact.value, **contact.also})
    # "同意 就是俺耳朵背 打电话大点声" is a yes with a wish; "好的 不过得先问问儿子" is not yet a yes
    answer = yes_no(text, reservations_count=False)
    if answer is None:  # "转过去会查我家店的账不？查就查吧 转吧", "要是能帮着申请大病救助 那就转吧": a question or
        # a condition first, then the answer
        said = [yes_no(c, reservations_count=False) for c in clauses(text) if not asks(c) and not _IF.match(c)]
        answer = True if True in said and False not in said else False if False in said and True not in said else None
    if answer is None and (_LEADING_YES.match(fold(text)) or _TRAILING_YES.search(fold(clauses(text)[-1] if clauses(text) else ""))):
        answer = True
    if answer and _DEFER.search(text):
        answer = None
    if answer is None:
        return Parsed(error=_CONSENT_HOW)
    return Parsed(value="yes" if answer else "no")


def _keys(value: Any) -> set[str] | None:
    """The keys of a multiple choice; None for a slot of another shape (not one this form set: not an answer)."""
    return {key for key in value if isinstance(key, str)} if isinstance(value, list) else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _amount(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def household_of(state: State) -> Household:
    place = state.get("place") if isinstance(state.get("place"), dict) else {}
    income = state.get("monthly_income") if isinstance(state.get("monthly_income"), dict) else {}
    low, high = _amount(income.get("low")), _amount(income.get("high"))
    size = state.get("household_size")
    return Household(
        size=size if isinstance(size, int) and not isinstance(size, bool) else None,
        income_low=low if high is not None else None,
        income_high=high if low is not None else None,
        urban=place.get("urban") if isinstance(place.get("urban"), bool) else None,
        members=_keys(state.get("special_members")) or set(),
        disability_severe={"severe": True, "mild": False}.get(_text(state.get("disability"))),
        supporter=state.get("supporter") if state.get("supporter") in ("none", "poor", "able", "refuses") else None,
        event=_text(state.get("sudden_event")) if _text(state.get("sudden_event")) in EVENTS else None,
        event_recent={"recent": True, "earlier": False}.get(_text(state.get("event_when"))),
        assets=_keys(state.get("assets")),
        benefits=_keys(state.get("current_benefits")) or set(),
    )


def _may_support(state: State) -> bool:
    """Who else could support the household (赡养、抚养、扶养) is asked only where it can change the 特困 finding:
    someone who cannot work (old, a child, severely disabled), a home of one or two, and an income not above
    the standard. Elsewhere the rules never read it, so it is not collected ("俺家四口人 有个上学的" is not asked
    whether relatives could keep them)."""
    members = _keys(state.get("special_members")) or set()
    size = state.get("household_size")
    unable = bool(members & {"elderly", "child", "unparented"}) or state.get("disability") == "severe"
    small = not isinstance(size, int) or size <= 2
    return unable and small and income_level(household_of(state), state["_std"]).level in ("below", "at", "unknown")


def _clearly_well_off(state: State) -> bool:
    std: Standard = state["_std"]
    per_capita = household_of(state).per_capita()
    return per_capita is not None and per_capita[0] >= std.urban * 1.5 and not state.get("special_members")


def _result(value: Any, state: State) -> list[str]:
    return screening_messages(screen(household_of(state), state["_std"]), state["_kb"])


def _consent_text(state: State) -> str:
    place = state.get("place") or {}
    office = place.get("office") or "乡镇（街道）社会救助窗口"
    return (f"要不要我把您的情况转给{office}，请工作人员联系您、帮您申请？\n"
            "会转过去的：刚才您说的家里情况、您的称呼和电话。\n"
            "只给办救助的工作人员用，不做别的用。\n"
            "同意的话，直接发个电话号码就行（可以带上称呼，比如“王大姐 13912345678”）；"
            "不同意回复“不同意”（也可以自己去窗口办）。")


def _intro(turn: FormTurn, state: State) -> list[str]:
    return ["别着急，我问您几个简单的问题（大约8个），帮您看看能申请哪些救助，再帮您转给乡镇（街道）的工作人员。\n"
            "说错了可以回复“改一下”，不想办了回复“算了”。"]


def _for_someone_else(text: str) -> bool:
    return bool(FOR_SOMEONE_ELSE.search(text) or _SOMEONE_ELSES.search(text)
                or WHOSE.read(text).picked == ("relative",))


def _prefill(turn: FormTurn, state: State) -> State:
    """What the resident already said when asking for help counts as an answer (they confirm it later)."""
    found: State = {}
    text = turn.text
    size = parse_people_count(text) if any(w in text for w in ("口", "个人", "俩", "仨", "一个老", "自己过", "自个过",
                                                               "光棍", "独居")) else None
    # "俺俩岁数也大了" beside "俺家小子" counts the couple, not the home: only a plain count, one alone, or a
    # group with nobody else named is the household's size
    if size and not _RAISING_ALONE.search(text) and (
            _SIZE_SAID.search(text) or size == 1 or not _OTHERS_NAMED.search(text)):
        found["household_size"] = size
    # An opening that names nobody else ("俺想申请低保", "家里揭不开锅了") is about the speaker's own home: "self",
    # shown in the summary to confirm. Kin words there ("俺儿子残疾", "娘俩", "我妈") describe a household as
    # often as someone else's, so then the question is asked.
    if FOR_SOMEONE_ELSE.search(text) or _SOMEONE_ELSES.search(text):  # "能帮他申请救助吗", "俺家隔壁有个老太太"
        found["need_whose"] = "relative"
    elif WHOSE.read(text).picked in ((), ("self",)) or _OWN_HOME.search(text):
        found["need_whose"] = "self"  # "俺们老两口带个孙子", "俺家前天晚上着火了": kin in the speaker's own home
        if not _OWN_HOME.search(text) and any(_for_someone_else(said) for said in turn.earlier):
            del found["need_whose"]  # "我替我妹妹问…" just before a bare "我想申请救助": ask whose it is
    # Members are always asked: an opening names one of them ("老头瘫炕上了"), seldom all of them; those it names
    # reliably are kept (MEMBERS_HEARD) and added to the answer there.
    # only the plainest words of an event (着火, 水灾, 车祸…): "老伴有病" in passing is not a sudden illness
    strong = {o.key for o in EVENT_CHOICES.options if any(w in text for w in o.words[:3])}
    events = EVENT_CHOICES.read(_died(text)).picked  # "让车撞了 住院钱都拿不出来": one event, not two
    if len(events) == 1 and events[0] in strong and not asks(text) and not _LONG_AGO.search(text):  # not 前年出车祸
        found["sudden_event"] = events[0]
    place = prefill_place(text, state["_townships"])
    if place:
        found["place"] = place
    heard = _members_said(text, state)
    if heard:
        found[MEMBERS_HEARD] = heard
    return found


QUESTIONS = [
    Question("need_whose", "为谁问", lambda s: _menu("先问一下，是给谁问的？", WHOSE, "回复数字就行"),
             _whose, lambda v: _labels(WHOSE, v), chips=_chips(WHOSE), give_up=UNKNOWN,
             about=("给谁", "为谁", "替谁", "自己问", "帮俺", "帮我", "帮邻居", "帮人", "给俺", "给我", "帮亲戚")),
    Question("place", "住在", lambda s: ask_place(s, "他家" if s.get("need_whose") == "relative" else "您家"),
             _place, show_place, give_up=UNCLEAR_PLACE, heard=_heard_place,
             about=("住在", "住哪", "住址", "住的地方", "乡", "镇", "村", "街道", "社区", "屯", "地址")),
    Question("household_size", "家里人口", lambda s: "家里一起过日子的有几口人？算上您自己，比如“三口人”。",
             _size, lambda v: "不清楚" if v == UNKNOWN else f"{v}口人", give_up=UNKNOWN, heard=_heard_size,
             about=("口", "几个人", "人口", "口人", "几口", "俩人", "两人", "两个人", "仨人", "三人", "三个人", "四人", "四个人",
                    "五人", "五个人", "一个人")),
    Question("monthly_income", "全家收入",
             lambda s: "全家一个月大概能有多少收入？打工、种地、养老金都算，说个大概就行，比如“一千五左右”。"
                       "不清楚就回复“不知道”。", _income, _show_income, give_up=UNKNOWN,
             chips=lambda s: [{"title": "没有收入", "payload": "没有收入"}, {"title": "不知道", "payload": "不知道"}],
             about=("收入", "挣", "工资", "养老金", "块", "元", "钱", "进项", "剩", "千", "百", "一年", "一个月", "每月", "打工",
                    "种地"), correct=_income_correction),
    Question("special_members", "家里有", lambda s: _menu("家里有没有下面这些人？" + _heard_members_note(s), MEMBER_CHOICES,
                                                     "可以多选，比如回复“1 5”；都没有回复“0”"),
             _members,
             lambda v: _labels(MEMBER_CHOICES, v),
             chips=_chips(MEMBER_CHOICES), give_up=UNKNOWN,
             about=("老人", "孩子", "小孩", "上学", "学生", "残疾", "病人", "病", "没活", "孤儿"),
             correct=_choice_correction(MEMBER_CHOICES, "special_members")),
    Question("disability", "残疾等级", lambda s: _menu("残疾人办了残疾证吗？是几级？", DISABILITY, "回复数字就行"),
             _disability, lambda v: _labels(DISABILITY, v),
             when=lambda s: "disabled" in (_keys(s.get("special_members")) or set()), give_up=UNKNOWN,
             chips=_chips(DISABILITY, unknown_ok=True), heard=_heard_disability,
             about=("残疾证", "几级", "一级", "二级", "三级", "四级")),
    Question("supporter", "能养他的人", lambda s: _menu("有没有子女或别的亲人能养活、照顾他们？", SUPPORTER, "回复数字就行"),
             _supporter, lambda v: _labels(SUPPORTER, v),
             when=_may_support, give_up=UNKNOWN, chips=_chips(SUPPORTER, unknown_ok=True), heard=_heard_supporter,
             about=("子女", "儿子", "闺女", "女儿", "亲人", "养活", "能养", "管")),
    Question("sudden_event", "急事", lambda s: _menu("最近家里有没有遇到急事、难事？有的话说说是啥事、啥时候的事。",
                                                   EVENT_CHOICES, "没有就回复“没有”"),
             _event, lambda v: _labels(EVENT_CHOICES, v),
             chips=_chips(EVENT_CHOICES, unknown_ok=True), give_up=UNKNOWN,
             about=("急事", "难事", "啥事", "着火", "火灾", "灾", "车祸", "意外", "塌")),
    Question("event_when", "什么时候", lambda s: _menu("这事是什么时候发生的？", WHEN, "回复数字就行"),
             _when, lambda v: _labels(WHEN, v),
             # a house in danger is helped the same whenever it cracked (住房救助): only the other events' time counts
             when=lambda s: _text(s.get("sudden_event")) in EVENTS.keys() - {"house"}, give_up=UNKNOWN,
             chips=_chips(WHEN, unknown_ok=True), heard=_heard_when,
             about=("什么时候", "时间", "哪天", "最近", "月前", "个月", "礼拜", "以前", "天前")),
    Question("assets", "家里财产", lambda s: _menu("家里有没有下面这些？", ASSET_CHOICES, "可以多选；都没有回复“0”"),
             _assets, lambda v: _labels(ASSET_CHOICES, v),
             when=lambda s: not _clearly_well_off(s), give_up=UNKNOWN, chips=_chips(ASSET_CHOICES, unknown_ok=True),
             about=("车", "房", "存款", "生意", "开店", "财产", "积蓄"),
             correct=_choice_correction(ASSET_CHOICES, "assets")),
    Question("current_benefits", "正在享受", lambda s: _menu("家里现在有人享受下面的待遇吗？", BENEFIT_CHOICES,
                                                        "可以多选；都没有回复“0”"),
             _choice(BENEFIT_CHOICES, "0", unknown_ok=True, guess_is_unknown=True),
             lambda v: _labels(BENEFIT_CHOICES, v),
             when=lambda s: not _clearly_well_off(s), give_up=UNKNOWN, chips=_chips(BENEFIT_CHOICES, unknown_ok=True),
             about=("低保", "特困", "五保", "边缘", "待遇"), heard=_heard_benefits,
             correct=_choice_correction(BENEFIT_CHOICES, "current_benefits")),
    Question("prescreen_confirmed", "确认",
             lambda s: summary(PRESCREEN, s, "我记下的是这些，您看对不对：",
                               "都对的话回复“对”；哪项不对，直接说怎么改，比如“车没有”“是四口人”，或者回复“改3”。"),
             _confirm, summarised=False, after=_result, confirms=True, chips=lambda s: YES_NO_CHIPS["summary"]),
    Question("referral_consent", "同意转介", _consent_text, _consent, summarised=False,
             chips=lambda s: YES_NO_CHIPS["consent"], give_up="no",  # "俺得跟老伴商量商量": not now
             skipped="那就先不转。想好了，随时回复“我想申请”再来。"),
    Question("contact_phone", "电话",
             lambda s: "留个能打通的电话吧，工作人员会打给您。愿意的话再说个称呼，比如“王大姐 13912345678”。",
             _contact, summarised=False, when=lambda s: s.get("referral_consent") == "yes",
             chips=lambda s: [{"title": "不留电话", "payload": "不留"}]),
]

PRESCREEN = Form(
    name="prescreen_form",
    questions=QUESTIONS,
    intro=_intro,
    prefill=_prefill,
    cancelled="好的，不办了。您随时可以再来问我。\n想自己去办的话，到户籍所在地乡镇（街道）社会救助窗口，一个窗口就能办。",
    reset_on_edit=("prescreen_confirmed", "referral_consent", "contact_name", "contact_phone"),
    extra_slots=("place_candidates", "contact_name", MEMBERS_HEARD, PAUSED_RUN),
    resumable=True,
)
