"""Mutation testing of the pure modules against the fast unit tests: do the tests notice a wrong table
entry, a flipped comparison, a guard that no longer guards?

    .venv/bin/python -m tests.tools.mutation [--jobs N] [--json results/mutation.json] [PATH...]
    make mutation                       # bot/text bot/forms bot/screening bot/safety
    make mutation MUTATE=bot/screening  # one package (or file)

Why not mutmut: mutmut 3 mutates only code inside functions, so the numeral tables and the regexes at
module level, where most of the parsers' behaviour lives, would never change; mutmut 2 edits the files
in place (other people work in this tree) and runs one mutant at a time. This needs nothing but pytest.

A mutant is one change to a module's syntax tree: a number ±1; a comparison, boolean or arithmetic
operator swapped; an `if` guard that never fires; a conditional expression always one way; a return
value dropped; a call statement dropped; min/max, any/all swapped; an identifier-like string changed;
one entry dropped from a literal table; one branch dropped from a regex alternation; a regex that never
matches. Docstrings, annotations, decorators and prose strings are left alone.

How it runs: one traced run of tests/unit (and of tests/wechat for bot/channels/wechat, see OWN_TESTS; tests
marked engine or browser never) records which tests execute which lines of the target files.
Each mutant then runs in a forked child that imports the mutated module instead of the file on disk
(with every project module that imports it) and runs only the tests that reach it: for code in a
function, the tests that execute its lines; for module-level code (a table, a regex), the tests that
run the functions reading the name it defines. The module's own test files go first, quick tests
first, and the first failure ends the run. A failure, a collection error or a timeout kills the
mutant; all tests passing means it survived; no test reaching it is reported as such. Nothing on disk
changes. Tests that fail before any mutation are left out and counted. `--control` runs every module
unmutated through the same machinery: all must pass, or the tool (not the tests) is wrong.
"""
from __future__ import annotations

import argparse
import ast
import copy
import gc
import importlib.abc
import importlib.util
import json
import os
import random
import re
import select
import signal
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNIT = "tests/unit"
# a package whose tests live beside tests/unit: its own folder is traced too (only the tests without the
# engine or a browser), when a target is in the package
OWN_TESTS = {"bot/channels/wechat": "tests/wechat"}
QUICK_ONLY = ["-m", "not engine and not browser"]
DEFAULT_PATHS = ("bot/text", "bot/forms", "bot/screening", "bot/safety")

# ------------------------------------------------------------------------------------------ mutants

CMP_SWAP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
            ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
BIN_SWAP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
            ast.Mod: ast.Div, ast.Pow: ast.Mult, ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd}
OP_TEXT = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.In: "in",
           ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.Add: "+", ast.Sub: "-", ast.Mult: "*",
           ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|",
           ast.And: "and", ast.Or: "or"}
CALL_SWAP = {"min": "max", "max": "min", "any": "all", "all": "any"}
RE_FUNCS = {"compile", "sub", "search", "match", "fullmatch", "findall", "finditer", "split"}
NEVER = "(?!x)x"  # a regex that matches nothing
KEY = re.compile(r"^[a-z_]{2,24}$")  # identifier-like strings compared in logic (programme names, levels…)


@dataclass
class Mutant:
    path: str          # bot/text/amounts.py
    module: str        # bot.text.amounts
    index: int         # which mutation point in the file, in walk order
    variant: int       # which change at that point
    line: int
    lines: tuple[int, int]
    what: str          # the change, for people
    module_level: bool
    names: tuple[str, ...] = ()  # what its top-level statement defines (module-level code: users found by name)
    status: str = "pending"  # killed | survived | timeout | no_tests | pending
    seconds: float = 0.0


def _short(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 40 else text[:37] + "…"


def _alternations(pattern: str) -> list[tuple[str, str]]:
    """Each way to drop one branch of a `a|b|c` group: (mutated pattern, dropped branch)."""
    groups: list[list[int]] = [[-1]]  # per open group: its start and the positions of its `|`
    closed: list[tuple[int, list[int]]] = []
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":
                i += 1
        elif ch == "(":
            groups.append([i])
        elif ch == ")" and len(groups) > 1:
            start, *bars = groups.pop()
            closed.append((i, [start, *bars]))
        elif ch == "|":
            groups[-1].append(i)
        i += 1
    if len(groups) == 1:  # the whole pattern is balanced: its top level is a group too
        closed.append((len(pattern), groups[0]))
    out = []
    for end, (start, *bars) in closed:
        if not bars:
            continue
        body_start = start + 1
        if start >= 0 and pattern[body_start:body_start + 1] == "?":  # (?:  (?P<name>  (?<=  …
            m = re.match(r"\?(?:P<\w+>|<[=!]|[:=!>])", pattern[body_start:])
            if not m:
                continue
            body_start += m.end()
        cuts = [body_start - 1, *bars, end]
        for k in range(len(cuts) - 1):
            lo, hi = cuts[k] + 1, cuts[k + 1]
            branch = pattern[lo:hi]
            if k == 0:
                mutated = pattern[:lo] + pattern[hi + 1:]
            else:
                mutated = pattern[:cuts[k]] + pattern[hi:]
            if branch:
                out.append((mutated, branch))
    return out


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _const_number(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool))


