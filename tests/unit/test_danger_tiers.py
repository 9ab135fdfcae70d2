"""Danger tiers: which messages alert staff, which are asked about first, which pass."""
import pytest

from bot.safety.net import SafetyNet
from bot.safety.tiers import CHECK, CONFIRMED, SAID_NO, SAID_YES, Thresholds, assess, emergency_score
from bot.settings import ROOT

NET = SafetyNet.from_file(ROOT / "policies" / "emergency.yml")
LIMITS = Thresholds(alert=0.9, check=0.3)  # fixed here; config.yml has the tuned values


def ranking(*pairs):
    return [{"name": name, "confidence": conf} for name, conf in pairs]


def test_emergency_score_skips_the_fallback_entry():
    assert emergency_score(ranking(("nlu_fallback", 0.55), ("emergency", 0.4), ("seek_help", 0.3))) == (0.4, True)
    assert emergency_score(ranking(("seek_help", 0.6), ("emergency", 0.35))) == (0.35, False)
    assert emergency_score([]) == (0.0, False)


@pytest.mark.parametrize("text,rank,tier,reason", [
    ("俺家老头子喝农药了", ranking(("seek_help", 0.9)), CONFIRMED, "safety_net:suicide"),   # the net wins
    ("那边不太对劲", ranking(("emergency", 0.95), ("seek_help", 0.03)), CONFIRMED, "model"),
    ("那边不太对劲", ranking(("emergency", 0.89), ("seek_help", 0.1)), CHECK, "watch:sos"),
    ("帮我看看这事", ranking(("emergency", 0.6), ("seek_help", 0.3)), CHECK, "model"),
    ("帮我看看这事", ranking(("seek_help", 0.6), ("emergency", 0.3)), CHECK, "model"),     # not top, still asked
    ("帮我看看这事", ranking(("seek_help", 0.7), ("emergency", 0.29)), None, None),
    ("我想吃火锅", ranking(("out_of_scope", 0.97), ("emergency", 0.01)), None, None),
    ("我家狗丢了", ranking(("out_of_scope", 0.8), ("emergency", 0.1)), None, None),
    ("俺叫老刘太太", ranking(("out_of_scope", 0.8), ("emergency", 0.05)), None, None),
    # a joke, a what-if, the past (the ninth blind set, read): asked first, never an alert, net or model
    ("股市又血崩了，亏得我想跳楼，哈哈不至于", ranking(("out_of_scope", 0.6)), CHECK, "watch:suicide"),
    ("今天忙得像着火了一样 哈哈", ranking(("emergency", 0.99)), CHECK, "model"),
    ("之前我闺女自杀未遂住过院，能报点医疗救助不", ranking(("ask_policy", 0.9)), CHECK, "watch:suicide"),
])
def test_tiers(text, rank, tier, reason):
    danger = assess(NET, text, rank, LIMITS)
    assert (danger.tier if danger else None, danger.reason if danger else None) == (tier, reason)


def test_a_high_score_that_is_not_the_top_intent_only_asks():
    danger = assess(NET, "说不清", ranking(("seek_help", 0.5), ("emergency", 0.45)), Thresholds(alert=0.4, check=0.3))
    assert danger.tier == CHECK


def test_the_residents_yes_confirms_and_no_is_believed():
    rank = ranking(("emergency", 0.5), ("seek_help", 0.4))
    assert assess(NET, "那边不太对劲", rank, LIMITS, said=SAID_YES).tier == CONFIRMED
    assert assess(NET, "那边不太对劲", rank, LIMITS, said=SAID_YES).category == "sos"
    assert assess(NET, "那边不太对劲", rank, LIMITS, said=SAID_NO) is None


def test_a_no_outweighs_the_models_certainty():
    """"前天夜里烟囱起的火" answering 急事: the model alone is sure; asked, the resident says nobody is in danger."""
    sure = ranking(("emergency", 0.97), ("seek_help", 0.02))
    assert assess(NET, "前天夜里烟囱起的火", sure, LIMITS).tier == CONFIRMED
    assert assess(NET, "前天夜里烟囱起的火", sure, LIMITS, said=SAID_NO) is None
    assert assess(NET, "低保咋申请", ranking(("ask_process", 0.99)), LIMITS, said=SAID_YES).tier == CONFIRMED


