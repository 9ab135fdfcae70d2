"""What the resident is told at the end of a pre-screen: the result, then where to go, what to bring,
how long it takes (all from the knowledge base, with sources), and the case number if referred.

Phone-sized like every answer: the result and the how-to each fit two bubbles with their source line,
and a receipt ends with the case number in its own last bubble, where the screen stops.
"""
from __future__ import annotations

import re

from bot.knowledge.answers import pack_with_source, render_texts, source_lines
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Item
from bot.screening.rules import Finding

OUTCOME_LABELS = {"likely": "很可能符合", "possible": "可能符合", "unknown": "还说不准"}
_TIMING = re.compile(r"\d+个?(?:工作日|日|天|月)")
DECIDES = "这只是初步看看，能不能办、能领多少，由乡镇（街道）和市民政局审核确认。"
CHECK_PROGRESS = "请记下来。查进度：回复“查进度”，或者发案件号和登记的手机号。"


def promising(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.outcome in ("likely", "possible", "unknown")]


def screening_messages(findings: list[Finding], kb: KnowledgeBase) -> list[str]:
    shown = [f for f in promising(findings) if f.outcome != "unknown"][:4]
    unknown = [f for f in promising(findings) if f.outcome == "unknown"]
    if not shown and not unknown:
        return ["按您说的情况，初步看各项救助都不太符合。\n" + DECIDES +
                "\n情况要是有变化（收入少了、有人生病、遇到急事），随时可以再来问，也可以到乡镇窗口当面问问。"]
    lines = ["按您说的情况，初步看："]
    said: set[str] = set()
    for n, finding in enumerate(shown, 1):
        name = kb.programme(finding.programme).short_name
        reasons = [r for r in finding.reasons if r not in said] or finding.reasons[:1]
        said.update(reasons)  # a reason two programmes share (the income) is said once
        lines.append(f"{n}. {name}（{OUTCOME_LABELS[finding.outcome]}）：{'；'.join(reasons)}")
    if unknown:
        names = "、".join(kb.programme(f.programme).short_name for f in unknown)
        lines.append(f"{names}：{unknown[0].reasons[0]}")
    refs = [ref for f in shown + unknown for item in kb.programme(f.programme).aspects["eligibility"]
            for ref in item.sources]
    return pack_with_source(lines + [DECIDES], source_lines(refs, kb))


def _timing_item(items: list[Item]) -> Item | None:
    """The item that says how long the whole procedure takes: the last one naming a time."""
    return next((item for item in reversed(items) if _TIMING.search(item.text)), None)


def how_to_apply(findings: list[Finding], kb: KnowledgeBase, intro: str = "", referred: bool = False) -> list[str]:
    """For the most promising programme: where to go (unless the case was referred there already), what to
    bring, how long; after `intro`, with the source line, packed into bubbles."""
    top = next((f for f in promising(findings) if f.outcome != "unknown"), None)
    programme = kb.programme(top.programme if top else "dibao")
    process, materials = programme.aspects["process"], programme.aspects["materials"]
    picked = [materials[0]] if referred else [process[0], materials[0]]
    timing = _timing_item(process)
    if timing is not None and timing not in picked:
        picked.append(timing)
    lines = [intro] if intro else []
    lines += [f"【{programme.short_name}·{'要准备什么' if referred else '怎么办'}】"]
    lines += [f"· {text}" for text in render_texts([item.text for item in picked], programme)]
    if timing is None:
        lines.append("· 要多久，请问乡镇（街道）窗口。")
    return pack_with_source(lines, source_lines([ref for item in picked for ref in item.sources], kb))


def receipt_messages(case_number: str, office: str, phone: str | None, findings: list[Finding],
                     kb: KnowledgeBase) -> list[str]:
    """Sent to whom, what to prepare, how long; the case number last, on its own."""
    call = f"窗口电话：{phone}。" if phone else "窗口电话我们还在核实，着急可以打12345问。"
    intro = f"已经把您的情况转给{office}了，工作人员会打电话联系您，请留意电话。{call}"
    return how_to_apply(findings, kb, intro, referred=True) + [f"您的案件号：{case_number}\n{CHECK_PROGRESS}"]


def no_referral_messages(findings: list[Finding], kb: KnowledgeBase) -> list[str]:
    return how_to_apply(findings, kb, "好的，不转了，您说的电话和情况我们不会交给别人。您可以自己去办：")