class Points(ast.NodeVisitor):
    """Finds every mutation point of a module: (node, [(what, make(node) -> replacement | None)])."""

    def __init__(self) -> None:
        self.points: list[tuple[ast.AST, list[tuple[str, object]], bool, tuple[str, ...]]] = []
        self._function_depth = 0
        self._skip: set[int] = set()
        self._owner: tuple[str, ...] = ()

    def add(self, node: ast.AST, changes: list[tuple[str, object]]) -> None:
        """With whether the point is module-level code, and the names its top-level statement defines."""
        if changes:
            self.points.append((node, changes, not self._function_depth, self._owner))

    # --- what is never mutated: docstrings, annotations, imports
    def visit_Import(self, node: ast.AST) -> None:
        return

    visit_ImportFrom = visit_Import

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_arg(self, node: ast.arg) -> None:
        return

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.value, ast.Name) and node.value.id == "Literal":
            return  # a type, not a value
        self.generic_visit(node)

    def _body(self, body: list[ast.stmt]) -> None:
        for i, stmt in enumerate(body):
            if i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue  # docstring
            self.visit(stmt)

    def visit_Module(self, node: ast.Module) -> None:
        for i, stmt in enumerate(node.body):
            self._owner = defined_names(stmt)
            if not (i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):  # docstring
                self.visit(stmt)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._body(node.body)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d]:
            self.visit(default)
        self._function_depth += 1
        self._body(node.body)
        self._function_depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._function_depth += 1
        self.visit(node.body)
        self._function_depth -= 1

    # --- the mutation operators
    def visit_Constant(self, node: ast.Constant) -> None:
        if id(node) in self._skip:
            return
        value = node.value
        if isinstance(value, bool):
            self.add(node, [(f"{value} → {not value}", lambda n: ast.Constant(not n.value))])
        elif isinstance(value, (int, float)):
            self.add(node, [(f"{value!r} → {value + 1!r}", lambda n: ast.Constant(n.value + 1)),
                            (f"{value!r} → {value - 1!r}", lambda n: ast.Constant(n.value - 1))])
        elif isinstance(value, str):
            self._string(node)

    def _string(self, node: ast.Constant, in_fstring: bool = False) -> None:
        changes: list[tuple[str, object]] = []
        if "|" in node.value:
            for mutated, branch in _alternations(node.value):
                if in_fstring or _compiles(mutated):
                    changes.append((f"regex without branch {branch!r}", lambda n, m=mutated: ast.Constant(m)))
        if KEY.match(node.value) and not in_fstring:
            changes.append((f"{node.value!r} → 'XX{node.value}XX'", lambda n: ast.Constant(f"XX{n.value}XX")))
        self.add(node, changes)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                self._string(part, in_fstring=True)
            else:
                self.visit(part)

    def visit_Compare(self, node: ast.Compare) -> None:
        changes = []
        for i, op in enumerate(node.ops):
            swap = CMP_SWAP[type(op)]

            def make(n: ast.Compare, i: int = i, swap: type = swap) -> ast.AST:
                n.ops[i] = swap()
                return n
            changes.append((f"{OP_TEXT[type(op)]} → {OP_TEXT[swap]} in {_short(node)}", make))
        self.add(node, changes)
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        swap = ast.Or if isinstance(node.op, ast.And) else ast.And

        def make(n: ast.BoolOp) -> ast.AST:
            n.op = swap()
            return n
        self.add(node, [(f"{OP_TEXT[type(node.op)]} → {OP_TEXT[swap]} in {_short(node)}", make)])
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        swap = BIN_SWAP.get(type(node.op))
        if swap is not None:
            def make(n: ast.BinOp) -> ast.AST:
                n.op = swap()
                return n
            self.add(node, [(f"{OP_TEXT[type(node.op)]} → {OP_TEXT[swap]} in {_short(node)}", make)])
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        swap = BIN_SWAP.get(type(node.op))
        if swap is not None:
            def make(n: ast.AugAssign) -> ast.AST:
                n.op = swap()
                return n
            self.add(node, [(f"{OP_TEXT[type(node.op)]}= → {OP_TEXT[swap]}= in {_short(node)}", make)])
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, (ast.Not, ast.USub)):
            if isinstance(node.op, ast.USub) and _const_number(node.operand):
                self._skip.add(id(node.operand))
            word = "not " if isinstance(node.op, ast.Not) else "-"
            self.add(node, [(f"drop {word.strip()} in {_short(node)}", lambda n: n.operand)])
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        self.add(node.test, [(f"if {_short(node.test)} → if False", lambda n: ast.Constant(False))])
        self.generic_visit(node)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self.add(node.test, [(f"{_short(node.test)} → True (always {_short(node.body)})",
                              lambda n: ast.Constant(True)),
                             (f"{_short(node.test)} → False (always {_short(node.orelse)})",
                              lambda n: ast.Constant(False))])
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            self.add(node.value, [(f"return {_short(node.value)} → return None", lambda n: ast.Constant(None))])
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Call):
            self.add(node, [(f"drop the call {_short(node.value)}", lambda n: ast.Pass())])
        self.generic_visit(node)

    def visit_Continue(self, node: ast.Continue) -> None:
        self.add(node, [("continue → break", lambda n: ast.Break())])

    def visit_Break(self, node: ast.Break) -> None:
        self.add(node, [("break → continue", lambda n: ast.Continue())])

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in CALL_SWAP:
            def make(n: ast.Call) -> ast.AST:
                n.func = ast.Name(CALL_SWAP[n.func.id], ast.Load())
                return n
            self.add(node, [(f"{func.id}() → {CALL_SWAP[func.id]}() in {_short(node)}", make)])
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "re"
                and func.attr in RE_FUNCS and node.args and isinstance(node.args[0], (ast.Constant, ast.JoinedStr))):
            def never(n: ast.Call) -> ast.AST:
                n.args[0] = ast.Constant(NEVER)
                return n
            self.add(node, [(f"regex {_short(node.args[0])} never matches", never)])
        self.generic_visit(node)

    def _drop_items(self, node: ast.AST, items: list[ast.AST], describe: list[str]) -> None:
        changes = []
        for i, text in enumerate(describe):
            def make(n: ast.AST, i: int = i) -> ast.AST:
                if isinstance(n, ast.Dict):
                    del n.keys[i], n.values[i]
                else:
                    del n.elts[i]
                return n
            changes.append((f"drop {text} from the table", make))
        self.add(node, changes)

    def visit_Dict(self, node: ast.Dict) -> None:
        if len(node.keys) >= 2 and all(isinstance(k, ast.Constant) for k in node.keys):
            self._drop_items(node, node.keys, [f"{_short(k)}: {_short(v)}" for k, v in zip(node.keys, node.values)])
        self.generic_visit(node)

    def visit_Set(self, node: ast.Set) -> None:
        if len(node.elts) >= 2:
            self._drop_items(node, node.elts, [_short(e) for e in node.elts])
        self.generic_visit(node)

    def _sequence(self, node: ast.Tuple | ast.List) -> None:
        if len(node.elts) >= 2 and all(isinstance(e, ast.Constant) for e in node.elts):
            self._drop_items(node, node.elts, [_short(e) for e in node.elts])
        self.generic_visit(node)

    visit_Tuple = visit_List = _sequence


