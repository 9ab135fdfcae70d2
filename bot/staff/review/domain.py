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


@lru_cache(maxsize=4)
def entities(domain_dir: Path = ROOT / "domain") -> tuple[str, ...]:
    """The entities the model knows (domain/*.yml): the names a reviewer may annotate a turn with."""
    names: set[str] = set()
    for path in sorted(domain_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("entities") or []:
            names.add(next(iter(item)) if isinstance(item, dict) else str(item))
    return tuple(sorted(names))


@lru_cache(maxsize=4)
def entity_values(taxonomy: Path = ROOT / "taxonomy.yml") -> dict[str, dict[str, str]]:
    """Entity → its fixed values and their Chinese names, where the taxonomy lists them (`programme` → its
    `programmes`, without `none`: no entity is annotated for "no programme"). An entity not here takes the span."""
    data = yaml.safe_load(taxonomy.read_text(encoding="utf-8")) or {}
    return {name: {code: str(label).split("（")[0] for code, label in (data.get(f"{name}s") or {}).items()
                   if code != "none"}
            for name in entities() if isinstance(data.get(f"{name}s"), dict)}
