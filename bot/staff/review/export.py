"""`bot review export`: the intents reviewers corrected → `nlu_data/review/<date>.yml`, Rasa 3 NLU data that the
next `rasa train --data nlu_data` reads with the rest.

Each corrected turn's text goes under its corrected intent (a turn whose entities alone were corrected: under the
model's intent, which the reviewer left standing), its entities annotated the Rasa way (`[低保]{"entity": "programme",
"value": "dibao"}`, `[span](entity)`) on the masked text, unless
- it still holds personal data: a masked number (`*`, the engine masks at publish) or anything bot.privacy.mask
  would mask now, or entity mark-up Rasa would read as an annotation;
- it repeats another correction or an example already in nlu_data under the same intent (a duplicate, dropped);
- it is the same text under another intent, in nlu_data or among the corrections (a conflict: listed in the
  command's output for a person to settle, left out);
- it is an utterance of the held-out evaluation sets (tests/data/heldout/*.jsonl): training on it would make
  `make eval`'s figures after retraining look better than the model is;
- its intent is not one the model can learn (not in domain/, e.g. nlu_fallback): listed, left out.
Texts are compared with whitespace removed and full-width letters and digits folded (NFKC).

A 12345 agent's corrected wrap-up (bot/staff/wrapups.py) is exported the same way under the agent's intent, from
the caller's words as typed during the call: a whole call, so first each part of it that holds personal data (a
number, as above, or a name the caller gave: 我叫王桂芝) is cut out (`spoken`); what is left goes through the rules
above like any correction (nothing left: listed as personal data).
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from bot.privacy.mask import mask
from bot.staff.review.entities import annotate
from bot.text.contact import parse_person_name

_ANNOTATION = re.compile(r"\[[^\]]*\]\s*[({]")   # [text](entity) / [text]{"entity": …}
_EXAMPLE = re.compile(r"^\s*-\s?(.*)$")
_STRIP_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_PART_BREAK = re.compile(r"([\s，,。！!？?；;]+)")   # kept by re.split: the parts' own punctuation stays
_NAME_CUE = re.compile(r"叫|姓|名字")


def key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


@dataclass(frozen=True)
class Correction:
    text: str
    intent: str
    where: str = ""        # e.g. "review:12#3", for the output
    entities: tuple = ()   # {"entity", "value", "start", "end"} on `text` as given (bot/staff/review/entities.py)


@dataclass
class Result:
    examples: dict[str, list[str]] = field(default_factory=dict)    # intent → texts, in order
    duplicates: list[Correction] = field(default_factory=list)
    conflicts: list[tuple[Correction, str]] = field(default_factory=list)   # (correction, the other intent)
    personal: list[Correction] = field(default_factory=list)
    held_out: list[Correction] = field(default_factory=list)
    unknown_intent: list[Correction] = field(default_factory=list)   # not an intent of the domain

    @property
    def count(self) -> int:
        return sum(len(texts) for texts in self.examples.values())


def existing_examples(nlu_dir: Path, skip: Path | None = None) -> dict[str, set[str]]:
    """Normalised text → the intents it is an example of, across every NLU file under `nlu_dir`."""
    found: dict[str, set[str]] = {}
    for path in sorted(nlu_dir.rglob("*.yml")):
        if skip is not None and path.resolve() == skip.resolve():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or [] if isinstance(data, dict) else []:
            if not isinstance(item, dict) or "intent" not in item:
                continue
            for line in str(item.get("examples") or "").splitlines():
                match = _EXAMPLE.match(line)
                if match and match.group(1).strip():
                    text = _STRIP_ANNOTATION.sub(r"\1", match.group(1).strip())
                    found.setdefault(key(text), set()).add(str(item["intent"]))
    return found


def held_out_texts(folder: Path) -> set[str]:
    """Normalised texts of the held-out evaluation sets (JSON lines with a "text")."""
    texts: set[str] = set()
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.add(key(str(json.loads(line).get("text") or "")))
    return texts


def personal(text: str) -> bool:
    return "*" in text or "＊" in text or mask(text) != text


def _gives_a_name(part: str) -> bool:
    return bool(_NAME_CUE.search(part)) and parse_person_name(part) is not None


def spoken(text: str) -> str:
    """A call's words without the parts that hold personal data (a number, a name given), "" if none are left."""
    pieces = _PART_BREAK.split(text)
    kept: list[str] = []
    for part, gap in zip(pieces[::2], [*pieces[1::2], ""]):
        if part and not personal(part) and not _gives_a_name(part):
            kept += [part, gap]
    return "".join(kept).strip(" \t\n，,；;")


def select(corrections: Iterable[Correction], existing: dict[str, set[str]],
           held_out: set[str] = frozenset(), intents: Iterable[str] | None = None) -> Result:
    """`intents`: the domain's (None: any). Texts are compared without their annotation; the example written
    carries it."""
    result = Result()
    known = set(intents) if intents is not None else None
    annotated: dict[int, str] = {}
    spaced = []
    for c in corrections:
        if c.text.strip():
            n = Correction(" ".join(c.text.split()), c.intent, c.where, c.entities)
            annotated[id(n)] = " ".join(annotate(c.text, list(c.entities)).split())
            spaced.append(n)
    corrections = spaced
    wanted: dict[str, set[str]] = {}
    for c in corrections:
        wanted.setdefault(key(c.text), set()).add(c.intent)
    seen: set[str] = set()
    for c in corrections:
        k = key(c.text)
        if personal(c.text) or _ANNOTATION.search(c.text):
            result.personal.append(c)
            continue
        if k in held_out:
            result.held_out.append(c)
            continue
        if known is not None and c.intent not in known:
            result.unknown_intent.append(c)
            continue
        others = (existing.get(k, set()) | wanted[k]) - {c.intent}
        if others:
            result.conflicts.append((c, "、".join(sorted(others))))
        elif k in seen or c.intent in existing.get(k, set()):
            result.duplicates.append(c)
        else:
            seen.add(k)
            result.examples.setdefault(c.intent, []).append(annotated[id(c)])
    return result


def render(result: Result) -> str:
    lines = ['version: "3.1"', "# corrected in 会话审阅 (bot review export); do not edit by hand, correct in the console",
             "nlu:"]
    for intent in sorted(result.examples):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in result.examples[intent]]  # a literal block: no quoting
    return "\n".join(lines) + "\n"


def write(result: Result, out_dir: Path, day: date) -> Path | None:
    """nlu_data/review/<day>.yml (replaced), or nothing when no example is left."""
    path = out_dir / f"{day.isoformat()}.yml"
    if not result.count:
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(render(result), encoding="utf-8")
    return path
