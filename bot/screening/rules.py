"""Screening rules: for each programme, likely / possible / unlikely / unknown, with plain reasons.

Thresholds come from the knowledge base (the 低保 figures in policies/dibao.yml): one source of truth.
The rules only pre-screen: the township (乡镇/街道) and the bureau decide (审核确认).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from bot.knowledge.loader import KnowledgeBase
from bot.screening.household import ASSETS, EVENTS, Household

Outcome = Literal["likely", "possible", "unlikely", "unknown"]
EDGE_MULTIPLE = 1.5  # 低保边缘家庭: income below 1.5 × the 低保 standard (最低生活保障审核确认办法 第八条)


@dataclass(frozen=True)
class Standard:
    """The 低保 standard the rules compare against, per person per month, and how sure we are of it."""

    urban: int
    rural: int
    urban_label: str
    rural_label: str
    verified: bool

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> Standard:
        figures = kb.programme("dibao").figures
        urban = max((f for k, f in figures.items() if k.startswith("dibao_urban")), key=lambda f: f.year)
        rural = max((f for k, f in figures.items() if k.startswith("dibao_rural")), key=lambda f: f.year)
        return cls(int(urban.value), int(rural.value), f"{urban.year}年城市参考标准{urban.value}元",
                   f"{rural.year}年农村参考标准{rural.value}元", urban.verified and rural.verified)

    def bounds(self, urban: bool | None) -> tuple[int, int, str]:
        """(lower, upper, label): unknown area → between the rural and the urban figure."""
        if urban is True:
            return self.urban, self.urban, self.urban_label
        if urban is False:
            return self.rural, self.rural, self.rural_label
        return self.rural, self.urban, f"{self.rural_label}、{self.urban_label}"


@dataclass
class Finding:
    programme: str
    outcome: Outcome
    reasons: list[str] = field(default_factory=list)


Level = Literal["below", "at", "edge", "above", "unknown"]


@dataclass(frozen=True)
class Income:
    """Where the household's per-capita income sits against the standard."""

    level: Level
    text: str  # the comparison in words, for reasons


def income_level(h: Household, std: Standard) -> Income:
    per_capita = h.per_capita()
    if per_capita is None and "edge" in h.benefits:
        return Income("edge", "已经认定为低保边缘家庭（收入不到低保标准的1.5倍）")
    if per_capita is None:
        return Income("unknown", "家里收入还不清楚，窗口会帮您算")
    low, high = per_capita
    lower, upper, label = std.bounds(h.urban)
    amount = f"{round(low)}元" if round(low) == round(high) else f"{round(low)}—{round(high)}元"
    said = f"全家每人每月大约{amount}"
    if high < lower:
        return Income("below", f"{said}，低于{label}")
    if low >= upper * EDGE_MULTIPLE:
        return Income("above", f"{said}，超过{label}的1.5倍")
    if low <= upper and high >= lower:
        return Income("at", f"{said}，和{label}差不多，要窗口细算")
    return Income("edge", f"{said}，高于{label}，但不到1.5倍（低保边缘）")


def _asset_note(h: Household) -> str | None:
    if not h.assets:
        return None
    return "家里" + "、".join(ASSETS[a].split("（")[0] for a in sorted(h.assets)) + "，要看是否符合当地财产规定"


def _receives(h: Household, *names: str) -> bool:
    return bool(h.benefits & set(names))


def dibao(h: Household, inc: Income) -> Finding:
    f = Finding("dibao", "unknown")
    if _receives(h, "dibao"):
        return Finding("dibao", "likely", ["您家已经在享受低保；家里情况有变化，请告诉村（社区）或乡镇"])
    if inc.level == "unknown":
        f.reasons.append(inc.text)
        return f
    f.reasons.append(inc.text)
    single = bool(h.members & {"ill"}) or h.disability_severe is True
    if inc.level == "below":
        f.outcome = "likely"
    elif inc.level == "at":
        f.outcome = "possible"
    elif inc.level == "edge" and single:
        f.outcome = "possible"
        f.reasons.append("家里有重病人或重度残疾人的低保边缘家庭，这个人可以单独申请低保（单人保）")
    elif inc.level == "edge" and h.members & {"ill", "disabled"}:
        f.outcome = "possible"
        f.reasons.append("看病、残疾多花的钱，算收入时可以适当扣掉")
    else:
        f.outcome = "unlikely"
    note = _asset_note(h)
    if note and f.outcome == "likely":
        f.outcome = "possible"
    if note and f.outcome != "unlikely":
        f.reasons.append(note)
    return f


