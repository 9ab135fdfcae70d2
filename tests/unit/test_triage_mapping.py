"""From the engine's parse (its real JSON shape) to the taxonomy contract."""
import pytest

from bot.triage.service import from_parse


def parse(intent, confidence=0.9, entities=(), ranking=None, override=None, danger=None):
    data = {
        "text": "…",
        "intent": {"name": intent, "confidence": confidence},
        "entities": list(entities),
        "intent_ranking": ranking or [{"name": intent, "confidence": confidence}],
    }
    if override:
        data["rule_override"] = override
    if danger:
        data["danger"] = danger
    return data


def net_hit(category):
    """What RuleOverrides adds when the safety net confirms danger."""
    return {"override": f"safety_net:{category}",
            "danger": {"tier": "confirmed", "reason": f"safety_net:{category}", "category": category, "score": 0.1}}


def entity(value, extractor="DIETClassifier", start=0, end=2):
    return {"entity": "programme", "value": value, "start": start, "end": end, "extractor": extractor,
            "confidence_entity": 0.99}


@pytest.mark.parametrize("model_intent,intent,aspect", [
    ("ask_eligibility", "ask_policy", "eligibility"),
    ("ask_materials", "ask_policy", "materials"),
    ("ask_process", "ask_policy", "process"),
    ("ask_amount", "ask_policy", "amount"),
    ("ask_policy", "ask_policy", "none"),
    ("seek_help", "seek_help", "none"),
    ("greet", "greet", "none"),
    ("something_new", "out_of_scope", "none"),
])
def test_finer_intents_map_onto_taxonomy(kb, model_intent, intent, aspect):
    t = from_parse(parse(model_intent), "…", kb)
    assert (t.intent, t.aspect) == (intent, aspect)


def test_fallback_reports_best_guess_as_low_confidence(kb):
    ranking = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "ask_amount", "confidence": 0.31},
               {"name": "greet", "confidence": 0.2}]
    t = from_parse(parse("nlu_fallback", 0.45, ranking=ranking), "…", kb)
    assert (t.intent, t.aspect, t.confidence, t.low_confidence) == ("ask_policy", "amount", 0.31, True)


def test_programme_from_entity_deduplicated_across_extractors(kb):
    t = from_parse(parse("ask_eligibility", entities=[entity("dibao"), entity("dibao", "RegexEntityExtractor")]),
                   "低保要啥条件", kb)
    assert t.programme == "dibao"
    assert len(t.entities) == 1


def test_programme_from_situation_words_when_none_is_named(kb):
    signal = kb.programme("yiliao").signals[0]
    t = from_parse(parse("seek_help"), f"家里{signal}没钱了", kb)
    assert t.programme == "yiliao"


def test_no_programme_on_chatter_even_with_signal_words(kb):
    signal = kb.programme("yiliao").signals[0]
    assert from_parse(parse("out_of_scope"), f"{signal}", kb).programme == "none"


def test_emergency_is_urgent_with_replies_to_read_out(kb):
    t = from_parse(parse("emergency", 1.0, **net_hit("suicide")), "我不想活了", kb)
    assert t.urgency == "high" and t.rule_override == "safety_net:suicide"
    assert any("110" in line or "120" in line for line in t.suggested_replies)
    assert 2 <= len(t.suggested_replies) <= 3


@pytest.mark.parametrize("intent", ["greet", "ask_policy", "seek_help", "complaint", "report_other",
                                    "check_status", "request_human", "out_of_scope"])
def test_every_intent_has_short_suggested_replies(kb, intent):
    replies = from_parse(parse(intent, entities=[entity("tekun")]), "…", kb).suggested_replies
    assert 1 <= len(replies) <= 3 and all(0 < len(r) <= 160 for r in replies)


def test_sudden_hardship_emergency_points_to_linshi(kb):
    t = from_parse(parse("emergency", 1.0, **net_hit("no_food")), "三天没吃饭了", kb)
    assert t.programme == "linshi"
    assert from_parse(parse("emergency", 1.0, **net_hit("suicide")), "不想活了", kb).programme == "none"


def test_uncertain_danger_is_an_emergency_to_ask_about_not_to_act_on(kb):
    danger = {"tier": "check", "reason": "watch:cold", "category": "cold", "score": 0.42}
    t = from_parse(parse("seek_help", 0.5, danger=danger), "屋里冷得很 俺妈在炕上", kb)
    assert (t.intent, t.urgency, t.low_confidence, t.confidence) == ("emergency", "check", True, 0.42)
    assert t.programme == "linshi"  # the watched category's programme


def test_model_confirmed_danger_is_urgent(kb):
    danger = {"tier": "confirmed", "reason": "model", "category": None, "score": 0.97}
    t = from_parse(parse("emergency", 0.97, danger=danger), "说不清的事", kb)
    assert (t.intent, t.urgency, t.low_confidence) == ("emergency", "high", False)


def test_an_emergency_intent_without_danger_is_not_urgent(kb):
    """Only RuleOverrides' confirmation makes urgency high (and alerts staff)."""
    assert from_parse(parse("emergency", 0.97), "…", kb).urgency != "high"


@pytest.mark.parametrize("text,named,expected", [
    ("低保户住院自己得掏多少钱", "dibao", "yiliao"),
    ("低保家的孩子上学学费能免不", "dibao", "jiaoyu"),
    ("低保户能申请临时救助吗", "dibao", "linshi"),
    ("低保户每月能领多少", "dibao", "dibao"),
    ("住院了能办低保不", "dibao", "dibao"),          # 低保 is what is asked about here
    ("特困户每月给多少", "tekun", "tekun"),
])
def test_a_status_named_in_passing_does_not_hide_the_programme_asked_about(kb, text, named, expected):
    from bot.triage.taxonomy import resolve_programme

    assert resolve_programme("ask_policy", [entity(named)], text, kb) == expected


@pytest.mark.parametrize("text,expected", [
    ("临食救助最多能给几千", "linshi"),          # voice input: 食 for 时
    ("林时就助在哪申请", "linshi"),
    ("一疗救助去民政还是医保局办", "yiliao"),
    ("高领补贴八十岁给多钱", "laoren"),
    ("卫房改造要啥手续", "zhufang"),
    ("残疾人两像补贴去哪申请", "canji"),
    ("臨時救助要啥资料", "linshi"),              # traditional characters
    ("教育救住要啥才料", "jiaoyu"),
])
def test_a_programme_typed_as_a_homophone_is_heard(kb, text, expected):
    """No entity: the lookup table only knows the spellings written down."""
    t = from_parse(parse("ask_policy"), text, kb)
    assert t.programme == expected


@pytest.mark.parametrize("text", [
    "电动车以旧换新补多少钱",      # 以旧 ~ 医救 (two syllables)
    "上班的餐补要交税吗",          # 餐补 ~ 残补
    "种粮补贴打到哪个卡上了",      # 粮补 ~ 两补
    "劳务报酬咋扣税",              # 务报 ~ 五保
    "孩子就在屯子西边",            # 就在 ~ 救灾
])
def test_two_syllables_alone_are_not_taken_for_a_programme(kb, text):
    assert from_parse(parse("ask_policy"), text, kb).programme == "none"
