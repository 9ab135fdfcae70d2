"""Every local figure carries the year and trust level its source gives it, and residents are shown both.

- The year: the figure's `year` (and any year in its id or label) is the year its documents name in
  `policies/sources.yml` (document number, else title, else date), and the year `shared/policy/FACTS.md`
  gives it (the statement next to the figure's value in that file).
- The trust level: a figure is `verified` only if all its documents are national texts; FACTS.md's
  "secondary" figures are unverified.
- Shown: every text that shows a figure says its year before it; the answer carries the reference-standard
  qualifier with that year, and its source line names the figure's document, marked 参考 when secondary.
"""
from __future__ import annotations

import dataclasses
import re

import pytest

from bot.knowledge.answers import SECONDARY_MARK, aspect_answer, doc_name, faq_answer, render_bare, render_value
from bot.knowledge.loader import FIGURE_REF, KnowledgeBase
from bot.knowledge.schema import ASPECTS
from bot.settings import ROOT

FACTS_MD = ROOT.parent / "shared" / "policy" / "FACTS.md"
YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")

# What FACTS.md says of each local figure: (year, trust, the words that state it there).
FACTS = {
    "dibao_urban_2024": (2024, "secondary", "560 tier"),
    "dibao_urban_2022": (2022, "secondary", "urban 550"),
    "dibao_rural_2022": (2022, "secondary", "rural 410"),
    "tekun_basic_multiple": (2022, "secondary", "1.3×"),
    "tekun_care_full": (2022, "secondary", "30%"),
    "tekun_care_half": (2022, "secondary", "20%"),
    "tekun_care_self": (2022, "secondary", "10%"),
    "canji_living_2025": (2025, "secondary", "99 and 93"),
    "canji_care_2025": (2025, "secondary", "99 and 93"),
}


def doc_year(kb: KnowledgeBase, key: str) -> int | None:
    doc = kb.documents[key]
    for text in (doc.number, doc.title, doc.date):
        found = YEAR.search(text or "")
        if found:
            return int(found.group(1))
    return None


def source_problems(kb: KnowledgeBase) -> list[str]:
    """Year and trust of every figure against sources.yml and the table above."""
    problems = []
    figures = {fid: f for p in kb.programmes.values() for fid, f in p.figures.items()}
    problems += [f"{fid}: not in the FACTS table of this test" for fid in figures if fid not in FACTS]
    for fid, figure in figures.items():
        named = [int(y) for y in YEAR.findall(f"{fid} {figure.label}")]
        problems += [f"{fid}: id or label says {y}, year is {figure.year}" for y in named if y != figure.year]
        for ref in figure.sources:
            year = doc_year(kb, ref.doc)
            if year != figure.year:
                problems.append(f"{fid}: year {figure.year}, but its source {ref.doc} is of {year}")
        national = all(kb.documents[ref.doc].trust == "national" for ref in figure.sources)
        if figure.verified != national:
            problems.append(f"{fid}: verified={figure.verified} but its sources are "
                            f"{'all national' if national else 'not all national'}")
        if fid in FACTS:
            year, trust, _ = FACTS[fid]
            if figure.year != year or (trust == "secondary") == figure.verified:
                problems.append(f"{fid}: {figure.year}, verified={figure.verified}; FACTS.md: {year}, {trust}")
    return problems


def shown_problems(kb: KnowledgeBase) -> list[str]:
    """What residents see: the year before each figure, the qualifier with it, the source named."""
    problems = []
    for name, programme in kb.programmes.items():
        answers = [(f"{name}.{a}", [i.text for i in programme.aspects[a]], aspect_answer(kb, name, a))
                   for a in ASPECTS]
        answers += [(f"{name}.faq“{faq.q}”", [faq.a], faq_answer(kb, name, faq)) for faq in programme.faq]
        for where, texts, bubbles in answers:
            shown = "\n".join(bubbles)
            for text in texts:
                bare = render_bare(text, programme)
                for fid in FIGURE_REF.findall(text):
                    figure = programme.figures[fid]
                    before = bare[:bare.find(render_value(figure))]
                    if f"{figure.year}年" not in before:
                        problems.append(f"{where}: {fid} is shown without its year {figure.year} before it")
                    if figure.verified:
                        continue
                    if not re.search(rf"（(以上是)?[0-9、]*{figure.year}[0-9、]*年参考标准", shown):
                        problems.append(f"{where}: no “{figure.year}年参考标准” qualifier for {fid}")
                    source = shown.split("\n")[-1]
                    if not any(doc_name(kb.documents[r.doc]) in source for r in figure.sources):
                        problems.append(f"{where}: the source line does not name {fid}'s document: {source}")
    return problems


def test_every_figure_has_the_year_and_trust_of_its_source(kb):
    assert not source_problems(kb), "\n".join(source_problems(kb))


def test_residents_see_each_figures_year_and_that_it_is_a_reference(kb):
    assert not shown_problems(kb), "\n".join(shown_problems(kb))


def test_secondary_documents_are_marked_in_the_source_line(kb):
    for key, doc in kb.documents.items():
        assert doc_name(doc).endswith(SECONDARY_MARK) == (doc.trust == "secondary"), key


@pytest.mark.skipif(not FACTS_MD.exists(), reason="shared/policy/FACTS.md is not beside this checkout")
def test_the_facts_table_matches_facts_md():
    """Each figure's statement in FACTS.md: the value in it, the nearest year before it in the same bullet,
    and 'secondary' in that bullet."""
    bullets = re.split(r"\n(?=\s*- )", FACTS_MD.read_text(encoding="utf-8"))
    for fid, (year, trust, words) in FACTS.items():
        found = [b for b in bullets if words in b]
        assert len(found) == 1, f"{fid}: '{words}' is in {len(found)} bullets of FACTS.md"
        before = found[0][:found[0].index(words)]
        assert YEAR.findall(before)[-1] == str(year), f"{fid}: FACTS.md gives it as {YEAR.findall(before)[-1]}"
        assert trust in found[0], fid


def test_facts_table_values_are_the_knowledge_bases(kb):
    figures = {fid: f for p in kb.programmes.values() for fid, f in p.figures.items()}
    for fid, (_, _, words) in FACTS.items():
        assert str(figures[fid].value) in words, fid


def _with_figure(kb: KnowledgeBase, programme: str, fid: str, **update) -> KnowledgeBase:
    p = kb.programme(programme)
    figures = {**p.figures, fid: p.figures[fid].model_copy(update=update)}
    return dataclasses.replace(kb, programmes={**kb.programmes, programme: p.model_copy(update={"figures": figures})})


def test_a_wrong_year_fails(kb):
    """The slip issue 9 found: 特困 1.3× labelled 2024 and cited to the 2024 notice."""
    p = kb.programme("tekun")
    refs = [r.model_copy(update={"doc": "吉林省2024年城乡低保标准指导意见（第三方转载）"})
            for r in p.figures["tekun_basic_multiple"].sources]
    wrong = _with_figure(kb, "tekun", "tekun_basic_multiple", year=2024, sources=refs)
    assert any("FACTS.md: 2022" in problem for problem in source_problems(wrong))
    assert any("tekun_basic_multiple" in problem and "year" in problem
               for problem in shown_problems(_with_figure(kb, "tekun", "tekun_basic_multiple", year=2024)))


def test_a_secondary_figure_marked_verified_fails(kb):
    wrong = _with_figure(kb, "canji", "canji_living_2025", verified=True)
    assert any("verified=True" in problem for problem in source_problems(wrong))
