"""Which township a resident means: "双山镇", "双山", "秀水村", "我在卧虎镇同乐村", "双山秀水"."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from bot.gazetteer.divisions import Division
from bot.text.normalize import fold
from bot.text.sound import sound as _sound

T = TypeVar("T")
_TOWNSHIP_SUFFIXES = ("蒙古族乡", "街道", "镇", "乡")
_PLACE_SUFFIXES = ("社区", "村")
# A village the gazetteer lacks (柳条乡 and others are incomplete), named right after its township.
_UNLISTED = re.compile(r"\|的?((?![的那这哪一俺我他咱本同邻])[\u4e00-\u9fff]{2,3}?(?:村|社区))")


@dataclass(frozen=True)
class PlaceMatch:
    township: Division
    place: str | None   # the village or community named, if any
    urban: bool | None  # community → urban, village → rural, township alone → not known


def _short(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def match_places(text: str, townships: Iterable[Division]) -> list[PlaceMatch]:
    """Every township the text may mean, best first. A named township narrows a village name that
    exists in two townships; a short name ("双山") counts only when nothing longer matched."""
    key = fold(text)
    townships = list(townships)
    if not key:
        return []
    named: list[Division] = []
    places: list[PlaceMatch] = []
    for township in townships:
        names = [township.name, *(township.aliases or [])]
        if any(fold(n) in key or fold(_short(n, _TOWNSHIP_SUFFIXES)) in key for n in names):
            named.append(township)
        for place in township.places:
            if fold(place) in key:
                places.append(PlaceMatch(township, place, urban=place.endswith("社区")))
    if not named:  # "卧乎镇", "茂琳镇": a homophone of the whole name (the short one is too short to guess on)
        named = _uniquely(t for t in townships if any(_sound(n) in _sound(key) for n in [t.name, *(t.aliases or [])]
                                                    if len(n) >= 3))
    if named:
        within = _longest([p for p in places if p.township in named] or _within(key, named))
        return within or [PlaceMatch(t, None, urban=True if t.kind == "街道" else None) for t in named]
    if places:
        return _longest(places)
    heard = _sounds_like(key, [(t, p, p) for t in townships for p in t.places])  # "九加子村" for 九家子村
    if heard:
        return heard
    # "同乐" without 村: try the bare village names last (they are short and collide more)
    loose = []
    for township in townships:
        for place in township.places:
            short = _short(place, _PLACE_SUFFIXES)
            if len(short) >= 2 and fold(short) == key:
                loose.append(PlaceMatch(township, place, urban=place.endswith("社区")))
    return loose


def _names(township: Division) -> list[str]:
    """Every name of the township, full and short, longest first (cut 双山镇 before 双山)."""
    names = [township.name, *(township.aliases or [])]
    every = {fold(n) for n in names} | {fold(_short(n, _TOWNSHIP_SUFFIXES)) for n in names}
    return sorted(every, key=len, reverse=True)


def _within(key: str, named: list[Division]) -> list[PlaceMatch]:
    """A village of a named township said without 村 ("双山秀水", "卧虎报马"), or one the list lacks
    ("柳条乡红石村"): the township's own name is cut out first, so 兴隆镇 alone is not 兴隆村."""
    found: list[PlaceMatch] = []
    for township in named:
        rest = key
        for name in _names(township):
            rest = rest.replace(name, "|")
        found += [PlaceMatch(township, place, urban=place.endswith("社区")) for place in township.places
                  if len(_short(place, _PLACE_SUFFIXES)) >= 2 and fold(_short(place, _PLACE_SUFFIXES)) in rest]
        if not found:  # "卧虎九加子", "茂林镇美力村": a homophone typed for the village's name
            found = _sounds_like(rest, [(township, place, _short(place, _PLACE_SUFFIXES)) for place in township.places
                                        if len(_short(place, _PLACE_SUFFIXES)) >= 2], cut=_names(township))
        unlisted = None if found else _UNLISTED.search(rest)
        if unlisted:
            found.append(PlaceMatch(township, unlisted.group(1), urban=unlisted.group(1).endswith("社区")))
    return found


def _sounds_like(key: str, candidates: list[tuple[Division, str, str]], cut: Iterable[str] = ()) -> list[PlaceMatch]:
    """Places whose name (the words given for each) sounds like part of the key, once the sounds of `cut` (the
    township's names, "卧乎镇" said for 卧虎镇) are taken out, so the township is not read as its own village."""
    said = _sound(key)
    for name in cut:
        said = said.replace(_sound(name), " | ")
    heard = [(PlaceMatch(township, place, urban=place.endswith("社区")), _sound(words))
             for township, place, words in candidates if _sound(words) in said]
    # "前留家子村" sounds like 前六家子 and, inside it, 六家子: the longer name is the one said
    return _uniquely(match for match, sound in heard if not any(sound != other and sound in other for _, other in heard))


def _longest(found: list[PlaceMatch]) -> list[PlaceMatch]:
    """"卧虎镇前六家子村" names 前六家子村, not the 六家子村 inside it."""
    def inside(m: PlaceMatch, o: PlaceMatch) -> bool:
        return bool(m.place and o.place and m.place != o.place and o.township == m.township
                    and fold(_short(m.place, _PLACE_SUFFIXES)) in fold(o.place))
    return [m for m in found if not any(inside(m, o) for o in found)]


def _uniquely(found: Iterable[T]) -> list[T]:
    """The one match, or none: a near-miss guessed between two places would send the case to the wrong one."""
    found = list(dict.fromkeys(found))
    return found if len(found) == 1 else []