def defined_names(stmt: ast.stmt) -> tuple[str, ...]:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return (stmt.name,)
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
    return tuple(n.id for t in targets if t is not None for n in ast.walk(t) if isinstance(n, ast.Name))


def _mutation_points(tree: ast.Module) -> list[tuple[ast.AST, list[tuple[str, object]], bool]]:
    finder = Points()
    finder.visit(tree)
    return finder.points


def mutants_of(path: Path) -> list[Mutant]:
    rel = path.relative_to(ROOT).as_posix()
    module = rel[:-3].replace("/", ".").removesuffix(".__init__")
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for index, (node, changes, module_level, owner) in enumerate(_mutation_points(tree)):
        for variant, (what, _) in enumerate(changes):
            out.append(Mutant(rel, module, index, variant, node.lineno, (node.lineno, node.end_lineno or node.lineno),
                              what, module_level, owner))
    return out


_TREES: dict[str, tuple[str, list]] = {}  # path → (source, [(where, changes)]), found once before forking


def _paths(tree: ast.Module) -> dict[int, tuple[tuple[str, int | None], ...]]:
    """Where each node sits in the tree, as (field, index) steps from the root."""
    where: dict[int, tuple[tuple[str, int | None], ...]] = {id(tree): ()}
    for node in ast.walk(tree):
        for name, value in ast.iter_fields(node):
            for i, child in enumerate(value) if isinstance(value, list) else [(None, value)]:
                if isinstance(child, ast.AST):
                    where[id(child)] = (*where[id(node)], (name, i))
    return where


