"""Numbered options the resident answers by number or in words ("1 5", "老人和病人", "都没有")."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.forms.engine import Parsed
from bot.text.normalize import fold

NONE_WORDS = ("都没有", "都不是", "没有", "没", "无", "不是", "都没", "没这些", "没有这些")


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    words: tuple[str, ...] = ()  # what people say instead of the number


@dataclass(frozen=True)
class Choices:
    options: tuple[Option, ...]
    multiple: bool = False
    none_option: bool = False  # "0 都没有"

    def render(self) -> str:
        lines = [f"{n} {o.label}" for n, o in enumerate(self.options, 1)]
        if self.none_option:
            lines.append("0 都没有")
        return "\n".join(lines)

    def label(self, key: str) -> str:
        return next(o.label for o in self.options if o.key == key)

    def _by_number(self, text: str) -> list[str] | None:
        digits = re.sub(r"[\s,，、和与跟及还有。.；;]+", " ", unicodedata.normalize("NFKC", text)).strip()
        if not re.fullmatch(r"[0-9 ]+", digits or "x"):
            return None
        numbers = [int(d) for d in re.findall(r"[0-9]", digits)]
        if any(n > len(self.options) for n in numbers) or (0 in numbers and not self.none_option):
            return None
        if not self.multiple and len(set(numbers)) != 1:
            return None
        return [] if 0 in numbers else [self.options[n - 1].key for n in dict.fromkeys(numbers)]

    def parse(self, text: str, example: str) -> Parsed:
        """A list of keys (multiple) or one key; [] / None for "none"; error with the menu otherwise."""
        picked = self._by_number(text)
        if picked is None:
            key = fold(text)
            picked = [o.key for o in self.options if any(fold(w) in key for w in (o.label, *o.words))]
            if not picked and self.none_option and any(key.startswith(w) for w in NONE_WORDS):
                picked = []
            elif not picked:
                return Parsed(error=f"没看明白，请回复前面的数字，比如“{example}”：\n{self.render()}")
        if self.multiple:
            return Parsed(value=picked)
        if not picked and self.none_option:
            return Parsed(value="none")
        if len(picked) != 1:
            return Parsed(error=f"请只选一个，回复数字就行：\n{self.render()}")
        return Parsed(value=picked[0])
