"""The intents a reviewer may choose: the domain's (domain/*.yml), read once."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bot.settings import ROOT


@lru_cache(maxsize=4)
def intents(domain_dir: Path = ROOT / "domain") -> tuple[str, ...]:
    names: set[str] = set()
    for path in sorted(domain_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("intents") or []:
            names.add(next(iter(item)) if isinstance(item, dict) else str(item))
    return tuple(sorted(names))
