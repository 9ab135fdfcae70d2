"""Compose resident-facing answers from the knowledge base: phone-sized, sourced, with a way on.

An answer is at most two bubbles of `PHONE_CHARS` (the caller adds the way on as its own last bubble):
a short head, the items, the reference-standard qualifier once if a local figure was shown, and the
source as one short line at the end.
"""
from __future__ import annotations

from bot.knowledge.loader import FIGURE_REF, KnowledgeBase
from bot.knowledge.schema import Aspect, Document, Faq, Figure, Programme, SourceRef

ASPECT_LABELS: dict[str, str] = {
    "eligibility": "申请条件",
    "materials": "要带的材料",
    "process": "怎么办、去哪办、要多久",
    "amount": "能领多少",
}
PHONE_CHARS = 160        # one bubble on a phone (REPLY_CHUNK_CHARS)
SOURCE_LINE_CHARS = 46   # the source line: at most two or three lines of a 320 px screen
CONFIRM_WHERE = "以乡镇（街道）和市民政局最新公布为准"
SECONDARY_MARK = "（参考）"
# Units said the way people say them, so a text never reads "每人每月99元/人/月".
UNIT_WORDS = {"元/人/月": "每人每月{value}元", "元/月": "每月{value}元", "元/人/年": "每人每年{value}元",
              "元/年": "每年{value}元"}
_SENTENCE_END = "。；！？"
_QUALIFIER_AT = "\x00"  # where the qualifier goes, while the figures are filled in
_MIN_PIECE = 24          # a sentence shorter than this is not worth filling the end of a bubble with


# -- figures -------------------------------------------------------------------------------------
def render_value(figure: Figure) -> str:
    """The figure with its unit in words: 每人每月560元, 1.3倍, 30%."""
    pattern = UNIT_WORDS.get(figure.unit)
    return pattern.format(value=figure.value) if pattern else f"{figure.value}{figure.unit}"


def qualifier(figures: list[Figure]) -> str:
    """The one note an answer with local reference figures carries: their years and where to confirm."""
    years: list[str] = []
    for figure in figures:
        if not figure.verified and str(figure.year) not in years:
            years.append(str(figure.year))
    if not years:
        return ""
    return f"（{years[0]}年参考标准，{CONFIRM_WHERE}）" if len(years) == 1 else \
        f"（以上是{'、'.join(years)}年参考标准，{CONFIRM_WHERE}）"


def render_figure(figure: Figure) -> str:
    """One figure on its own, with its qualifier if it is unverified."""
    return render_value(figure) + qualifier([figure])


def figures_in(text: str, programme: Programme) -> list[Figure]:
    return [programme.figures[fid] for fid in FIGURE_REF.findall(text)]


def render_bare(text: str, programme: Programme) -> str:
    """The text with its figures filled in, without the qualifier (the answer adds it once)."""
    return FIGURE_REF.sub(lambda m: render_value(programme.figures[m.group(1)]), text)


def render(text: str, programme: Programme) -> str:
    """A text shown on its own: figures filled in, the qualifier once, after the last reference figure."""
    return render_texts([text], programme)[0]


def render_texts(texts: list[str], programme: Programme) -> list[str]:
    """Texts shown together (one answer): figures filled in; if any is a reference figure, the qualifier
    once, right after the last one."""
    shown = [figures_in(text, programme) for text in texts]
    note = qualifier([f for figures in shown for f in figures])
    if not note:
        return [render_bare(text, programme) for text in texts]
    last = max(n for n, figures in enumerate(shown) if any(not f.verified for f in figures))
    at = [m for m in FIGURE_REF.finditer(texts[last]) if not programme.figures[m.group(1)].verified][-1].end()
    texts = texts[:last] + [texts[last][:at] + _QUALIFIER_AT + texts[last][at:]] + texts[last + 1:]
    return [render_bare(text, programme).replace(_QUALIFIER_AT, note) for text in texts]


# -- the source line -----------------------------------------------------------------------------
def doc_name(doc: Document) -> str:
    """How a document is named to residents: its number if it has one (吉民发〔2025〕26号), else 《title》;
    a document seen only in reposts is marked as a reference."""
    name = doc.number or f"《{doc.title}》"
    return name + (SECONDARY_MARK if doc.trust == "secondary" else "")