def _tree(path: str) -> tuple[str, list]:
    if path not in _TREES:
        source = (ROOT / path).read_text(encoding="utf-8")
        tree = ast.parse(source)
        where = _paths(tree)
        _TREES[path] = (source, [(where[id(node)], changes) for node, changes, _, _ in _mutation_points(tree)])
    return _TREES[path]


def mutated_code(mutant: Mutant):
    """The module's code object with this one change (parsing afresh is quicker than copying a tree)."""
    source, points = _tree(mutant.path)
    tree = ast.parse(source)
    if mutant.index >= 0:  # below 0: the control, the module as it is
        steps, changes = points[mutant.index]
        parent, (name, i) = tree, steps[-1]
        for field_name, index in steps[:-1]:
            value = getattr(parent, field_name)
            parent = value if index is None else value[index]
        node = getattr(parent, name) if i is None else getattr(parent, name)[i]
        new = changes[mutant.variant][1](node)
        if new is not node:
            ast.copy_location(new, node)
            if i is None:
                setattr(parent, name, new)
            else:
                getattr(parent, name)[i] = new
    return compile(ast.fix_missing_locations(tree), str(ROOT / mutant.path), "exec")


# ------------------------------------------------------------------------------------------ the traced run

@dataclass
class Baseline:
    hits: dict[str, set[tuple[str, int]]] = field(default_factory=dict)   # test id → (file, line) reached
    seconds: dict[str, float] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    files: dict[str, str] = field(default_factory=dict)                   # test id → its test file


class _Tracer:
    """A pytest plugin: which lines of the target files each test executes (setup, call and teardown)."""

    def __init__(self, targets: set[str]) -> None:
        self.targets = targets
        self.baseline = Baseline()
        self._hits: set[tuple[str, int]] = set()
        self.collected: dict[str, set[tuple[str, int]]] = {}

    def _global(self, frame, event, arg):
        return self._local if frame.f_code.co_filename in self.targets else None

    def _local(self, frame, event, arg):
        if event == "line":
            self._hits.add((frame.f_code.co_filename, frame.f_lineno))
        return self._local

    def pytest_collectstart(self, collector):
        if collector.nodeid.endswith(".py"):  # a test module: its import-time code (NET = SafetyNet…)
            self._hits = set()
            sys.settrace(self._global)

    def pytest_collectreport(self, report):
        if report.nodeid.endswith(".py"):
            sys.settrace(None)
            self.collected[report.nodeid] = self._hits

    def pytest_runtest_protocol(self, item, nextitem):
        self._hits = set()
        sys.settrace(self._global)

    def pytest_runtest_logfinish(self, nodeid, location):
        sys.settrace(None)
        test_file = nodeid.split("::")[0]
        self.baseline.hits[nodeid] = self._hits | self.collected.get(test_file, set())
        self.baseline.files[nodeid] = test_file

    def pytest_runtest_logreport(self, report):
        self.baseline.seconds[report.nodeid] = self.baseline.seconds.get(report.nodeid, 0.0) + report.duration
        if report.failed:
            self.baseline.failed.add(report.nodeid)


def parse_yaml_once() -> None:
    """Many fixtures read the knowledge base (policies/*.yml) afresh, and a mutation run repeats them
    thousands of times: parse each YAML text once per run and hand out deep copies (same loader, same
    result; the parsed texts are inherited by the forked children)."""
    import yaml

    parse, parsed = yaml.safe_load, {}

    def safe_load(stream):
        text = stream if isinstance(stream, (str, bytes)) else stream.read()
        if text not in parsed:
            parsed[text] = parse(text)
        return copy.deepcopy(parsed[text])

    yaml.safe_load = safe_load


PYTEST_ARGS = ["-q", "-x", "-p", "no:cacheprovider", "-p", "no:unraisableexception", "-p", "no:threadexception",
               "--assert=plain", "-o", "addopts=", "--no-header", "-W", "ignore"]


def traced_paths(targets: set[str]) -> list[str]:
    """tests/unit, and the own test folder of every package a target is in."""
    return [UNIT] + [tests for package, tests in OWN_TESTS.items()
                     if any(Path(t).resolve().is_relative_to(ROOT / package) for t in targets)]