def test_score_is_reported():
    assert assess(NET, "帮我看看这事", ranking(("emergency", 0.6)), LIMITS).score == 0.6


def test_config_thresholds_are_ordered_and_match_the_fallback_classifier():
    import yaml

    pipeline = {c["name"].rsplit(".", 1)[-1]: c for c in
                yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]}
    overrides = pipeline["RuleOverrides"]
    assert 0 < overrides["check_confidence"] < overrides["alert_confidence"] <= 1
    assert overrides["fallback_threshold"] == pipeline["FallbackClassifier"]["threshold"]


def test_the_default_thresholds_are_probabilities_with_asking_below_alerting():
    default = Thresholds()
    assert 0 < default.check < default.alert <= 1


def test_a_score_exactly_at_a_threshold_counts():
    at_alert = assess(NET, "帮我看看这事", ranking(("emergency", 0.9), ("seek_help", 0.1)), LIMITS)
    at_check = assess(NET, "帮我看看这事", ranking(("emergency", 0.3), ("seek_help", 0.7)), LIMITS)
    assert (at_alert.tier, at_alert.reason, at_check.tier, at_check.reason) == (CONFIRMED, "model", CHECK, "model")


def test_a_yes_to_the_danger_question_is_the_residents_word_not_the_models():
    danger = assess(NET, "帮我看看这事", ranking(("seek_help", 0.9), ("emergency", 0.05)), LIMITS, said=SAID_YES)
    assert (danger.tier, danger.reason, danger.category) == (CONFIRMED, "resident", None)


def test_a_ranking_entry_without_confidence_counts_as_zero():
    assert emergency_score([{"name": "emergency"}, {"name": "seek_help", "confidence": 0.2}]) == (0.0, True)
    assert emergency_score([{"name": "emergency", "confidence": None}]) == (0.0, True)


def test_what_the_engine_sends_the_app_about_danger():
    # RuleOverrides puts this in the parse result; the app reads tier, category and score from it.
    danger = assess(NET, "俺家老头子喝农药了", ranking(("seek_help", 0.7), ("emergency", 0.25)), LIMITS)
    assert danger.as_dict() == {"tier": CONFIRMED, "reason": "safety_net:suicide", "category": "suicide",
                                "score": 0.25}
    watched = assess(NET, "那边不太对劲", ranking(("seek_help", 0.9)), LIMITS)
    assert watched.as_dict() == {"tier": CHECK, "reason": "watch:sos", "category": "sos", "score": 0.0}


# A pre-screen answer can name danger in passing (着火了 answering 有没有遇到急事). Mid-form, the app asks first
# about these categories and a "no" lets the answer through; the others alert whatever the resident said.
ASKED_FIRST_MID_FORM = [("家里着火了", "fire"), ("水淹进屋了", "flood"), ("我爸摔倒了起不来", "medical"),
                        ("今晚没地方住", "no_shelter"), ("家里一口吃的都没有了", "no_food"),
                        ("俺家没煤了 老太太冻得直哆嗦", "cold")]
ALERT_AT_ONCE = [("我不想活了", "suicide"), ("他天天打我", "violence"), ("屋里煤烟中毒了快来人", "gas"),
                 ("孩子不见了", "missing")]


@pytest.mark.parametrize("text,category", ASKED_FIRST_MID_FORM)
def test_a_no_to_the_question_lets_an_answer_naming_hardship_through(text, category):
    quiet = ranking(("seek_help", 0.9))
    first = assess(NET, text, quiet, LIMITS)
    assert (first.tier, first.category) == (CONFIRMED, category)
    assert assess(NET, text, quiet, LIMITS, said=SAID_NO) is None
    assert assess(NET, text, quiet, LIMITS, said=SAID_YES).tier == CONFIRMED


@pytest.mark.parametrize("text,category", ALERT_AT_ONCE)
def test_danger_to_life_alerts_even_after_a_no(text, category):
    danger = assess(NET, text, ranking(("seek_help", 0.9)), LIMITS, said=SAID_NO)
    assert (danger.tier, danger.reason, danger.category) == (CONFIRMED, f"safety_net:{category}", category)
