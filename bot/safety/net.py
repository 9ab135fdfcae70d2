"""Keyword/regex safety net: wording that means danger to life right now, or may mean it.

It runs beside the model, in the engine (as the last NLU component) and in the app (when the
engine is down), from one data file: `policies/emergency.yml`. Two strengths per category:
`patterns` confirm danger whatever the model says (missing an emergency costs far more than a
needless safety message); `watch` patterns only make the assistant ask first ("is anyone in danger
now?"), because the same words also turn up in harmless messages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.text.normalize import fold


@dataclass(frozen=True)
class Category:
    name: str
    label: str
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]  # a policy question about a past event is not an emergency
    watch: tuple[re.Pattern[str], ...] = ()

    def _clear(self, key: str) -> bool:
        return not any(u.search(key) for u in self.unless)

    def confirms(self, key: str) -> bool:
        return any(p.search(key) for p in self.patterns) and self._clear(key)

    def suggests(self, key: str) -> bool:
        return any(p.search(key) for p in self.watch) and self._clear(key)


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


class SafetyNet:
    def __init__(self, categories: list[Category], not_real: tuple[re.Pattern[str], ...] = (),
                 ask_first: tuple[re.Pattern[str], ...] = ()):
        self.categories = categories
        self.not_real = not_real  # fiction, games, dreams: silence every category
        self.ask_first = ask_first  # jokes, what-ifs, the past: confirming wording only asks first

    @classmethod
    def from_file(cls, path: str | Path) -> "SafetyNet":
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        categories = []
        for name, spec in data["categories"].items():
            patterns = _compile(spec["patterns"])
            if not patterns:
                raise ValueError(f"safety net category {name} has no patterns")
            categories.append(Category(name, spec["label"], patterns, _compile(spec.get("unless", [])),
                                       _compile(spec.get("watch", []))))
        return cls(categories, _compile(data.get("not_real", [])), _compile(data.get("ask_first", [])))

    def _key(self, text: str) -> str:
        key = fold(text)
        return "" if any(p.search(key) for p in self.not_real) else key

    def _confirmed(self, key: str) -> Category | None:
        return next((c for c in self.categories if key and c.confirms(key)), None)

    def _asks_first(self, key: str) -> bool:
        return bool(key) and any(p.search(key) for p in self.ask_first)

    def asks_first(self, text: str) -> bool:
        """A joke, a what-if, trivia or the past: danger in these words is asked about, never alerted at once."""
        return self._asks_first(self._key(text))

    def match(self, text: str) -> Category | None:
        """The first category whose confirming wording occurs in the text, or None."""
        key = self._key(text)
        return None if self._asks_first(key) else self._confirmed(key)

    def watch(self, text: str) -> Category | None:
        """The first category whose wording suggests danger without confirming it, or None. Confirming
        wording said as a joke, a what-if or about the past ("亏得我想跳楼 哈哈不至于") is asked about."""
        key = self._key(text)
        if self._asks_first(key):
            demoted = self._confirmed(key)
            if demoted is not None:
                return demoted
        return next((c for c in self.categories if key and c.suggests(key)), None)