def trace_unit_tests(targets: set[str]) -> Baseline:
    tracer = _Tracer(targets)
    started = time.monotonic()
    with open(os.devnull, "w") as devnull:
        saved = os.dup(1), os.dup(2)
        os.dup2(devnull.fileno(), 1)
        os.dup2(devnull.fileno(), 2)
        try:
            pytest.main([*traced_paths(targets), *QUICK_ONLY, *[a for a in PYTEST_ARGS if a != "-x"]],
                        plugins=[tracer])
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
    print(f"traced {len(tracer.baseline.hits)} unit tests in {time.monotonic() - started:.0f} s", flush=True)
    return tracer.baseline


# ------------------------------------------------------------------------------------------ running mutants

class _MutantFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves the mutated code when the mutated module is imported."""

    def __init__(self, module: str, path: str, code) -> None:
        self.module, self.path, self.code = module, path, code

    def find_spec(self, fullname, path, target=None):
        if fullname != self.module:
            return None
        is_package = self.path.endswith("__init__.py")
        spec = importlib.util.spec_from_loader(fullname, self, origin=self.path, is_package=is_package)
        spec.has_location = True
        if is_package:
            spec.submodule_search_locations = [str(Path(self.path).parent)]
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        module.__file__ = self.path
        exec(self.code, module.__dict__)


def _ours(name: str) -> bool:
    return name in ("bot", "tests", "conftest") or name.startswith(("bot.", "tests."))


def import_graph() -> dict[str, set[str]]:
    """Module → the project modules that import it (directly), from the import statements of every
    project module loaded now."""
    importers: dict[str, set[str]] = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if not _ours(name) or not path or not path.endswith(".py"):
            continue
        package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                used = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
                used = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in used:
                if target in sys.modules and _ours(target):
                    importers.setdefault(target, set()).add(name)
    return importers


def dependents(module: str, importers: dict[str, set[str]]) -> set[str]:
    """The module and every project module that imports it, directly or through others: what a forked
    child must import afresh so that all of them see the mutant."""
    seen, todo = {module}, [module]
    while todo:
        for importer in importers.get(todo.pop(), ()):
            if importer not in seen:
                seen.add(importer)
                todo.append(importer)
    return seen | {"conftest"}


def _purge(names: set[str]) -> None:
    for name in names:
        sys.modules.pop(name, None)


DOES_NOT_COMPILE = 97


class _Only:
    """A pytest plugin for the child: collect the stage's files, run only the chosen tests in the chosen
    order, and end the process at the first failure (no report to format: only the verdict counts)."""

    def __init__(self, tests: list[str], verbose: bool = False) -> None:
        self.tests, self.verbose = tests, verbose

    def pytest_collection_modifyitems(self, session, config, items) -> None:
        rank = {t: i for i, t in enumerate(self.tests)}
        found = {item.nodeid for item in items}
        # A parametrized test whose id holds a value from the mutated module is renamed: run its file whole.
        renamed = {t.split("::")[0] for t in self.tests if t not in found}
        chosen = [item for item in items if item.nodeid in rank or item.nodeid.split("::")[0] in renamed]
        items[:] = sorted(chosen, key=lambda item: rank.get(item.nodeid, len(rank)))

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item, call) -> None:
        if call.excinfo is not None and not call.excinfo.errisinstance(pytest.skip.Exception) and not self.verbose:
            os._exit(1)


def _child(mutant: Mutant, stages: list[list[str]], stale: set[str], verbose: bool = False) -> None:
    """In the forked child: import the mutant in place of the module, run the tests, exit with pytest's code.
    Verbose (--why): pytest's own report of the first failing test is shown."""
    try:
        try:
            code = mutated_code(mutant)
        except (SyntaxError, ValueError, TypeError):
            os._exit(DOES_NOT_COMPILE)
        if not verbose:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
        sys.dont_write_bytecode = True
        _purge(stale)
        sys.meta_path.insert(0, _MutantFinder(mutant.module, str(ROOT / mutant.path), code))
        result = 0
        for tests in stages:
            files = list(dict.fromkeys(t.split("::")[0] for t in tests))
            extra = ["--tb=short", "-rN"] if verbose else []
            result = int(pytest.main([*files, *PYTEST_ARGS, *extra], plugins=[_Only(tests, verbose)]))
            if result:
                break
        os._exit(result)
    except BaseException:
        os._exit(99)


