"""Shapes of the files in policies/ (see policies/README.md)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Aspect = Literal["eligibility", "materials", "process", "amount"]
ASPECTS: tuple[Aspect, ...] = ("eligibility", "materials", "process", "amount")
MAX_ITEM_CHARS = 160  # a rendered item must fit one phone screen line-block


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(Strict):
    doc: str
    article: str | None = None


class Item(Strict):
    text: str = Field(min_length=2, max_length=MAX_ITEM_CHARS)
    sources: list[SourceRef] = Field(min_length=1)


class Figure(Strict):
    label: str
    value: int | float | str
    unit: str = ""
    year: int
    verified: bool
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = None


class Faq(Strict):
    q: str
    a: str = Field(min_length=2, max_length=400)
    sources: list[SourceRef] = Field(min_length=1)


class Programme(Strict):
    programme: str
    name: str
    short_name: str
    aliases: list[str] = Field(min_length=1)
    signals: list[str] = []
    summary: Item
    aspects: dict[Aspect, list[Item]]
    decides: Item
    figures: dict[str, Figure] = {}
    faq: list[Faq] = []


class Document(Strict):
    title: str
    issuer: str | None = None
    date: str | None = None
    number: str | None = None
    trust: Literal["national", "secondary"]
    file: str | None = None
    note: str | None = None
