"""Compose resident-facing answers from the knowledge base: short, sourced, with a way on."""
from __future__ import annotations

from bot.knowledge.loader import FIGURE_REF, KnowledgeBase
from bot.knowledge.schema import Aspect, Faq, Figure, Programme, SourceRef

ASPECT_LABELS: dict[str, str] = {
    "eligibility": "申请条件",
    "materials": "要带的材料",
    "process": "怎么办、去哪办、要多久",
    "amount": "能领多少",
}
UNVERIFIED = "（参考标准，以乡镇（街道）和市民政局最新公布为准）"


def render_figure(figure: Figure) -> str:
    value = f"{figure.value}{figure.unit}"
    if figure.verified:
        return value
    return f"{value}（{figure.year}年参考标准，以乡镇（街道）和市民政局最新公布为准）"


def render(text: str, programme: Programme) -> str:
    return FIGURE_REF.sub(lambda m: render_figure(programme.figures[m.group(1)]), text)


SOURCE_LINE_CHARS = 90


def source_line(refs: list[SourceRef], kb: KnowledgeBase, max_docs: int = 2, max_articles: int = 3) -> str:
    """One short line: the documents in order of first citation, their articles grouped, "等" if cut
    (down to one document when two do not fit a phone line-block)."""
    articles: dict[str, list[str]] = {}
    for ref in refs:
        cited = articles.setdefault(ref.doc, [])
        if ref.article and ref.article not in cited:
            cited.append(ref.article)
    parts = []
    for doc_key, cited in list(articles.items())[:max_docs]:
        doc = kb.documents[doc_key]
        part = f"《{doc.title}》" + "、".join(cited[:max_articles]) + ("等" if len(cited) > max_articles else "")
        parts.append(part + ("（地方参考）" if doc.trust == "secondary" else ""))
    line = "依据：" + "；".join(parts)
    if len(articles) > max_docs and not line.endswith("等"):
        line += "等"
    if len(line) > SOURCE_LINE_CHARS and max_docs > 1:
        return source_line(refs, kb, 1, max_articles)
    return line


def aspect_answer(kb: KnowledgeBase, programme_name: str, aspect: Aspect) -> list[str]:
    """The answer body and its source line for one programme and aspect."""
    programme = kb.programme(programme_name)
    items = programme.aspects[aspect]
    lines = [f"【{programme.short_name}·{ASPECT_LABELS[aspect]}】"]
    numbered = len(items) > 1
    for n, item in enumerate(items, 1):
        lines.append(f"{n}. {render(item.text, programme)}" if numbered else render(item.text, programme))
    refs = [ref for item in items for ref in item.sources]
    if aspect == "eligibility":
        lines.append(render(programme.decides.text, programme))
        refs += programme.decides.sources
    return ["\n".join(lines), source_line(refs, kb)]


def faq_answer(kb: KnowledgeBase, programme_name: str, faq: Faq) -> list[str]:
    """A question the knowledge base answers word for word: its answer and its source line."""
    programme = kb.programme(programme_name)
    return [f"【{programme.short_name}·常见问题】{render(faq.a, programme)}", source_line(list(faq.sources), kb)]


def summary_answer(kb: KnowledgeBase, programme_name: str) -> list[str]:
    programme = kb.programme(programme_name)
    body = f"【{programme.short_name}】{render(programme.summary.text, programme)}"
    return [body, source_line(list(programme.summary.sources), kb)]


def split_for_phone(messages: list[str], limit: int) -> list[str]:
    """Split long messages on line, then sentence boundaries, so each fits a phone screen."""
    out: list[str] = []
    for message in messages:
        chunk = ""
        for piece in _pieces(message, limit):
            if chunk and len(chunk) + 1 + len(piece) > limit:
                out.append(chunk)
                chunk = piece
            else:
                chunk = f"{chunk}\n{piece}" if chunk else piece
        if chunk:
            out.append(chunk)
    return out


def _pieces(message: str, limit: int) -> list[str]:
    pieces: list[str] = []
    for line in message.split("\n"):
        while len(line) > limit:
            cut = max(line.rfind(mark, 0, limit) for mark in "。；！？，")
            cut = cut + 1 if cut > 0 else limit
            pieces.append(line[:cut])
            line = line[cut:]
        if line:
            pieces.append(line)
    return pieces
