"""Township matching: what residents call their township, village or community."""
import pytest

from bot.forms.places import parse_place
from bot.gazetteer.divisions import DIVISIONS_FILE, load
from bot.gazetteer.matching import match_places
from bot.settings import ROOT


@pytest.fixture(scope="module")
def townships():
    return list(load(ROOT / "policies" / DIVISIONS_FILE).divisions)


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


@pytest.mark.parametrize("text,township,place", [
    # a village of the named township, said without 村
    ("双山秀水", "双山镇", "秀水村"), ("卧虎报马", "卧虎镇", "报马村"), ("双山秀水三组", "双山镇", "秀水村"),
    ("辽西街道吉兴", "辽西街道", "吉兴村"), ("双山镇富贵", "双山镇", "富贵社区"),
    # the township's own name is not its seat village
    ("兴隆镇", "兴隆镇", None), ("东明镇", "东明镇", None), ("兴隆镇兴隆村", "兴隆镇", "兴隆村"),
    # a village the gazetteer lacks, named right after its township
    ("柳条乡红石村", "柳条乡", "红石村"), ("柳条乡的红石村", "柳条乡", "红石村"), ("东明镇那个村", "东明镇", None),
    ("永加乡的 村就不说了", "永加乡", None),
    # a village whose name holds another's (前六家子村, 六家子村): the longer one said is the one meant
    ("卧虎镇前六家子村", "卧虎镇", "前六家子村"), ("卧虎前六家子", "卧虎镇", "前六家子村"), ("卧虎六家子", "卧虎镇", "六家子村"),
])
def test_the_place_within_a_named_township(text, township, place, townships):
    [match] = match_places(text, townships)
    assert (match.township.name, match.place) == (township, place)


@pytest.mark.parametrize("text,township,place", [
    # a homophone typed for the name, as voice input and pinyin keyboards give it (the blind sets' slips)
    ("九加子村", "卧虎镇", "九家子村"), ("卧虎九加子", "卧虎镇", "九家子村"), ("茂林镇美力村", "茂林镇", "美丽村"),
    ("双山镇五颗村", "双山镇", "五棵村"), ("王奔镇宏维村", "王奔镇", "宏伟村"), ("万金村", "柳条乡", "万斤村"),
    # the township's own name misspelt, and 平翘舌 / 前后鼻音 mixed up
    ("卧乎镇九加子", "卧虎镇", "九家子村"), ("茂琳镇美力村", "茂林镇", "美丽村"), ("王本镇长江村", "王奔镇", "长江村"),
    ("卧虎镇前留家子村", "卧虎镇", "前六家子村"), ("卧虎镇留家子村", "卧虎镇", "六家子村"),
    ("辽南街到", "辽南街道", None), ("卧乎镇", "卧虎镇", None), ("卧乎镇卧虎村", "卧虎镇", "卧虎村"),
])
def test_a_name_that_sounds_right(text, township, place, townships):
    [match] = match_places(text, townships)
    assert (match.township.name, match.place) == (township, place)


@pytest.mark.parametrize("text", [
    "新村",      # sounds like part of many names: no guess
    "美力",      # a bare two-syllable sound without 村 or a township: too little to guess on
    "长春市",
])
def test_a_sound_shared_or_too_short_is_not_guessed(text, townships):
    assert codes(text, townships) == []


@pytest.mark.parametrize("text,township,place", [
    ("兴隆镇大有村 不对 是连丰村 大有是俺娘家", "兴隆镇", "连丰村"), ("双山镇 不对 是卧虎镇", "卧虎镇", None),
    ("双山镇秀水村 老人不对劲", "双山镇", "秀水村"),
])
def test_the_place_after_a_self_correction(text, township, place, townships):
    value = parse_place(text, {"_townships": townships}).value
    assert (value["name"], value["place"]) == (township, place)


@pytest.mark.parametrize("text", ["不知道", "不清楚 反正是双辽的", "俺是帮人问的 不知道他家是哪个村的"])
def test_not_knowing_the_place(text, townships):
    parsed = parse_place(text, {"_townships": townships})
    assert parsed.ok and parsed.value["code"] is None


@pytest.mark.parametrize("text", ["你好", "双辽", "不知道 你们能来吗", "问这干啥 低保不都一样吗"])
def test_no_place_is_asked_again(text, townships):
    assert not parse_place(text, {"_townships": townships}).ok


def test_the_intake_offices_are_seeded_from_the_gazetteer(tmp_path):
    """One source of places: the intake system's township rows carry the gazetteer's names and offices."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from bot.db import models  # noqa: F401  (every table registered on Base.metadata)
    from bot.db.base import Base
    from bot.intake.models import Township
    from bot.intake.seed import seed_townships

    gazetteer = load(ROOT / "policies" / DIVISIONS_FILE)
    engine = create_engine(f"sqlite:///{tmp_path / 'seed.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        assert seed_townships(session, ROOT / "policies" / DIVISIONS_FILE) == len(gazetteer.divisions) >= 18
        rows = {t.code: t for t in session.query(Township)}
        for division in gazetteer.divisions:
            row = rows[division.code]
            assert (row.name, row.kind, row.office_name) == (division.name, division.kind, division.office)
            assert (tuple(row.aliases), tuple(row.places)) == (division.aliases, division.places)
        assert seed_townships(session, ROOT / "policies" / DIVISIONS_FILE) == 0  # never twice
