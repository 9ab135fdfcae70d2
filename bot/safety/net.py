"""Keyword/regex safety net: wording that means danger to life right now.

It runs beside the model, in the engine (as the last NLU component) and in the app (when the
engine is down), from one data file: `policies/emergency.yml`. A match wins over the model,
whatever its confidence: missing an emergency costs far more than a needless safety message.
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


class SafetyNet:
    def __init__(self, categories: list[Category]):
        self.categories = categories

    @classmethod
    def from_file(cls, path: str | Path) -> "SafetyNet":
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        categories = []
        for name, spec in data["categories"].items():
            patterns = tuple(re.compile(p) for p in spec["patterns"])
            if not patterns:
                raise ValueError(f"safety net category {name} has no patterns")
            unless = tuple(re.compile(p) for p in spec.get("unless", []))
            categories.append(Category(name, spec["label"], patterns, unless))
        return cls(categories)

    def match(self, text: str) -> Category | None:
        """The first category whose wording occurs in the text, or None."""
        key = fold(text)
        if not key:
            return None
        for category in self.categories:
            if any(p.search(key) for p in category.patterns) and not any(u.search(key) for u in category.unless):
                return category
        return None
