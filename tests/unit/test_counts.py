"""Household size as residents type it; money and unknown answers are not counts."""
import pytest

from bot.text.counts import parse_people_count


@pytest.mark.parametrize("text,count", [
    ("三口人", 3), ("3个人", 3), ("仨", 3), ("3", 3), ("３", 3), ("我们家五口", 5), ("一家四口", 4),
    ("就我一个", 1), ("就我自己", 1), ("一个人", 1), ("我一个人住", 1), ("就俺自己", 1), ("我自己", 1),
    ("俩人", 2), ("两个人吧", 2), ("老两口", 2), ("两口子", 2), ("我和老伴", 2), ("我跟我妈俩", 2),
    ("我们俩", 2), ("夫妻俩", 2), ("我们仨", 3), ("六口人", 6), ("家里5口人", 5), ("十二口人", 12),
    ("３口人", 3), ("一共4个人", 4), ("我家三口人，一个月两千", 3), ("20", 20),
    # groups named by kin: 爷仨, 娘儿俩, 俺俩
    ("俺们爷仨", 3), ("俺们娘仨", 3), ("姐俩", 2), ("俺们祖孙三个", 3), ("就剩俺俩了", 2),
    # everyone named, the speaker among them
    ("我和老伴还有儿子", 3), ("俺 老伴 还有个孙子", 3), ("俺跟俺妈还有俺闺女", 3), ("俺和俺老伴 再加上俺那个傻儿子", 3),
    ("俺们两口子加俩孩子", 4), ("两口子带个孩子", 3), ("俺和俩孩子", 3), ("我 我妈 我闺女 我外孙", 4),
    ("俺家老头 俺 还有个闺女", 3), ("俺们两口子想申请低保", 2),
    # a count first, then who they are
    ("三个 俺 俺老伴 俺家老疙瘩", 3), ("四口 儿子儿媳孙子和俺", 4),
    # what is true now, after a self-correction or after 现在 / 实际 / 剩
    ("两口 不对 三口", 3), ("四口 不对 五口 哦不对 六口", 6), ("以前五口 现在闺女嫁出去了 剩四口", 4),
    ("户口本上四个 实际在家过日子的就俺俩", 2), ("老伴走了 现在就剩俺一个了", 1), ("实际上就俺一个人", 1),
    # 口 typed by sound
    ("三扣人", 3), ("四口仁", 4),
    # alone, said of someone else or with why after it
    ("老太太自己过日子", 1), ("俺一个人生活", 1), ("就俺自己 老头前年没了", 1), ("就我自己 闺女嫁出去了", 1),
    ("就俺自己 还有个孙子", 2), ("老两口带个孙子", 3), ("俺们老两口和孙子", 3),
])
def test_people_counts(text, count):
    assert parse_people_count(text) == count


@pytest.mark.parametrize("text", [
    "", "不知道", "2500", "三千", "两千五", "我", "0", "25口人", "21", "一个月两千", "3个孩子",
    "第3", "低保", "没有", "老伴 儿子 儿媳", "俺俩孩子都上学", "孩子户口不在家算不算", "俺儿子在外地打工",
    "剩下的钱不多", "低保是按人头给吗", "嗯",
])
def test_not_people_counts(text):
    assert parse_people_count(text) is None
