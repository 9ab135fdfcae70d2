"""Issue 9's WeChat residents through the simulator (signed as WeChat signs) and the real engine:
menu buttons and new requests win over a pending question, answers in words reach a summary."""
import uuid

import pytest

from tests.wechat.test_gateway import keys, sent_to, wechat  # noqa: F401 (fixtures)

pytestmark = pytest.mark.engine


def openid() -> str:
    return "o" + uuid.uuid4().hex[:27]


def said(wechat, user: str, text: str) -> str:  # noqa: F811
    return wechat(lambda sim: sim.send_text(user, text)).passive or ""


def test_no_case_number_after_the_status_button_then_applying(wechat):  # noqa: F811
    user = openid()
    assert "案件号" in wechat(lambda sim: sim.send_event(user, "CLICK", "STATUS")).passive
    answer = said(wechat, user, "俺不知道啥案件号 俺想申请低保")
    assert "没找到案件号" not in answer and "住在哪个乡镇" in answer


def test_the_apply_button_mid_status_look_up_wins(wechat):  # noqa: F811
    user = openid()
    wechat(lambda sim: sim.send_event(user, "CLICK", "STATUS"))  # two taps in one second: told apart by key
    assert "住在哪个乡镇" in wechat(lambda sim: sim.send_event(user, "CLICK", "APPLY")).passive


def test_a_pre_screen_in_words_on_wechat(wechat, live_app_url):  # noqa: F811
    user = openid()
    wechat(lambda sim: sim.send_event(user, "CLICK", "APPLY"))
    for text in ("双山镇秀水村", "俺和老伴俩人", "俩人养老金一个月六七百", "俺们俩都七十多了",
                 "闺女也困难 管不了", "没有"):
        said(wechat, user, text)
    said(wechat, user, "没车 也没别的房子 存款也没有")
    summary = said(wechat, user, "不是低保户")
    if "正在享受" not in summary:  # a long answer: the passive reply holds the start, the rest follows
        summary += "\n".join(sent_to(live_app_url, user, wait_s=3))
    assert "我记下的是这些" in summary and "家里财产：都没有" in summary and "正在享受：都没有" in summary
    result = said(wechat, user, "嗯呐") + "\n".join(sent_to(live_app_url, user, wait_s=3))
    assert "初步看" in result