def source_lines(refs: list[SourceRef], kb: KnowledgeBase, first: list[str] | None = None) -> list[str]:
    """Ways to name the sources in one short line, fullest first, "等" where some are left out: documents
    in order of first citation (those in `first`, the sources of the figures shown, ahead)."""
    cited: dict[str, list[str]] = {doc: [] for doc in (first or []) if any(r.doc == doc for r in refs)}
    for ref in refs:
        articles = cited.setdefault(ref.doc, [])
        if ref.article and ref.article not in articles:
            articles.append(ref.article)
    lines: list[str] = []
    for max_docs, max_articles in ((2, 2), (2, 1), (1, 2), (1, 1), (1, 0)):
        parts = [doc_name(kb.documents[doc]) + "、".join(articles[:max_articles])
                 + ("等" if len(articles) > max_articles else "") for doc, articles in list(cited.items())[:max_docs]]
        line = "依据：" + "；".join(parts)
        if len(cited) > max_docs and not line.endswith("等"):
            line += "等"
        if len(line) <= SOURCE_LINE_CHARS and line not in lines:
            lines.append(line)
    return lines or [line]


def source_line(refs: list[SourceRef], kb: KnowledgeBase, first: list[str] | None = None) -> str:
    """The fullest source line that fits SOURCE_LINE_CHARS."""
    return source_lines(refs, kb, first)[0]


# -- bubbles -------------------------------------------------------------------------------------
def _cut(text: str, room: int, marks: str) -> int:
    """The index just after the last mark that keeps text[:index] within room, or 0."""
    return max((text.rfind(mark, 0, room) + 1 for mark in marks), default=0) if room > 0 else 0


def pack(lines: list[str], limit: int = PHONE_CHARS) -> list[str]:
    """Bubbles of at most `limit` characters: whole lines where that takes no more bubbles, otherwise a
    line that does not fit continues in the next bubble, cut after a sentence (or else a comma)."""
    return min((_pack(lines, limit, fill) for fill in (False, True)), key=len)


def pack_with_source(body: list[str], sources: list[str], limit: int = PHONE_CHARS) -> list[str]:
    """The body and one of the source lines (fullest first): fewest bubbles, then whole lines, then the
    fullest source line."""
    options = [(len(bubbles), fill, rank, bubbles) for rank, line in enumerate(sources) for fill in (False, True)
               for bubbles in [_pack(body + [line], limit, fill)]]
    return min(options)[3]


def _pack(lines: list[str], limit: int, fill: bool) -> list[str]:
    bubbles: list[str] = []
    current = ""
    for line in lines:
        while line:
            sep = "\n" if current else ""
            room = limit - len(current) - len(sep)
            if len(line) <= room:
                current += sep + line
                break
            cut = _cut(line, room, _SENTENCE_END) if room > 0 and (fill or not current) else 0
            if cut < _MIN_PIECE and (fill or not current):
                cut = max(cut, _cut(line, room, "，、"))
            if cut < _MIN_PIECE and not current:
                cut = cut or room
            if cut >= _MIN_PIECE or (cut and not current):
                current += sep + line[:cut]
                line = line[cut:]
            bubbles.append(current)
            current = ""
    if current:
        bubbles.append(current)
    return bubbles


def compose(head: str, texts: list[str], refs: list[SourceRef], programme: Programme, kb: KnowledgeBase,
            limit: int = PHONE_CHARS) -> list[str]:
    """The head, the texts (one line each), the qualifier once after the last text that shows a reference
    figure, and the source line, packed into bubbles. A single text follows the head on its line."""
    lines = render_texts(texts, programme)
    first = [ref.doc for text in texts for f in figures_in(text, programme) if not f.verified for ref in f.sources]
    body = [head + lines[0]] if len(lines) == 1 else [head] + lines
    return pack_with_source(body, source_lines(refs, kb, first), limit)


def aspect_answer(kb: KnowledgeBase, programme_name: str, aspect: Aspect, limit: int = PHONE_CHARS) -> list[str]:
    """One programme's answer on one aspect (items numbered; who decides after them for eligibility)."""
    programme = kb.programme(programme_name)
    items = programme.aspects[aspect]
    texts = [f"{n}. {item.text}" if len(items) > 1 else item.text for n, item in enumerate(items, 1)]
    refs = [ref for item in items for ref in item.sources]
    if aspect == "eligibility":
        texts.append(programme.decides.text)
        refs += programme.decides.sources
    head = f"【{programme.short_name}·{ASPECT_LABELS[aspect]}】"
    return compose(head, texts, refs, programme, kb, limit)


def faq_answer(kb: KnowledgeBase, programme_name: str, faq: Faq, limit: int = PHONE_CHARS) -> list[str]:
    """A question the knowledge base answers word for word: its answer and its source line."""
    programme = kb.programme(programme_name)
    return compose(f"【{programme.short_name}·常见问题】", [faq.a], list(faq.sources), programme, kb, limit)


def summary_answer(kb: KnowledgeBase, programme_name: str, limit: int = PHONE_CHARS) -> list[str]:
    programme = kb.programme(programme_name)
    return compose(f"【{programme.short_name}】", [programme.summary.text], list(programme.summary.sources),
                   programme, kb, limit)


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
