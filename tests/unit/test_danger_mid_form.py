"""Mid-form danger: words an answer uses in passing ("着火了 全烧了" to 有没有遇到急事) are asked about first;
a "no" lets the answer through; words of the other categories alert whatever the resident said."""
import pytest

from bot.safety.net import SafetyNet
from bot.safety.tiers import ASK_FIRST_IN_FORM, CONFIRMED, SAID_NO, SAID_YES, Thresholds, assess
from bot.settings import ROOT

NET = SafetyNet.from_file(ROOT / "policies" / "emergency.yml")
QUIET = [{"name": "seek_help", "confidence": 0.9}]


@pytest.mark.parametrize("text", ["着火了 苞米楼子连着房子全烧了", "家里着火了"])
def test_a_fire_named_in_an_answer_passes_once_the_resident_says_no_danger(text):
    first = assess(NET, text, QUIET, Thresholds())
    assert first is not None and first.tier == CONFIRMED and first.category in ASK_FIRST_IN_FORM
    assert assess(NET, text, QUIET, Thresholds(), said=SAID_NO) is None
    assert assess(NET, text, QUIET, Thresholds(), said=SAID_YES).tier == CONFIRMED


@pytest.mark.parametrize("text", ["我不想活了", "俺家老头子喝农药了"])
def test_other_danger_alerts_whatever_was_said(text):
    danger = assess(NET, text, QUIET, Thresholds(), said=SAID_NO)
    assert danger is not None and danger.tier == CONFIRMED and danger.category not in ASK_FIRST_IN_FORM
