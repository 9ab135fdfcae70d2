"""The emergency net: it must fire on danger-now wording, and stay quiet on policy questions and chatter."""
import pytest

from bot.safety.net import SafetyNet
from bot.settings import ROOT

NET = SafetyNet.from_file(ROOT / "policies" / "emergency.yml")

DANGER = [
    ("我不想活了", "suicide"),
    ("活着真没意思 寻思死了算了", "suicide"),
    ("俺爹喝农药了！！", "suicide"),
    ("我妈说要跳河", "suicide"),
    ("老公又打我了，拿刀了", "violence"),
    ("他天天打我", "violence"),
    ("邻居老太太倒地上没动静了", "medical"),
    ("我爸摔倒了起不来", "medical"),
    ("屋里煤烟中毒了快来人", "medical"),
    ("着火了！房子着了", "fire"),
    ("水淹进屋了", "flood"),
    ("今晚没地方住", "no_shelter"),
    ("被房东赶出来了，睡大街", "no_shelter"),
    ("孩子三天没吃饭了", "no_food"),
    ("家里一口吃的都没有了", "no_food"),
    ("我妈走丢了找不着了", "missing"),
    ("我爸有痴呆 早上出门到现在没回来", "missing"),
    ("ｗｏ不想活了", "suicide"),  # full-width letters fold to ASCII
    ("不 想 活 了", "suicide"),     # spaces from voice transcripts
]

CALM = [
    "家里失火了可以申请救助吗",
    "去年房子着火了能给补助不",
    "低保怎么申请",
    "今天天气咋样",
    "房子快塌了能申请危房改造不",
    "我想了解临时救助",
    "",
    "😀😀",
    "谢谢你",
]


@pytest.mark.parametrize("text,category", DANGER)
def test_fires_on_danger(text, category):
    match = NET.match(text)
    assert match is not None and match.name == category


@pytest.mark.parametrize("text", CALM)
def test_quiet_on_policy_questions_and_chatter(text):
    assert NET.match(text) is None


def test_every_category_has_advice():
    import yaml

    data = yaml.safe_load((ROOT / "policies" / "emergency.yml").read_text(encoding="utf-8"))
    assert set(data["categories"]) <= set(data["advice"])


def test_category_without_patterns_is_refused(tmp_path):
    path = tmp_path / "e.yml"
    path.write_text("categories:\n  x:\n    label: x\n    patterns: []\n", encoding="utf-8")
    with pytest.raises(ValueError):
        SafetyNet.from_file(path)


def test_a_fire_that_is_out_is_not_an_emergency_but_a_night_outside_is():
    from bot.safety.net import SafetyNet
    from bot.settings import ROOT

    net = SafetyNet.from_file(ROOT / "policies" / "emergency.yml")
    assert net.match("房子着火了快来人").name == "fire"
    assert net.match("昨晚家里着火了，三口人") is None
    assert net.match("昨天着火了，今晚没地方住了").name == "no_shelter"
