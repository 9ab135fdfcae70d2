"""The text every rule reads: what residents paste and dictate (zero-width characters, full-width letters,
runs of spaces, Chinese punctuation) must not change what a message means to the rules."""
import pytest

from bot.text.normalize import clean, fold, has_words, simplified


@pytest.mark.parametrize("text,cleaned", [
    ("低保怎么申请", "低保怎么申请"),
    ("  低保   怎么\n申请 \t", "低保 怎么 申请"),          # voice input and pasted line breaks
    ("低\u200b保\ufeff", "低保"),                          # zero-width space and BOM from a copied message
    ("救命\x00\x07", "救命"),                               # control characters
    ("俺家\u202e三口人", "俺家三口人"),                      # a direction mark
    ("", ""),
    (None, ""),
])
def test_clean_keeps_the_message_readable(text, cleaned):
    assert clean(text) == cleaned


@pytest.mark.parametrize("text,key", [
    ("低保，怎么申请？", "低保怎么申请"),
    ("ＷＯ 不想活了！！", "wo不想活了"),                     # full-width letters and a shout
    ("不 想 活 了", "不想活了"),
    ("《临时救助》…—“急”", "临时救助急"),
    ("(低保)[特困]【医疗】", "低保特困医疗"),
    ("１２３４５", "12345"),
    ("a.b,c!d?e;f:g'h\"i`j~k、l_m-n·o", "abcdefghijklmno"),
    ("", ""),
])
def test_fold_is_a_key_without_width_case_spaces_or_punctuation(text, key):
    assert fold(text) == key


@pytest.mark.parametrize("text,words", [
    ("低保", True), ("?低保?", True), ("3", True), ("ok👍", True), ("😀😀", False), ("。。。", False),
    ("？！", False), ("", False),
])
def test_has_words(text, words):
    assert has_words(text) is words


@pytest.mark.parametrize("typed,key", [
    ("煤氣中毒", "煤气中毒"), ("我不想活了 自殺", "我不想活了自杀"), ("進度查一下", "进度查一下"), ("謝謝", "谢谢"),
    ("困難，需要幫助", "困难需要帮助"), ("我們社區有一位老人獨居", "我们社区有一位老人独居"),
    ("就是找不著活", "就是找不着活"), ("屋裡著火了", "屋里着火了"), ("很有名的著作", "很有名的著作"),  # 著 as 着, not 著作
])
def test_traditional_characters_fold_to_simplified(typed, key):
    """A phone set to 繁體: the net, the parsers and the model match the simplified words."""
    assert fold(typed) == key


def test_simplified_text_is_left_alone_and_keeps_its_length():
    from pathlib import Path

    from bot.settings import ROOT
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(Path(ROOT, "nlu_data").rglob("*.yml")))
    assert simplified(text) == text  # no character of the training data is read as traditional
    assert len(simplified("電話打不通我媽已經兩天了")) == len("電話打不通我媽已經兩天了")


def test_the_net_hears_danger_typed_in_traditional_characters():
    from bot.safety.net import SafetyNet
    from bot.settings import ROOT

    net = SafetyNet.from_file(ROOT / "policies" / "emergency.yml")
    assert net.match("屋裡煤氣中毒了 頭暈") is not None and net.match("我想自殺") is not None
