"""What the pre-screen learned about a household, in the shape the screening rules read."""
from __future__ import annotations

from dataclasses import dataclass, field

# Special members (multi-select in the interview).
MEMBERS = {
    "elderly": "60岁以上老人",
    "child": "16岁以下孩子",
    "student": "在上学的孩子",
    "disabled": "残疾人",
    "ill": "重病、大病病人",
    "jobless": "能干活但没活干的人",
    "unparented": "没有父母照顾的孩子",
}
EVENTS = {
    "fire": "着火",
    "disaster": "水灾、冰雹等自然灾害",
    "accident": "车祸等意外",
    "illness": "家里人突然得了重病",
    "house": "房子塌了、成了危房",
}
ASSETS = {
    "car": "有汽车（不算农用车）",
    "house": "除了住的还有别的房子",
    "savings": "存款比较多（够全家过一年以上）",
    "business": "开店、做生意、办厂",
}
BENEFITS = {"dibao": "低保", "tekun": "特困（五保）", "edge": "低保边缘户"}


@dataclass
class Household:
    size: int | None = None
    income_low: int | None = None         # household income, yuan per month; None = not known
    income_high: int | None = None
    urban: bool | None = None             # city (社区) or countryside (村); None = not known
    members: set[str] = field(default_factory=set)
    disability_severe: bool | None = None  # 一二级 (or 三级智力/精神); None = not asked / no certificate
    supporter: str | None = None           # none | poor | able | refuses  (children or others who could support)
    event: str | None = None               # a key of EVENTS, or None
    event_recent: bool | None = None       # within about a month
    assets: set[str] | None = None         # None = not asked / not known
    benefits: set[str] = field(default_factory=set)

    @property
    def income_known(self) -> bool:
        return self.size is not None and self.income_low is not None and self.income_high is not None

    def per_capita(self) -> tuple[float, float] | None:
        if not self.income_known or not self.size:
            return None
        return self.income_low / self.size, self.income_high / self.size
