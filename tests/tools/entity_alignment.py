"""Entity annotations must span whole jieba tokens (RasaHQ/rasa#7409), or DIET learns shifted spans.

Runs in .venv-rasa (needs jieba and our user dictionary):
    .venv-rasa/bin/python -m tests.tools.entity_alignment          list misaligned annotations
    .venv-rasa/bin/python -m tests.tools.entity_alignment --fix    widen each to the tokens it touches
Exit status 1 when something is misaligned (and not fixed).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parents[2]
ANNOTATION = re.compile(r'\[([^\]]+)\](\{"entity":\s*"programme",\s*"value":\s*"[a-z]+"\})')


def load_dictionary() -> None:
    jieba.setLogLevel(60)
    for path in sorted((ROOT / "nlu_data" / "jieba_dict").glob("*")):
        jieba.load_userdict(str(path))


def realign(example: str) -> tuple[str, list[str]]:
    """The example with each annotation widened to whole tokens, and the widened surfaces."""
    plain, spans, pos = "", [], 0
    for match in ANNOTATION.finditer(example):
        plain += example[pos:match.start()]
        spans.append((len(plain), len(plain) + len(match.group(1)), match.group(2)))
        plain += match.group(1)
        pos = match.end()
    plain += example[pos:]
    tokens = [(start, end) for _, start, end in jieba.tokenize(plain)]
    fixed, widened, cursor = "", [], 0
    for start, end, label in spans:
        new_start = max(s for s, e in tokens if s <= start)
        new_end = min(e for s, e in tokens if e >= end)
        if (new_start, new_end) != (start, end):
            widened.append(plain[new_start:new_end])
        fixed += plain[cursor:new_start] + f"[{plain[new_start:new_end]}]{label}"
        cursor = new_end
    return fixed + plain[cursor:], widened


def main(fix: bool) -> int:
    load_dictionary()
    problems = []
    for path in sorted((ROOT / "nlu_data" / "nlu").glob("*.yml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for n, line in enumerate(lines):
            head, sep, example = line.partition("- ")
            if not sep or not ANNOTATION.search(example):
                continue
            fixed, widened = realign(example.rstrip("\n"))
            if widened:
                problems.append(f"{path.name}:{n + 1}: {', '.join(widened)}")
                lines[n] = f"{head}{sep}{fixed}\n"
        if fix:
            path.write_text("".join(lines), encoding="utf-8")
    print("\n".join(problems) or "all entity annotations span whole tokens")
    return 1 if problems and not fix else 0


if __name__ == "__main__":
    sys.exit(main("--fix" in sys.argv))
