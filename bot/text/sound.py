"""How words sound, blurred the way residents' typing blurs them.

Voice input and pinyin keyboards write a homophone for the word meant: 九加子 for 九家子, 临食救助 for
临时救助, 高领补贴 for 高龄补贴. Matching on sound finds what was meant, offline (pypinyin's own tables).
"""
from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import lazy_pinyin

_BLUR = ((re.compile(r"^([zcs])h"), r"\1"), (re.compile(r"([ie])ng$"), r"\1n"))  # 平翘舌 and 前后鼻音, mixed up by many


@lru_cache(maxsize=4096)
def sound(word: str) -> str:
    """The word's syllables without tones, e.g. ' jiu jia zi ' for both 九家子 and 九加子; spaces at both
    ends so that `in` matches whole syllables only."""
    syllables = []
    for syllable in lazy_pinyin(word):
        for pattern, plain in _BLUR:
            syllable = pattern.sub(plain, syllable)
        syllables.append(syllable)
    return " " + " ".join(syllables) + " "
