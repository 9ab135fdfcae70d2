"""Normalise resident text before rule matching: script (traditional → simplified), width, case, spaces,
punctuation."""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

_TRADITIONAL = Path(__file__).with_name("traditional.tsv")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")
_SPACE_PUNCT = re.compile(r"[\s\.,!?;:'\"`~、，。！？；：“”‘’（）()【】\[\]《》<>…—\-_~·]+")


def clean(text: str) -> str:
    """Drop control and zero-width characters, fold runs of whitespace. Keeps the message readable."""
    text = _CONTROL.sub("", text or "")
    return re.sub(r"\s+", " ", text).strip()


@functools.cache
def _to_simplified() -> dict[int, str]:
    rows = (line.split("\t") for line in _TRADITIONAL.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#"))
    return {ord(traditional): simple for traditional, simple in rows}


# 著 is simplified too (著名, 著作), but a phone set to 繁體 types it for 着: 找不著, 著火, 睡著了
_ZHE = re.compile(r"著(?![名作者书述称])")


def simplified(text: str) -> str:
    """Traditional characters as simplified ones, one for one (the length stays): a phone set to 繁體 types
    "煤氣中毒", "自殺", "進度查一下", which the net, the parsers and the model know in simplified form."""
    return _ZHE.sub("着", (text or "").translate(_to_simplified()))


def fold(text: str) -> str:
    """A matching key: simplified, NFKC (full-width → half-width), lower case, no spaces or punctuation."""
    return _SPACE_PUNCT.sub("", unicodedata.normalize("NFKC", simplified(clean(text))).lower())


def has_words(text: str) -> bool:
    """False for messages of only emoji, punctuation or symbols: nothing for the model to read."""
    return any(ch.isalnum() for ch in text)
