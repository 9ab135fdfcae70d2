"""The evaluation sets: where their JSONL files live, which are blind, and how they split into subsets.

Exists so every part of the evaluation agrees on one list of sets, and so a blind set is marked as
such in one place (its misses and examples are never printed unless asked for).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from bot.settings import ROOT
from bot.text.normalize import fold

DATA_ROOT = ROOT / "tests" / "data"
# files of an issue-8 set whose lines should not raise a staff alert (alert precision over their union)
NON_EMERGENCY_FILES = ("everyday", "resident", "false_alarm")


@dataclass(frozen=True)
class SetSpec:
    key: str           # name on the command line
    title: str         # name in the report
    pattern: str       # glob under the data root
    blind: bool = False
    issue8: bool = False


SPECS: dict[str, SetSpec] = {
    "heldout": SetSpec("heldout", "earlier held-out", "heldout/*.jsonl"),
    "tuning": SetSpec("tuning", "tuning (issue 8)", "tuning/issue8/*.jsonl", issue8=True),
    # blind sets, each locked before a round of changes and scored once after it; the first three and the
    # fifth to seventh were then opened and read (README "Retraining and evaluation"), so only the fourth
    # is still blind; the eighth and the ninth were each scored once in stop 19, the tenth in stop 20, the eleventh in
    # stop 21, then read
    "first": SetSpec("first", "first blind set, since tuned on (issue 8)", "blind/first/*.jsonl", issue8=True),
    "second": SetSpec("second", "second blind set, since tuned on (issue 8)", "blind/second/*.jsonl", issue8=True),
    "third": SetSpec("third", "third blind set, since tuned on (issue 8)", "blind/third/*.jsonl", issue8=True),
    # stop 19 printed four of its out_of_scope lines by mistake (a search across every set for joke wording)
    "fourth": SetSpec("fourth", "blind (issue 8, fourth; scored in stop 12; 4 lines seen in stop 19)",
                      "blind/fourth/*.jsonl", blind=True, issue8=True),
    "fifth": SetSpec("fifth", "fifth blind set, scored twice, since tuned on (issue 8)", "blind/fifth/*.jsonl",
                     issue8=True),
    "sixth": SetSpec("sixth", "sixth blind set, scored once (6116434), since tuned on (issue 8)",
                     "blind/sixth/*.jsonl", issue8=True),
    "seventh": SetSpec("seventh", "seventh blind set, scored once (56ea6fb), since read (issue 8)",
                       "blind/seventh/*.jsonl", issue8=True),
    "eighth": SetSpec("eighth", "eighth blind set, scored once (e2ab955), since read (issue 8)", "blind/eighth/*.jsonl",
                      issue8=True),
    "ninth": SetSpec("ninth", "ninth blind set, scored once (7b4e493), since read (issue 8)", "blind/ninth/*.jsonl",
                     issue8=True),
    "tenth": SetSpec("tenth", "tenth blind set, scored once (24e88e9), since read (issue 8)", "blind/tenth/*.jsonl",
                     issue8=True),
    # locked in stop 21 before any change that stop, scored once on its final model (8844df4), then read
    "eleventh": SetSpec("eleventh", "eleventh blind set, scored once (8844df4), since read (issue 8)",
                        "blind/eleventh/*.jsonl", issue8=True),
    # locked in stop 22 before any change, scored once on stop 21's final model (14a1a86), then read
    "twelfth": SetSpec("twelfth", "twelfth blind set, scored once (14a1a86), since read (issue 8)",
                       "blind/twelfth/*.jsonl", issue8=True),
    # locked in stop 23 before any change reached a model, scored once at fd5beb8 on stop 22's final model, then read
    "thirteenth": SetSpec("thirteenth", "thirteenth blind set, scored once (fd5beb8), since read (issue 8)",
                          "blind/thirteenth/*.jsonl", issue8=True),
}


@dataclass
class EvalSet:
    spec: SetSpec
    files: list[Path]
    rows: list[dict] = field(default_factory=list)   # each row also carries "source": the file's stem
    left_out: int = 0   # lines identical to a training example: not unseen, so not scored

    def subset(self, sources: tuple[str, ...] | str) -> list[int]:
        """Indices of the rows read from the named file(s) (stems)."""
        wanted = {sources} if isinstance(sources, str) else set(sources)
        return [i for i, row in enumerate(self.rows) if row["source"] in wanted]

    @property
    def sources(self) -> list[str]:
        return [path.stem for path in self.files]


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        missing = {"text", "intent", "programme", "aspect"} - set(row)
        if missing:
            raise ValueError(f"{path}:{number}: missing {', '.join(sorted(missing))}")
        rows.append({**row, "source": path.stem})
    return rows


def files_of(spec: SetSpec, data_root: Path = DATA_ROOT) -> list[Path]:
    return sorted(data_root.glob(spec.pattern))


def load_set(spec: SetSpec, data_root: Path = DATA_ROOT, training: frozenset[str] = frozenset()) -> EvalSet:
    """The set's lines, less those identical (folded) to a training example: two writers who never saw
    each other's lines still both wrote "现在几点了", and such a line measures memory, not reading."""
    files = files_of(spec, data_root)
    rows = [row for path in files for row in read_jsonl(path)]
    kept = [row for row in rows if fold(row["text"]) not in training]
    return EvalSet(spec, files, kept, len(rows) - len(kept))


def available(data_root: Path = DATA_ROOT) -> list[str]:
    """Keys of the sets that have at least one file (the default selection)."""
    return [key for key, spec in SPECS.items() if files_of(spec, data_root)]


def read_heldout(pattern: str = "*.jsonl") -> list[dict]:
    """The earlier held-out lines (kept for the integration test and the bench, which import it)."""
    return [row for path in sorted((DATA_ROOT / "heldout").glob(pattern)) for row in read_jsonl(path)]
