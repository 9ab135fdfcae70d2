"""Township matching: what residents call their township, village or community."""
import pytest
import yaml

from bot.intake.models import Township
from bot.intake.places import match_places
from bot.settings import ROOT


@pytest.fixture(scope="module")
def townships():
    data = yaml.safe_load((ROOT / "policies" / "shuangliao-divisions.yml").read_text(encoding="utf-8"))
    return [Township(code=t["code"], name=t["name"], kind=t["kind"], office_name="",
                     aliases=t.get("aliases") or [], places=(t.get("communities") or []) + (t.get("villages") or [])) for t in data["townships"]]


def codes(text, townships):
    return sorted({m.township.code for m in match_places(text, townships)})


@pytest.mark.parametrize("text,code", [
    ("双山镇", "220382101"), ("双山", "220382101"), ("我住双山镇秀水村", "220382101"), ("秀水村", "220382101"),
    ("秀水", "220382101"), ("郑家屯街道东华社区", "220382001"), ("东华社区", "220382001"),
    ("那木乡", "220382200"), ("那木斯蒙古族乡", "220382200"), ("俺是卧虎镇同乐村的", "220382102"),
    ("王奔 团结村", "220382104"),
])
def test_one_township(text, code, townships):
    assert codes(text, townships) == [code]


def test_a_village_name_in_two_townships_gives_both(townships):
    assert codes("团结", townships) == ["220382003", "220382104"]


def test_the_township_named_narrows_a_shared_village_name(townships):
    assert codes("辽南街道团结社区", townships) == ["220382003"]


@pytest.mark.parametrize("text", ["长春市", "", "不知道", "村里"])
def test_no_match(text, townships):
    assert codes(text, townships) == []


def test_village_is_rural_community_is_urban(townships):
    [village] = match_places("秀水村", townships)
    [community] = match_places("东华社区", townships)
    assert village.urban is False and community.urban is True