class Usage:
    """Which function bodies read which module-level names, in the files under test: a mutant in a table
    or a regex at module level is tested by the tests that run the functions reading it."""

    def __init__(self, files: list[Path]) -> None:
        self.functions: dict[str, list[tuple[str, set[int], set[str]]]] = {}  # file → (name, body lines, names read)
        self.assigns: dict[str, list[tuple[tuple[str, ...], set[str]]]] = {}  # file → (defined, names read)
        self.classes: dict[str, set[str]] = {}
        self.imports: dict[str, dict[str, dict[str, str]]] = {}  # file → module → imported name → local name
        self.modules = {f.relative_to(ROOT).as_posix()[:-3].replace("/", "."): str(f) for f in files}
        for f in files:
            tree = ast.parse(f.read_text(encoding="utf-8"))
            key = str(f)
            self.functions[key] = [
                (node.name, set(range(node.body[0].lineno, (node.end_lineno or node.lineno) + 1)),
                 {n.id for stmt in node.body for n in ast.walk(stmt) if isinstance(n, ast.Name)})
                for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
            self.assigns[key] = [(defined_names(stmt), {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)})
                                 for stmt in tree.body if isinstance(stmt, (ast.Assign, ast.AnnAssign))]
            self.classes[key] = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
            imports: dict[str, dict[str, str]] = {}
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module:
                    for alias in node.names:
                        imports.setdefault(node.module, {})[alias.name] = alias.asname or alias.name
            self.imports[key] = imports

    def lines(self, file: str, names: set[str], depth: int = 0) -> set[tuple[str, int]] | None:
        """(file, line) of every function body that reads the names; None when that cannot be told (a class)."""
        if names & self.classes.get(file, set()):
            return None
        names = set(names)
        for _ in range(len(self.assigns.get(file, []))):  # a name built from another (_SOURCE from _CONTEXT)
            grown = names | {d for defined, read in self.assigns[file] for d in defined if read & names}
            if grown == names:
                break
            names = grown
        out = {(file, n) for name, body, read in self.functions.get(file, [])
               if read & names or name in names for n in body}
        module = next((m for m, f in self.modules.items() if f == file), None)
        for other, imports in self.imports.items():
            local = {imports[module][n] for n in names if n in imports.get(module, {})}
            if local and other != file and depth < 3:
                found = self.lines(other, local, depth + 1)
                if found is None:
                    return None
                out |= found
        return out


def select_tests(mutant: Mutant, baseline: Baseline, order: dict[str, int], usage: Usage) -> list[list[str]]:
    """The tests that reach the mutant, in two stages: the module's own test files, then the rest.
    Quick tests first: with -x the first failure ends the run."""
    path = str(ROOT / mutant.path)
    if mutant.module_level:
        lines = usage.lines(path, set(mutant.names))
        if lines is None:  # a class body: every test that touches the module
            chosen = [t for t, hits in baseline.hits.items() if any(f == path for f, _ in hits)]
            chosen += [t for t, f in baseline.files.items() if order.get(f) == 0]
        else:
            chosen = [t for t, hits in baseline.hits.items() if hits & lines]
            public = [n for n in mutant.names if not n.startswith("_")]
            if public:  # tests that use a public table themselves (MEMBERS, SAID_YES…)
                word = re.compile(r"\b(?:" + "|".join(map(re.escape, public)) + r")\b")
                chosen += [t for t, f in baseline.files.items() if order.get(f) == 0 and word.search(_text(f))]
    else:
        lines = {(path, n) for n in range(mutant.lines[0], mutant.lines[1] + 1)}
        if any(set(mutant.names) & read for _, read in usage.assigns.get(path, [])):
            # a function the module calls while it is imported (yiliao = _by_member(…)): also its users' tests
            lines |= usage.lines(path, set(mutant.names)) or set()
        chosen = [t for t, hits in baseline.hits.items() if hits & lines]
    chosen = sorted((t for t in dict.fromkeys(chosen) if t not in baseline.failed),
                    key=lambda t: baseline.seconds.get(t, 0.0))
    stages = [[t for t in chosen if order.get(baseline.files[t]) == 0],
              [t for t in chosen if order.get(baseline.files[t]) != 0]]
    return [stage for stage in stages if stage]


_TEXTS: dict[str, str] = {}


def _text(test_file: str) -> str:
    if test_file not in _TEXTS:
        _TEXTS[test_file] = (ROOT / test_file).read_text(encoding="utf-8")
    return _TEXTS[test_file]


def _own_test_files(mutant_module: str, baseline: Baseline) -> dict[str, int]:
    """Test files that import the module by name come first (rank 0); the rest after (rank 1)."""
    ranks = {}
    for test_file in set(baseline.files.values()):
        ranks[test_file] = 0 if mutant_module in _text(test_file) else 1
    return ranks