def tekun(h: Household, inc: Income) -> Finding:
    if _receives(h, "tekun"):
        return Finding("tekun", "likely", ["已经是特困人员，有变化请告诉乡镇"])
    unable = h.members & {"elderly", "child", "unparented"} or h.disability_severe is True
    if not unable or (h.size or 0) > 2:
        return Finding("tekun", "unlikely", ["特困要求没有劳动能力（60岁以上、未成年或重度残疾）、没有生活来源、"
                                             "也没有能养他的人"])
    if inc.level in ("edge", "above"):
        return Finding("tekun", "unlikely", [inc.text])
    reasons = ["家里有没有劳动能力的人（老人、孩子或重度残疾人）"]
    if h.supporter == "able":
        return Finding("tekun", "unlikely", reasons + ["有子女等能养他的人，一般不能办特困，可以看看低保"])
    if h.supporter == "refuses":  # the duty to support stays with the children (暂行办法第十四条)
        return Finding("tekun", "unlikely", reasons + ["子女有能力养但不管的，要先由子女尽赡养义务（乡镇可以帮着协调），"
                                                      "可以看看低保"])
    if h.supporter is None or inc.level in ("unknown", "at"):
        return Finding("tekun", "possible", reasons + ["还要看有没有能养他的人、收入和财产"])
    reasons.append("没有能养他的人" if h.supporter == "none" else "能养他的人自己也困难，可能算“没能力养”")
    outcome: Outcome = "likely" if h.supporter == "none" and inc.level == "below" and (h.size or 0) == 1 \
        else "possible"
    return Finding("tekun", outcome, reasons)


def linshi(h: Household, inc: Income) -> Finding:
    if h.event and h.event != "house":
        what = EVENTS[h.event]
        if h.event_recent is False:
            return Finding("linshi", "possible", [f"遇到{what}，事情过去有一阵了，生活还困难的可以申请"])
        reasons = [f"遇到{what}，生活一下子困难，可以申请急难型临时救助"]
        if h.event_recent:
            reasons.append("情况紧急的，乡镇可以小金额先行救助，事后补手续")
        return Finding("linshi", "likely", reasons)
    if h.members & {"ill", "student"} and inc.level in ("below", "at", "edge", "unknown"):
        return Finding("linshi", "possible", ["看病、上学开销太大、家里扛不住的，可以申请支出型临时救助"])
    return Finding("linshi", "unlikely", ["没有遇到突发的急事、难事"])


def _poor(h: Household, inc: Income) -> tuple[bool, bool]:
    """(on 低保/特困 or below the standard, at or near the edge or not known)."""
    core = _receives(h, "dibao", "tekun") or inc.level == "below"
    near = _receives(h, "edge") or inc.level in ("at", "edge", "unknown")
    return core, near


def _by_member(programme: str, member: str, missing: str, core_text: str, near_text: str
               ) -> Callable[[Household, Income], Finding]:
    def rule(h: Household, inc: Income) -> Finding:
        if member not in h.members:
            return Finding(programme, "unlikely", [missing])
        core, near = _poor(h, inc)
        if core:
            return Finding(programme, "likely", [core_text])
        if near:
            return Finding(programme, "possible", [near_text, inc.text])
        return Finding(programme, "unlikely", [inc.text])
    return rule


yiliao = _by_member("yiliao", "ill", "家里没有重病、大病病人",
                    "低保、特困家庭（或收入低于标准）的病人，看病可以申请医疗救助",
                    "低保边缘、看病开销大的家庭，大病病人也可以按规定救助")


_jiaoyu_by_income = _by_member("jiaoyu", "student", "家里没有上学的孩子",
                               "低保、特困家庭（或收入低于标准）上学的孩子，可以得到教育救助",
                               "低保边缘、开销大的家庭，上学的孩子也可能得到教育救助")


