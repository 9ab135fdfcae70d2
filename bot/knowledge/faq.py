"""Find the knowledge base's own FAQ for a resident's question ("俺低保咋停了也没人跟俺唠" → the FAQ
"我的低保咋停了，也没人跟我说？"), so a question it answers exactly gets that answer, not the general one.

Matching is by shared character pairs, after folding, with programme names and "俺/咱" → "我" taken
out: most FAQs are one colloquial sentence, and a resident's paraphrase keeps most of its pairs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Faq
from bot.text.normalize import fold

MIN_SHARE = 0.5      # share of the FAQ question's character pairs found in the message
MIN_SHARED = 4       # and at least this many pairs (or all of a shorter FAQ's): not on a word or two
_PRONOUNS = re.compile(r"[俺咱]")
_FILLER = re.compile(r"(?:啊|呀|吧|呢|哦|嘛|啦|那个|就是|请问|问一下|想问|你好|您好)")


@dataclass(frozen=True)
class FaqMatch:
    programme: str
    faq: Faq
    share: float


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


class FaqIndex:
    def __init__(self, kb: KnowledgeBase):
        self._aliases = sorted({fold(a) for p in kb.programmes.values() for a in p.aliases if len(fold(a)) > 1},
                               key=len, reverse=True)
        self._entries = [(name, faq, _pairs(self._key(faq.q)))
                         for name, programme in kb.programmes.items() for faq in programme.faq]

    def _key(self, text: str) -> str:
        key = _FILLER.sub("", _PRONOUNS.sub("我", fold(text)))
        for alias in self._aliases:
            key = key.replace(alias, "")
        return key

    def find(self, text: str, programme: str | None = None) -> FaqMatch | None:
        """The best FAQ (of `programme` when one is known) whose question the text repeats enough."""
        pairs = _pairs(self._key(text))
        best: FaqMatch | None = None
        for name, faq, faq_pairs in self._entries:
            if programme is not None and name != programme or not faq_pairs:
                continue
            if programme is None and len(faq_pairs) < MIN_SHARED + 1:  # "每月给多少" alone names no programme
                continue
            shared = len(pairs & faq_pairs)
            share = shared / len(faq_pairs)
            enough = shared >= min(MIN_SHARED, len(faq_pairs)) and share >= MIN_SHARE
            if enough and (best is None or share > best.share):
                best = FaqMatch(name, faq, share)
        return best
