"""Stock answers: don't know, stop, correct something, yes / no."""
import pytest

from bot.text.answers import after_correction, is_cancel, is_correction, is_unknown, says_unknown, yes_no


@pytest.mark.parametrize("text", [
    "不知道", "不清楚", "说不好", "不太清楚", "记不清", "没算过", "不好说", "不晓得", "不知道啊", "我也不知道",
    "这个不太清楚", "记不清了", "不知道。", "没准", "说不准", "不一定",
])
def test_unknown(text):
    assert is_unknown(text)


@pytest.mark.parametrize("text", ["", "知道", "不是", "没有", "不知道怎么申请", "我知道", "1500", "不清楚 钱都是俺儿子管"])
def test_not_unknown(text):
    assert not is_unknown(text)


@pytest.mark.parametrize("text", [
    "不知道", "不清楚 钱都是俺儿子管", "俺不知道 老头知道 他没在家", "没准 有活就有 没活就没有", "说不好，看天吃饭",
    "俺是帮人问的 不知道他家是哪个村的", "不清楚她们家有多少地",
])
def test_says_unknown_with_a_reason(text):
    assert says_unknown(text)


@pytest.mark.parametrize("text", [
    "", "知道", "不知道怎么申请", "不知道 一千多吧", "不知道去哪申请", "不清楚 你们能帮俺问问吗", "双山镇",
    "不知道咋办",
])
def test_does_not_say_unknown(text):
    assert not says_unknown(text)


@pytest.mark.parametrize("text,settled", [
    ("两口 不对 三口", " 三口"), ("一千 哦不对 一千二", " 一千二"), ("周玉兰 打错了 是周玉莲", " 是周玉莲"),
    ("三口", "三口"), ("不对", "不对"), ("不对 俺家没有车", "不对 俺家没有车"), ("是三口 对不对啊", "是三口 对不对啊"),
    ("两口不对三口不对四口", "四口"), ("一千块 不对不对", "一千块 不对不对"), ("秀水村 老人不对劲", "秀水村 老人不对劲"),
])
def test_after_correction(text, settled):
    assert after_correction(text) == settled


@pytest.mark.parametrize("text", [
    "算了", "不办了", "不申请了", "取消", "不弄了", "别问了", "不想办了", "退出", "不用了谢谢", "不用了，谢谢",
    "算了吧", "那就算了", "算了不办了", "我不办了",
])
def test_cancel(text):
    assert is_cancel(text)


@pytest.mark.parametrize("text", ["", "不用", "没有", "不是", "不用了", "怎么取消低保", "不", "好的", "不知道"])
def test_not_cancel(text):
    assert not is_cancel(text)


@pytest.mark.parametrize("text", [
    "改一下", "我要改", "说错了", "填错了", "刚才说错了", "修改", "重新填", "改改", "收入说错了", "我想改一下电话",
])
def test_correction(text):
    assert is_correction(text)


@pytest.mark.parametrize("text", ["", "对", "不对", "我没说错", "不用改", "不需要修改", "是的", "不知道"])
def test_not_correction(text):
    assert not is_correction(text)


@pytest.mark.parametrize("text", [
    "是", "对", "嗯", "好", "可以", "行", "同意", "愿意", "中", "没问题", "确认", "对的", "是的", "好的谢谢",
    "我同意", "嗯嗯", "对对对", "OK", "好。",
    # Northeastern and everyday assent
    "嗯呐", "嗯哪", "对着呢", "没毛病", "对 没毛病", "行吧", "中中中", "妥了", "整吧", "那敢情好", "都对", "好嘞 麻烦您了",
    "👍", "👌", "👍🏻",
    # at the consent step: "pass it on"
    "同意 转吧", "转吧转吧", "帮俺转一下吧", "那你给转吧", "行 你给转吧", "同一 转吧", "同易",
    # an answer first, then thanks, a wish or a condition
    "同意同意 太谢谢了🙏", "要 越快越好", "同意是同意 就是别让俺儿子知道",
    # the last word after a self-correction
    "俺不同意 不对 同意吧",
])
def test_yes(text):
    assert yes_no(text) is True


@pytest.mark.parametrize("text", [
    "不", "不是", "不对", "不同意", "不愿意", "不行", "不要", "不用", "没有", "嗯，不是", "不用了谢谢", "我不同意",
    "不对的",
    "不中", "不了 谢谢", "先不用", "不想转", "先别转", "甭转了", "别转了 俺自己去民政局", "别麻烦了 俺们再挺挺",
    "不同意 俺怕村里人知道", "不愿意 俺怕麻烦", "那就不麻烦你们了", "算了", "算了吧", "不不不", "👎",
    "同意 不对 还是算了吧 怕麻烦",
])
def test_no(text):
    assert yes_no(text) is False


@pytest.mark.parametrize("text", [
    "", "对不对", "是不是", "不知道", "不好意思", "要不", "可以吗", "1500", "张桂兰", "你好", "😀", "哈哈哈",
    "转过去要花钱不", "转给谁啊 靠谱不", "俺再考虑考虑", "嗯 俺再考虑考虑",
    # a bare 不 / 没有 with more words may mean the opposite; a yes with a reservation may be a correction
    "没有 就是不想活了", "不 俺想死", "对 就是收入再少点 也就五百", "好 但是俺想再问问",
    # two answers that disagree
    "同意 不同意",
])
def test_neither(text):
    assert yes_no(text) is None
