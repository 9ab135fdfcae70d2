"""A reviewed conversation as a Rasa 3 test story (`rasa test core --stories tests/stories`): each resident turn as
its masked text (entities annotated) and the intent as corrected, then the actions the engine ran, with the forms'
`active_loop` steps. Slot values are left out: they hold what residents told the forms (names, phones, places),
and no slot of this domain influences the conversation. Pure: no database.

    problems = check(turns, intents)                 # a turn a story cannot hold, in words for the reviewer
    text = render([(conversation, turns), ...])      # one YAML file of stories
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timezone
from pathlib import Path

import yaml

from bot.privacy.mask import mask
from bot.staff.audit import CHINA
from bot.staff.review.entities import MARKUP, annotate, effective
from bot.staff.review.models import ReviewConversation, ReviewTurn

DEFAULT_INTENTS = {"nlu_fallback"}   # Rasa adds it to every domain; the FallbackClassifier predicts it


def intent_of(turn: ReviewTurn) -> str:
    return turn.corrected_intent or turn.intent or ""


def check(turns: Sequence[ReviewTurn], intents: Iterable[str]) -> list[str]:
    """Why these turns cannot be a test story: none at all, or an intent the domain does not have."""
    if not turns:
        return ["这个会话没有居民说的话，不能存为测试故事"]
    known = set(intents) | DEFAULT_INTENTS
    return [f"第 {t.seq} 句的意图“{intent_of(t) or '无'}”不在模型里，请先改正意图" for t in turns
            if intent_of(t) not in known]


def user_text(turn: ReviewTurn) -> str:
    """The text as the story says it: masked (again, in case), entities annotated, on one line."""
    text = turn.text or ""
    masked = mask(text)
    if masked != text:          # offsets no longer fit: the text without annotation
        text, entities = masked, []
    else:
        entities = effective(turn.entities, turn.corrected_entities)
    plain = "".join("（" if ch in "([{" else "）" if ch in ")]}" else ch for ch in text)  # stray mark-up
    if plain != text:
        text, entities = plain, [e for e in entities if not MARKUP & set(text[e["start"]:e["end"]])]
    return " ".join(annotate(text, entities).split())


def steps(conversation: ReviewConversation, turns: Sequence[ReviewTurn]) -> list[str]:
    lines: list[str] = []
    for n, turn in enumerate(turns):
        text = user_text(turn)
        if text:
            lines += ["  - user: |", f"      {text}", f"    intent: {intent_of(turn)}"]
        else:
            lines.append(f"  - intent: {intent_of(turn)}")
        still = turns[n + 1].form if n + 1 < len(turns) else conversation.active_form
        for action in turn.actions or []:
            lines.append(f"  - action: {action}")
            if action.endswith("_form") and action in {turn.form, still}:
                lines.append(f"  - active_loop: {action if still == action else 'null'}")
            elif action == "action_deactivate_loop":
                lines.append("  - active_loop: null")
    return lines


def name_of(conversation: ReviewConversation) -> str:
    started = conversation.started_at.replace(tzinfo=conversation.started_at.tzinfo or timezone.utc)
    return f"review {conversation.id} ({conversation.channel}, {started.astimezone(CHINA):%Y-%m-%d %H:%M})"


def names_in(folder: Path, skip: Path | None = None) -> set[str]:
    """The story names already written under `folder` (each saved conversation is written once)."""
    names: set[str] = set()
    for path in sorted(folder.rglob("*.yml")) if folder.is_dir() else []:
        if skip is not None and path.resolve() == skip.resolve():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for story in (data.get("stories") or []) if isinstance(data, dict) else []:
            if isinstance(story, dict) and story.get("story"):
                names.add(str(story["story"]))
    return names


def render(stories: Iterable[tuple[ReviewConversation, Sequence[ReviewTurn]]]) -> str:
    lines = ['version: "3.1"',
             "# saved in 会话审阅 (bot review stories); texts masked, intents as reviewers corrected them",
             "stories:"]
    for conversation, turns in stories:
        lines += [f"- story: {name_of(conversation)}", "  steps:", *steps(conversation, turns), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
