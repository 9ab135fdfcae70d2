"""The divisions of 双辽 below county level, read from policies/shuangliao-divisions.yml (fixed at start)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DIVISIONS_FILE = "shuangliao-divisions.yml"  # in the policies folder (settings.policies_dir)


def office_name(name: str, kind: str) -> str:
    """The township's social-assistance window, as residents are told to look for it."""
    seat = "办事处" if kind == "街道" else "人民政府"
    return f"{name}{seat}社会救助窗口"


@dataclass(frozen=True)
class Division:
    """A township or street (乡镇/街道): 统计用区划代码, name, kind (街道 | 镇 | 乡), other names, and its
    communities and villages (communities first)."""

    code: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    @property
    def office(self) -> str:
        return office_name(self.name, self.kind)


@dataclass(frozen=True)
class Gazetteer:
    divisions: tuple[Division, ...]

    def get(self, code: str | None) -> Division | None:
        return next((d for d in self.divisions if d.code == code), None)


@lru_cache
def load(path: Path) -> Gazetteer:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return Gazetteer(tuple(
        Division(code=str(entry["code"]), name=entry["name"], kind=entry["kind"],
                 aliases=tuple(entry.get("aliases") or ()),
                 places=tuple(entry.get("communities") or ()) + tuple(entry.get("villages") or ()))
        for entry in data["townships"]))