def run_mutants(mutants: list[Mutant], baseline: Baseline, usage: Usage, jobs: int, progress: bool = True,
                planned: dict[str, list[list[str]]] | None = None, verbose: bool = False) -> None:
    orders: dict[str, dict[str, int]] = {}
    queue: list[tuple[Mutant, list[str], float]] = []
    for m in mutants:
        if m.module not in orders:
            orders[m.module] = _own_test_files(m.module, baseline)
        order = orders[m.module]
        tests = planned[m.path] if planned is not None else select_tests(m, baseline, order, usage)
        if not tests:
            m.status = "no_tests"
            continue
        budget = 10.0 + 5 * sum(baseline.seconds.get(t, 0.0) for stage in tests for t in stage)
        queue.append((m, tests, budget))
    for path in dict.fromkeys(m.path for m, _, _ in queue):
        _tree(path)  # parse once here; the forked children share it
    importers = import_graph()
    stale = {module: dependents(module, importers) for module in {m.module for m, _, _ in queue}}
    running: dict[int, tuple[Mutant, float, float, int]] = {}  # pidfd → (mutant, started, budget, pid)
    done, total = 0, len(queue)
    while queue or running:
        while queue and len(running) < jobs:
            mutant, tests, budget = queue.pop(0)
            pid = os.fork()
            if pid == 0:
                _child(mutant, tests, stale[mutant.module], verbose)
            running[os.pidfd_open(pid)] = (mutant, time.monotonic(), budget, pid)
        now = time.monotonic()
        wait = max(0.0, min(started + budget - now for _, started, budget, _ in running.values()))
        ready, _, _ = select.select(list(running), [], [], wait)
        for fd, (mutant, started, budget, pid) in list(running.items()):
            if fd not in ready:
                if time.monotonic() - started <= budget:
                    continue
                os.kill(pid, signal.SIGKILL)
                mutant.status = "timeout"
            _, status = os.waitpid(pid, 0)
            os.close(fd)
            del running[fd]
            mutant.seconds = time.monotonic() - started
            if mutant.status != "timeout":
                # pytest: 0 all passed, 1 a test failed, 2 collection broke (the mutant does not import);
                # 4 (usage, a test id not found) and 5 (no tests) are this tool's fault, not a kill.
                code = os.waitstatus_to_exitcode(status)
                mutant.status = {0: "survived", 1: "killed", 2: "killed", DOES_NOT_COMPILE: "killed"}.get(
                    code, f"error {code}")
            done += 1
            if progress and (done % 100 == 0 or done == total):
                print(f"  {done}/{total} mutants run", flush=True)


def control(mutants: list[Mutant], baseline: Baseline, usage: Usage, jobs: int) -> int:
    """Each module unmutated, on the union of its mutants' tests: a failure means the tool, not the tests."""
    plans: dict[str, list[set[str]]] = {}
    for m in mutants:
        plan = plans.setdefault(m.path, [set(), set()])
        for i, stage in enumerate(select_tests(m, baseline, _own_test_files(m.module, baseline), usage)):
            plan[i if len(stage) and baseline.files[stage[0]] in _own(m.module, baseline) else 1].update(stage)
    controls = [Mutant(path, path[:-3].replace("/", ".").removesuffix(".__init__"), -1, 0, 0, (0, 0), "control",
                       False) for path in plans]
    planned = {path: [sorted(stage) for stage in (own, rest - own) if stage] for path, (own, rest) in plans.items()}
    run_mutants(controls, baseline, usage, jobs, progress=False, planned=planned)
    for c in controls:
        print(f"control {c.path}: {'ok' if c.status == 'survived' else c.status} ({c.seconds:.0f} s)")
    return 0 if all(c.status == "survived" for c in controls) else 1


def _own(module: str, baseline: Baseline) -> set[str]:
    return {f for f, rank in _own_test_files(module, baseline).items() if rank == 0}


# ------------------------------------------------------------------------------------------ the report

def python_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = (ROOT / raw).resolve()
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [f for f in files if "__pycache__" not in f.parts]


def _counts(mutants: list[Mutant]) -> tuple[int, int, int]:
    killed = sum(m.status in ("killed", "timeout") for m in mutants)
    survived = sum(m.status in ("survived", "no_tests") for m in mutants)
    return killed, survived, len(mutants) - killed - survived


def wilson(killed: int, tried: int, z: float = 1.96) -> tuple[float, float]:
    """95 % interval of a kill rate measured on a random sample of a module's mutants."""
    if not tried:
        return 0.0, 1.0
    rate, spread = killed / tried, z * z / tried
    centre = (rate + spread / 2) / (1 + spread)
    half = z * ((rate * (1 - rate) + spread / 4) / tried) ** 0.5 / (1 + spread)
    return max(0.0, centre - half), min(1.0, centre + half)


