"""The knowledge base loads, and every kind of inconsistency stops it with a message naming the problem."""
import shutil

import pytest
import yaml

from bot.knowledge.loader import KnowledgeError, load
from bot.knowledge.schema import ASPECTS
from bot.settings import ROOT


def test_real_knowledge_base_is_complete(kb):
    programmes = [p for p in kb.taxonomy["programmes"] if p != "none"]
    assert sorted(kb.programmes) == sorted(programmes)
    for programme in kb.programmes.values():
        assert all(programme.aspects[a] for a in ASPECTS)


def test_unverified_figures_name_a_year_and_a_secondary_source(kb):
    for programme in kb.programmes.values():
        for figure in programme.figures.values():
            if not figure.verified:
                assert figure.year >= 2020
                assert any(kb.documents[s.doc].trust == "secondary" for s in figure.sources)


@pytest.fixture
def broken(tmp_path):
    """A writable copy of policies/ and a function that edits one YAML file in it."""
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", target)

    def edit(name, change):
        path = target / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return target

    return edit


def _first_item(data):
    return data["aspects"]["eligibility"][0]


@pytest.mark.parametrize("change,message", [
    (lambda d: _first_item(d)["sources"][0].update(doc="不存在的文件"), "unknown document"),
    (lambda d: _first_item(d)["sources"][0].update(doc="社会救助暂行办法", article="第九百九十九条"),
     "does not occur"),
    (lambda d: _first_item(d).update(text=_first_item(d)["text"] + "{no_such_figure}"), "unknown figure"),
    (lambda d: d["aspects"].update(amount=[]), "aspect 'amount' has no item"),
    (lambda d: d.update(aliases=d["aliases"] + ["五保户"]), "alias or signal of both"),
    (lambda d: _first_item(d).pop("sources"), "sources"),
])
def test_inconsistencies_stop_loading(broken, change, message):
    policies = broken("dibao.yml", change)
    with pytest.raises(KnowledgeError, match=message):
        load(policies)


def test_unknown_programme_file_is_refused(broken, tmp_path):
    policies = broken("dibao.yml", lambda d: None)
    shutil.copy(policies / "dibao.yml", policies / "dibao2.yml")
    with pytest.raises(KnowledgeError, match="not a taxonomy programme"):
        load(policies)


def test_missing_programme_file_is_refused(broken):
    policies = broken("dibao.yml", lambda d: None)
    (policies / "tekun.yml").unlink()
    with pytest.raises(KnowledgeError, match="missing policies/tekun.yml"):
        load(policies)
