"""What the review reads from the model's own files: the intents a reviewer may choose (domain/*.yml), the
fallback threshold (config.yml); each read once."""
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


@lru_cache(maxsize=4)
def fallback_threshold(config: Path = ROOT / "config.yml") -> float:
    """The FallbackClassifier's threshold (config.yml): below it the engine answers with nlu_fallback."""
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    for component in data.get("pipeline") or []:
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return 0.3