def report(mutants: list[Mutant], paths: list[str], seconds: float, sampled_from: int | None = None) -> str:
    source = {m.path: (ROOT / m.path).read_text(encoding="utf-8").splitlines() for m in mutants}
    width = max([len(p) for p in paths] + [6])
    lines = [f"{'module':<{width}}  mutants  killed  survived  errors  kill rate"
             + ("  (95 % interval)" if sampled_from else "")]
    groups = [(Path(p).as_posix().rstrip("/"), None) for p in paths] + ([("all", mutants)] if len(paths) > 1 else [])
    for prefix, mine in groups:
        if mine is None:
            mine = [m for m in mutants if m.path == prefix or m.path.startswith(prefix + "/")]
        killed, survived, errors = _counts(mine)
        rate = f"{100 * killed / (killed + survived):.1f} %" if killed + survived else "–"
        if sampled_from:
            low, high = wilson(killed, killed + survived)
            rate += f"  ({100 * low:.1f}–{100 * high:.1f} %)"
        lines.append(f"{prefix:<{width}}  {len(mine):7}  {killed:6}  {survived:8}  {errors:6}  {rate:>9}")
    survivors = [m for m in mutants if m.status in ("survived", "no_tests")]
    errors = [m for m in mutants if m.status.startswith("error")]
    for title, chosen in (("survivors", survivors), ("errors (the tool's, not the tests')", errors)):
        if chosen:
            lines += ["", f"{title} ({len(chosen)}):"]
        for m in sorted(chosen, key=lambda m: (m.path, m.line, m.index, m.variant)):
            note = {"no_tests": "  [no unit test reaches this line]"}.get(m.status, "")
            note = f"  [{m.status}]" if m.status.startswith("error") else note
            text = source[m.path][m.line - 1].strip()
            text = text if len(text) <= 70 else text[:67] + "…"
            lines.append(f"  {m.path}:{m.line}  {m.what}{note}\n      | {text}")
    sample = f" (a seeded random sample of {sampled_from})" if sampled_from else ""
    lines += ["", f"{len(mutants)} mutants{sample} in {seconds / 60:.1f} min"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=list(DEFAULT_PATHS), help="packages or files to mutate")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--json", help="write every mutant and its status here")
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    parser.add_argument("--why", metavar="FILE:LINE", help="run only the mutants of this line, one at a time, "
                                                            "showing the test that kills each")
    parser.add_argument("--control", action="store_true",
                        help="run each module unmutated on all its mutants' tests: all must pass (checks the tool)")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="run a seeded random sample of N mutants (a module too big to run whole); the kill "
                             "rate then carries its 95 %% interval")
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    started = time.monotonic()
    files = python_files(args.paths)
    mutants = [m for f in files for m in mutants_of(f)]
    print(f"{len(mutants)} mutants in {len(files)} files", flush=True)
    sampled_from = None
    if args.sample and args.sample < len(mutants):
        sampled_from = len(mutants)  # the same positions random.sample(mutants, N) picks, kept in file order
        mutants = [mutants[i] for i in sorted(random.Random(args.seed).sample(range(len(mutants)), args.sample))]
        print(f"sampled {len(mutants)} (seed {args.seed})", flush=True)
    if args.list:
        for m in mutants:
            print(f"{m.path}:{m.line}  {m.what}")
        return 0
    if args.why:
        path, _, line = args.why.rpartition(":")
        mutants = [m for m in mutants if m.path == Path(path).as_posix() and m.line == int(line)]
    parse_yaml_once()
    baseline = trace_unit_tests({str(f) for f in files})
    if baseline.failed:
        by_file = Counter(t.split("::")[0] for t in baseline.failed)
        print("left out, failing before any mutation: "
              + ", ".join(f"{n} in {f}" for f, n in sorted(by_file.items())), flush=True)
    gc.freeze()  # the children's garbage collections skip everything imported so far
    if args.control:
        return control(mutants, baseline, Usage(files), args.jobs)
    if args.why:
        for m in mutants:
            print(f"\n===== {m.path}:{m.line}  {m.what}", flush=True)
            run_mutants([m], baseline, Usage(files), 1, progress=False, verbose=True)
            print(f"===== {m.status}", flush=True)
        return 0
    run_mutants(mutants, baseline, Usage(files), args.jobs)
    text = report(mutants, [Path(p).as_posix() for p in args.paths], time.monotonic() - started, sampled_from)
    print(text)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps([asdict(m) for m in mutants], ensure_ascii=False, indent=1),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
