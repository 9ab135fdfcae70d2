"""Load policies/ and refuse to start on anything a resident could be misled by.

Checks: every taxonomy programme has a file and no file names an unknown one; every source names a
document of sources.yml; every national article literally occurs in that document's text; every
{figure} reference exists; no alias or signal belongs to two programmes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import ValidationError

from bot.knowledge import referrals
from bot.knowledge.referrals import ReferralFacts
from bot.knowledge.schema import ASPECTS, Document, Item, Programme, SourceRef
from bot.settings import ROOT, get_settings
from bot.text.normalize import fold
from bot.text.sound import sound

FIGURE_REF = re.compile(r"\{([a-z0-9_]+)\}")
HAN_ONLY = re.compile(r"[\u4e00-\u9fff]{3,}")
NON_PROGRAMME_FILES = {"sources.yml", "contacts.yml", "emergency.yml", "shuangliao-divisions.yml", *referrals.FILES}


class KnowledgeError(ValueError):
    """The knowledge base is inconsistent; the message lists every problem found."""


@dataclass(frozen=True)
class KnowledgeBase:
    programmes: dict[str, Programme]
    documents: dict[str, Document]
    contacts: dict[str, Any]
    emergency: dict[str, Any]
    taxonomy: dict[str, Any]
    referrals: ReferralFacts   # the referral queue's time limits and notices (bot.knowledge.referrals)
    alias_index: list[tuple[str, str]] = field(default_factory=list)   # (folded alias, programme), longest first
    signal_index: list[tuple[str, str]] = field(default_factory=list)
    sound_index: list[tuple[str, str]] = field(default_factory=list)   # (sound of an alias, programme), longest first

    def programme(self, name: str) -> Programme:
        return self.programmes[name]

    @property
    def programme_order(self) -> list[str]:
        """Taxonomy order, which is also the order of the numbered menu."""
        return [p for p in self.taxonomy["programmes"] if p in self.programmes]


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path.name}: not valid YAML: {exc}") from exc


def _sources_of(programme: Programme) -> Iterable[tuple[str, SourceRef]]:
    items: list[tuple[str, Item]] = [("summary", programme.summary), ("decides", programme.decides)]
    items += [(f"aspects.{a}", i) for a, lst in programme.aspects.items() for i in lst]
    for where, item in items:
        for ref in item.sources:
            yield where, ref
    for fid, fig in programme.figures.items():
        for ref in fig.sources:
            yield f"figures.{fid}", ref
    for n, faq in enumerate(programme.faq):
        for ref in faq.sources:
            yield f"faq[{n}]", ref


def _texts_of(programme: Programme) -> Iterable[tuple[str, str]]:
    yield "summary", programme.summary.text
    yield "decides", programme.decides.text
    for aspect, items in programme.aspects.items():
        for item in items:
            yield f"aspects.{aspect}", item.text
    for n, faq in enumerate(programme.faq):
        yield f"faq[{n}]", faq.a


def check_ref(ref: SourceRef, documents: dict[str, Document], texts: dict[str, str]) -> str | None:
    doc = documents.get(ref.doc)
    if doc is None:
        return f"unknown document '{ref.doc}'"
    if doc.trust == "national":
        if not ref.article:
            return f"'{ref.doc}' is national: cite an article"
        if ref.article not in texts[ref.doc]:
            return f"'{ref.article}' does not occur in '{ref.doc}'"
    return None


def load(policies_dir: Path | None = None, taxonomy_path: Path | None = None) -> KnowledgeBase:
    base = Path(policies_dir or get_settings().policies_dir)
    taxonomy = _read(Path(taxonomy_path or ROOT / "taxonomy.yml"))
    problems: list[str] = []

    documents: dict[str, Document] = {}
    for key, raw in (_read(base / "sources.yml") or {}).get("documents", {}).items():
        try:
            documents[key] = Document(**raw)
        except ValidationError as exc:
            problems.append(f"sources.yml {key}: {exc}")
    texts: dict[str, str] = {}
    for key, doc in documents.items():
        if doc.trust == "national":
            path = base / (doc.file or "")
            if not doc.file or not path.is_file():
                problems.append(f"sources.yml {key}: national document needs an existing file")
                texts[key] = ""
            else:
                texts[key] = path.read_text(encoding="utf-8")

    known = [p for p in taxonomy["programmes"] if p != "none"]
    programmes: dict[str, Programme] = {}
    for path in sorted(base.glob("*.yml")):
        if path.name in NON_PROGRAMME_FILES:
            continue
        raw = _read(path) or {}
        name = raw.get("programme")
        if name not in known or path.stem != name:
            problems.append(f"{path.name}: programme '{name}' is not a taxonomy programme named like its file")
            continue
        try:
            programmes[name] = Programme(**raw)
        except ValidationError as exc:
            problems.append(f"{path.name}: {exc}")
    problems += [f"missing policies/{p}.yml" for p in known if not (base / f"{p}.yml").exists()]

    owners: dict[str, str] = {}
    for name, programme in programmes.items():
        for aspect in ASPECTS:
            if not programme.aspects.get(aspect):
                problems.append(f"{name}.yml: aspect '{aspect}' has no item")
        for where, ref in _sources_of(programme):
            error = check_ref(ref, documents, texts)
            if error:
                problems.append(f"{name}.yml {where}: {error}")
        for where, text in _texts_of(programme):
            for fid in FIGURE_REF.findall(text):
                if fid not in programme.figures:
                    problems.append(f"{name}.yml {where}: unknown figure {{{fid}}}")
        for word in list(programme.aliases) + list(programme.signals):
            key = fold(word)
            if owners.get(key, name) != name:
                problems.append(f"'{word}' is an alias or signal of both {owners[key]} and {name}")
            owners[key] = name

    contacts = _read(base / "contacts.yml") or {}
    for hotline in contacts.get("hotlines", []):
        for raw in hotline.get("sources", []):
            error = check_ref(SourceRef(**raw), documents, texts)
            if error:
                problems.append(f"contacts.yml {hotline.get('number')}: {error}")
    for n, raw in enumerate(contacts.get("rights", [])):
        try:
            right = Item(**raw)
        except ValidationError as exc:
            problems.append(f"contacts.yml rights[{n}]: {exc}")
            continue
        for ref in right.sources:
            error = check_ref(ref, documents, texts)
            if error:
                problems.append(f"contacts.yml rights[{n}]: {error}")
    emergency = _read(base / "emergency.yml") or {}
    for category, spec in emergency.get("categories", {}).items():
        if category not in emergency.get("advice", {}):
            problems.append(f"emergency.yml: no advice for category {category}")
        if spec.get("programme", "none") not in taxonomy["programmes"]:
            problems.append(f"emergency.yml {category}: unknown programme '{spec['programme']}'")

    queue_facts = referrals.load(base, programmes, lambda ref: check_ref(ref, documents, texts), problems)

    if problems:
        raise KnowledgeError("policies/ is inconsistent:\n- " + "\n- ".join(problems))

    order = {name: n for n, name in enumerate(known)}

    def index(attr: str) -> list[tuple[str, str]]:
        """Longest word first; equal lengths in taxonomy order, so a tie always resolves alike."""
        pairs = {(fold(w), p.programme) for p in programmes.values() for w in getattr(p, attr)}
        return sorted(pairs, key=lambda pair: (-len(pair[0]), order[pair[1]], pair[0]))

    return KnowledgeBase(programmes, documents, contacts, emergency, taxonomy, queue_facts, index("aliases"),
                         index("signals"), sound_index(programmes, order))


def sound_index(programmes: dict[str, Programme], order: dict[str, int]) -> list[tuple[str, str]]:
    """The aliases as they sound, for names typed as homophones (临食救助, 一疗救助, 高领补贴). Only names
    of three characters or more: two syllables alone recur in everyday words (餐补 ~ 残补, 就在 ~ 救灾)."""
    pairs = {(sound(a), p.programme) for p in programmes.values() for a in p.aliases if HAN_ONLY.fullmatch(a)}
    owners: dict[str, set[str]] = {}
    for heard, name in pairs:
        owners.setdefault(heard, set()).add(name)
    return sorted(((heard, name) for heard, name in pairs if len(owners[heard]) == 1),
                  key=lambda pair: (-len(pair[0]), order[pair[1]], pair[0]))


@lru_cache
def get_kb() -> KnowledgeBase:
    return load()