def jiaoyu(h: Household, inc: Income) -> Finding:
    if "unparented" in h.members and h.members & {"student", "child"}:
        return Finding("jiaoyu", "possible", ["孤儿、事实无人抚养儿童上学，认定后优先纳入国家资助"])
    return _jiaoyu_by_income(h, inc)


def zhufang(h: Household, inc: Income) -> Finding:
    if h.event not in ("house", "fire", "disaster"):
        return Finding("zhufang", "unlikely", ["没有说到住房困难"])
    core, near = _poor(h, inc)
    reasons = ["房子有困难；什么算住房困难由当地定，要窗口核实"]
    return Finding("zhufang", "possible" if core or near else "unlikely", reasons if core or near else [inc.text])


jiuye = _by_member("jiuye", "jobless", "家里没有能干活却没活干的人",
                   "低保家庭里能干活、没工作的人，可以得到就业救助（找工作、培训、补贴）",
                   "低保边缘家庭能干活的人，符合条件也能享受培训、贴息等就业帮扶")


def canji(h: Household, inc: Income) -> Finding:
    if "disabled" not in h.members:
        return Finding("canji", "unlikely", ["家里没有残疾人"])
    reasons = []
    outcome: Outcome = "possible"
    if h.disability_severe:
        outcome = "likely"
        reasons.append("一级、二级重度残疾人，需要长期照护的，可以领重度残疾人护理补贴")
    core, near = _poor(h, inc)
    if core:
        outcome = "likely"
        reasons.append("低保家庭的残疾人，可以领困难残疾人生活补贴")
    if not reasons and not near:
        return Finding("canji", "unlikely", ["生活补贴给低保家庭的残疾人，护理补贴给一级、二级重度残疾人", inc.text])
    if not reasons:
        reasons.append("有残疾人证的，看等级和家里收入，可能领残疾人补贴（低保边缘家庭是否也能领，要问乡镇）")
    return Finding("canji", outcome, reasons)


def ertong(h: Household, inc: Income) -> Finding:
    if "unparented" in h.members:
        return Finding("ertong", "likely", ["没有父母照顾的孩子（孤儿、事实无人抚养儿童）要由民政部门认定后保障"])
    if "child" in h.members and "disabled" in h.members and _poor(h, inc)[0]:
        return Finding("ertong", "possible", ["困难家庭的残疾孩子，可以申请残疾儿童康复救助等"])
    return Finding("ertong", "unlikely", ["家里没有缺少父母照顾的孩子"])


def laoren(h: Household, inc: Income) -> Finding:
    if "elderly" not in h.members:
        return Finding("laoren", "unlikely", ["家里没有60岁以上老人"])
    core, near = _poor(h, inc)
    if core or near:
        return Finding("laoren", "possible", ["低保、特困家庭生活不能自理的老人，可能有上门探访、照料服务，"
                                              "是否已开展要问乡镇"])
    return Finding("laoren", "unlikely", [inc.text])


def shouzai(h: Household, inc: Income) -> Finding:
    if h.event == "disaster":
        return Finding("shouzai", "likely", ["基本生活受到自然灾害严重影响的，可以得到受灾人员救助"])
    return Finding("shouzai", "unlikely", ["没有遇到自然灾害"])


RULES: dict[str, Callable[[Household, Income], Finding]] = {
    "dibao": dibao, "tekun": tekun, "linshi": linshi, "yiliao": yiliao, "jiaoyu": jiaoyu, "zhufang": zhufang,
    "jiuye": jiuye, "canji": canji, "ertong": ertong, "laoren": laoren, "shouzai": shouzai,
}
RANK = {"likely": 0, "possible": 1, "unknown": 2, "unlikely": 3}


def screen(h: Household, std: Standard) -> list[Finding]:
    """Every programme's finding, most promising first (ties keep the taxonomy order)."""
    inc = income_level(h, std)
    findings = [rule(h, inc) for rule in RULES.values()]
    return sorted(findings, key=lambda f: RANK[f.outcome])
