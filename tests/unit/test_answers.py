"""Answers are composed from the knowledge base, carry their source, and fit a phone screen."""
from bot.knowledge.answers import aspect_answer, render_figure, source_line, split_for_phone, summary_answer
from bot.knowledge.schema import ASPECTS, Figure, SourceRef


def test_every_answer_names_its_source(kb):
    for name in kb.programmes:
        for aspect in ASPECTS:
            body, source = aspect_answer(kb, name, aspect)
            assert body.startswith(f"【{kb.programme(name).short_name}")
            assert source.startswith("依据：《")
        assert summary_answer(kb, name)[1].startswith("依据：《")


def test_no_unrendered_figure_reference_reaches_a_resident(kb):
    for name in kb.programmes:
        for aspect in ASPECTS:
            assert "{" not in "".join(aspect_answer(kb, name, aspect))


def test_unverified_figure_says_where_to_confirm():
    figure = Figure(label="x", value=560, unit="元/人/月", year=2024, verified=False,
                    sources=[SourceRef(doc="d")])
    assert render_figure(figure).startswith("560元/人/月（2024年参考标准")
    assert "以乡镇（街道）和市民政局最新公布为准" in render_figure(figure)
    assert render_figure(figure.model_copy(update={"verified": True})) == "560元/人/月"


def test_split_for_phone_keeps_everything_and_respects_the_limit():
    long_line = "这是一句很长的话。" * 40
    messages = ["第一行\n" + long_line, "短的"]
    parts = split_for_phone(messages, 100)
    assert all(len(p) <= 100 for p in parts)
    assert "".join(parts).replace("\n", "") == "".join(messages).replace("\n", "")
    assert parts[-1] == "短的"


def test_source_line_groups_articles_and_stays_short(kb):
    refs = [SourceRef(doc="最低生活保障审核确认办法", article=a) for a in ("第十五条", "第十六条", "第十五条", "第十七条",
                                                                "第十九条")]
    refs.append(SourceRef(doc="社会救助暂行办法", article="第九条"))
    refs.append(SourceRef(doc="关于改革完善社会救助制度的意见", article="22.建立完善主动发现机制"))
    line = source_line(refs, kb)
    assert line == "依据：《最低生活保障审核确认办法》第十五条、第十六条、第十七条等；《社会救助暂行办法》第九条等"


def test_every_source_line_fits_one_phone_message(kb):
    for name in kb.programmes:
        for aspect in ASPECTS:
            assert len(aspect_answer(kb, name, aspect)[1]) <= 90
