"""What the resident is told at the end of a pre-screen: the result, then where to go, what to bring,
how long it takes (all from the knowledge base, with sources), and the case number if referred."""
from __future__ import annotations

import re

from bot.knowledge.answers import render, source_line
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Item
from bot.screening.rules import Finding

OUTCOME_LABELS = {"likely": "很可能符合", "possible": "可能符合，要窗口核实", "unknown": "还说不准"}
_TIMING = re.compile(r"\d+个?(?:工作日|日|天|月)")
CHECK_PROGRESS = "查进度：随时回复“查进度”，或者发案件号和登记的手机号。"


def promising(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.outcome in ("likely", "possible", "unknown")]


def screening_messages(findings: list[Finding], kb: KnowledgeBase) -> list[str]:
    shown = [f for f in promising(findings) if f.outcome != "unknown"][:4]
    unknown = [f for f in promising(findings) if f.outcome == "unknown"]
    decides = "这只是初步看看，能不能办、能领多少，最后由乡镇（街道）和市民政局审核确认。"
    if not shown and not unknown:
        return ["按您说的情况，初步看各项救助都不太符合。\n" + decides +
                "\n情况要是有变化（收入少了、有人生病、遇到急事），随时可以再来问，也可以到乡镇窗口当面问问。"]
    lines = ["按您说的情况，初步看："]
    for n, finding in enumerate(shown, 1):
        name = kb.programme(finding.programme).short_name
        lines.append(f"{n}. {name}（{OUTCOME_LABELS[finding.outcome]}）：{'；'.join(finding.reasons)}")
    if unknown:
        names = "、".join(kb.programme(f.programme).short_name for f in unknown)
        lines.append(f"{names}：{unknown[0].reasons[0]}")
    refs = [ref for f in shown + unknown for item in kb.programme(f.programme).aspects["eligibility"]
            for ref in item.sources]
    return ["\n".join(lines), decides + "\n" + source_line(refs, kb)]


def _timing_item(items: list[Item]) -> Item | None:
    return next((item for item in items if _TIMING.search(item.text)), None)


def how_to_apply(findings: list[Finding], kb: KnowledgeBase) -> list[str]:
    """Where to go, what to bring and how long, for the most promising programme."""
    top = next((f for f in promising(findings) if f.outcome != "unknown"), None)
    programme = kb.programme(top.programme if top else "dibao")
    process, materials = programme.aspects["process"], programme.aspects["materials"]
    picked = [process[0], materials[0]]
    timing = _timing_item(process)
    if timing is not None and timing not in picked:
        picked.append(timing)
    lines = [f"【{programme.short_name}·怎么办】"] + [f"· {render(item.text, programme)}" for item in picked]
    if timing is None:
        lines.append("· 要多久，请问乡镇（街道）窗口。")
    return ["\n".join(lines), source_line([ref for item in picked for ref in item.sources], kb)]


def receipt_messages(case_number: str, office: str, phone: str | None, findings: list[Finding],
                     kb: KnowledgeBase) -> list[str]:
    call = f"窗口电话：{phone}。" if phone else "窗口电话我们还在核实，着急可以打12345问。"
    first = (f"已经把您的情况转给{office}了。\n案件号：{case_number}（请记下来）\n"
             f"工作人员会打电话联系您，请留意电话。{call}")
    return [first] + how_to_apply(findings, kb) + [CHECK_PROGRESS]


def no_referral_messages(findings: list[Finding], kb: KnowledgeBase) -> list[str]:
    return ["好的，不转了，您说的电话和情况我们不会交给别人。您可以自己去办："] + how_to_apply(findings, kb)
