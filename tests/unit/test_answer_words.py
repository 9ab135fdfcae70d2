"""Stock answers: don't know, stop, correct something, yes / no."""
import pytest

from bot.text.answers import is_cancel, is_correction, is_unknown, yes_no


@pytest.mark.parametrize("text", [
    "不知道", "不清楚", "说不好", "不太清楚", "记不清", "没算过", "不好说", "不晓得", "不知道啊", "我也不知道",
    "这个不太清楚", "记不清了", "不知道。",
])
def test_unknown(text):
    assert is_unknown(text)


@pytest.mark.parametrize("text", ["", "知道", "不是", "没有", "不知道怎么申请", "我知道", "1500"])
def test_not_unknown(text):
    assert not is_unknown(text)


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
])
def test_yes(text):
    assert yes_no(text) is True


@pytest.mark.parametrize("text", [
    "不", "不是", "不对", "不同意", "不愿意", "不行", "不要", "不用", "没有", "嗯，不是", "不用了谢谢", "我不同意",
    "不对的",
])
def test_no(text):
    assert yes_no(text) is False


@pytest.mark.parametrize("text", ["", "对不对", "是不是", "不知道", "不好意思", "算了", "要不", "可以吗", "1500", "张桂兰"])
def test_neither(text):
    assert yes_no(text) is None
