"""Normalise resident text before rule matching: width, case, spaces, punctuation."""
from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")
_SPACE_PUNCT = re.compile(r"[\s\.,!?;:'\"`~、，。！？；：“”‘’（）()【】\[\]《》<>…—\-_~·]+")


def clean(text: str) -> str:
    """Drop control and zero-width characters, fold runs of whitespace. Keeps the message readable."""
    text = _CONTROL.sub("", text or "")
    return re.sub(r"\s+", " ", text).strip()


def fold(text: str) -> str:
    """A matching key: NFKC (full-width → half-width), lower case, no spaces or punctuation."""
    return _SPACE_PUNCT.sub("", unicodedata.normalize("NFKC", clean(text)).lower())


def has_words(text: str) -> bool:
    """False for messages of only emoji, punctuation or symbols: nothing for the model to read."""
    return any(ch.isalnum() for ch in text)
