"""The sender-id scheme, in one value: what the engine, the inbox and every store call a conversation."""
import pytest

from bot.channels.sender import OTHER, WEBCHAT, WECHAT, Sender


@pytest.mark.parametrize("conversation_id,channel,own_id,openid,staff", [
    ("wx-oAbC123_-x", WECHAT, "oAbC123_-x", "oAbC123_-x", True),
    ("web-Zx9_kq", WEBCHAT, "Zx9_kq", None, True),
    ("tester", OTHER, "tester", None, False),
    ("wxfoo", OTHER, "wxfoo", None, False),     # the prefix has its dash
    ("webby-1", OTHER, "webby-1", None, False),
])
def test_parse_and_back(conversation_id, channel, own_id, openid, staff):
    sender = Sender.parse(conversation_id)
    assert (sender.channel, sender.id, sender.openid, sender.staff_can_reply) == (channel, own_id, openid, staff)
    assert sender.conversation_id == conversation_id == str(sender)


def test_built_from_the_channels_own_ids():
    assert Sender.wechat("oX").conversation_id == "wx-oX"
    assert Sender.web("abc").conversation_id == "web-abc"
    assert Sender.parse(Sender.web("wx-looks-like-wechat").conversation_id).channel == WEBCHAT
