"""Map the model's finer intents onto taxonomy.yml (intent + aspect), and programmes onto names."""
from __future__ import annotations

import re

from bot.knowledge.loader import KnowledgeBase
from bot.text.normalize import fold
from bot.text.sound import sound

# model intent → (taxonomy intent, aspect); any other model intent maps onto itself with aspect none
FINER_INTENTS: dict[str, tuple[str, str]] = {
    "ask_policy": ("ask_policy", "none"),
    "ask_eligibility": ("ask_policy", "eligibility"),
    "ask_materials": ("ask_policy", "materials"),
    "ask_process": ("ask_policy", "process"),
    "ask_amount": ("ask_policy", "amount"),
    "choose_option": ("ask_policy", "none"),
}
FALLBACK_INTENT = "nlu_fallback"
# intents for which naming a programme (or a situation that points to one) is meaningful
PROGRAMME_INTENTS = {"ask_policy", "seek_help", "check_status", "report_other", "emergency", "complaint"}


def map_intent(model_intent: str | None, kb: KnowledgeBase) -> tuple[str, str]:
    intent, aspect = FINER_INTENTS.get(model_intent or "", (model_intent or "out_of_scope", "none"))
    if intent not in kb.taxonomy["intents"]:
        return "out_of_scope", "none"
    return intent, aspect


def programme_from_entities(entities: list[dict], kb: KnowledgeBase) -> str | None:
    """The canonical programme named in the message (model or lookup table), if any."""
    for entity in entities:
        if entity.get("entity") != "programme":
            continue
        value = str(entity.get("value") or "")
        if value in kb.programmes:
            return value
        found = match_words(value, kb.alias_index)
        if found:
            return found
    return None


def match_words(text: str, index: list[tuple[str, str]]) -> str | None:
    """First (longest) alias or signal that occurs in the folded text."""
    key = fold(text)
    for word, programme in index:
        if word and word in key:
            return programme
    return None


def heard_programme(text: str, kb: KnowledgeBase) -> str | None:
    """A programme's name typed as a homophone by voice input or a pinyin keyboard (临食救助, 高领补贴)."""
    heard = sound(fold(text))
    for alias, programme in kb.sound_index:
        if alias in heard:
            return programme
    return None


def named_programme(entities: list[dict], text: str, kb: KnowledgeBase) -> str | None:
    """The programme the message names: as the model or lookup table found it, else by its sound."""
    return programme_from_entities(entities, kb) or heard_programme(text, kb)


def safety_net_programme(danger_category: str | None, kb: KnowledgeBase) -> str | None:
    """The programme of a safety-net category (fire, no food … → linshi), from policies/emergency.yml."""
    return kb.emergency["categories"].get(danger_category or "", {}).get("programme")


# "低保户住院…", "低保家的孩子上学…": the household's status, not the programme asked about
STATUS = re.compile(r"(?:低保|特困|五保)(?:户|家庭|家|对象|人员|的)|吃低保的")


def beyond_status(programme: str | None, text: str, kb: KnowledgeBase) -> str | None:
    """Another programme the text asks about when the one named only says who the household is."""
    if programme not in ("dibao", "tekun") or not STATUS.search(text):
        return None
    rest = STATUS.sub("", text)
    other = match_words(rest, kb.alias_index) or match_words(rest, kb.signal_index)
    return other if other not in (None, programme) else None


def resolve_programme(intent: str, entities: list[dict], text: str, kb: KnowledgeBase,
                      danger_category: str | None = None) -> str:
    if intent not in PROGRAMME_INTENTS:
        return "none"
    named = named_programme(entities, text, kb)
    return (
        safety_net_programme(danger_category, kb)
        or beyond_status(named, text, kb)
        or named
        or match_words(text, kb.signal_index)
        or "none"
    )
