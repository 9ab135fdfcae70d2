"""The locks and what they lock agree: every declared dependency is pinned at its declared version, every pin
carries hashes, no package is pinned twice, nothing is locked that no declaration pulls in, and every package
the code imports is declared (pyproject.toml for the app, requirements/rasa.in for the engine and actions).

The environments answer what a module belongs to and what a package requires (importlib.metadata): .venv in
this process, .venv-rasa in a child process (its checks are skipped where it is not installed).
"""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements"
LOCKS = ["app.txt", "rasa.txt", "pip.txt"]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
ENGINE_CODE = ["actions", "nlu_components", "engine_server"]  # what .venv-rasa runs (those that exist)
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# --- locks ----------------------------------------------------------------------------------------------------

@dataclass
class Pin:
    name: str
    version: str
    line: int
    hashes: list[str] = field(default_factory=list)


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, content) with backslash continuations joined and comments dropped."""
    lines, buffer, start = [], "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #")[0].strip() if not raw.lstrip().startswith("#") else ""
        if not buffer:
            start = number
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        buffer += line
        if buffer.strip():
            lines.append((start, buffer.strip()))
        buffer = ""
    if buffer.strip():
        lines.append((start, buffer.strip()))
    return lines


def parse_lock(text: str) -> tuple[list[Pin], list[str]]:
    """The pins of a lock, and what is wrong with its lines: anything but `name==version --hash=sha256:…`."""
    pins, problems = [], []
    for number, line in logical_lines(text):
        requirement, *options = line.split()
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)", requirement)
        if not match:
            problems.append(f"line {number}: {requirement!r} is not pinned as name==version")
            continue
        pin = Pin(canonical(match[1]), match[2], number)
        for option in options:
            if HASH.fullmatch(option):
                pin.hashes.append(option)
            else:
                problems.append(f"line {number}: {match[1]}: unexpected {option!r}")
        if not pin.hashes:
            problems.append(f"line {number}: {match[1]}=={match[2]} has no --hash=sha256:")
        pins.append(pin)
    seen: dict[str, Pin] = {}
    for pin in pins:
        if pin.name in seen:
            problems.append(f"line {pin.line}: {pin.name} is pinned twice (first on line {seen[pin.name].line})")
        seen[pin.name] = pin
    return pins, problems


def read_lock(name: str) -> dict[str, Pin]:
    pins, _ = parse_lock((REQUIREMENTS / name).read_text(encoding="utf-8"))
    return {pin.name: pin for pin in pins}


# --- declarations ---------------------------------------------------------------------------------------------

def split_requirement(requirement: str) -> tuple[str, str | None]:
    """(canonical name, exact version or None) of `name[extras]==version`."""
    match = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(==\s*([^\s;,]+))?\s*", requirement)
    if not match:
        return canonical(re.split(r"[\s\[<>=!~;]", requirement.strip())[0]), None
    return canonical(match[1]), match[4]


def declared_app() -> dict[str, list[str]]:
    """pyproject.toml's requirements by group: "runtime" and one per extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {"runtime": project.get("dependencies", []), **project.get("optional-dependencies", {})}


def declared_rasa() -> list[str]:
    text = (REQUIREMENTS / "rasa.in").read_text(encoding="utf-8")
    return [line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()]


def declaration_problems(groups: dict[str, list[str]], lock: dict[str, Pin], lock_name: str) -> list[str]:
    problems = []
    for group, requirements in groups.items():
        for requirement in requirements:
            name, version = split_requirement(requirement)
            if version is None:
                problems.append(f"{group}: {requirement!r} is not pinned with ==")
            elif name not in lock:
                problems.append(f"{group}: {requirement!r} is missing from {lock_name}")
            elif lock[name].version != version:
                problems.append(f"{group}: {requirement!r} but {lock_name} pins {name}=={lock[name].version}")
    return problems


# --- imports --------------------------------------------------------------------------------------------------

LOCAL = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} | {p.stem for p in ROOT.glob("*.py")}


def module_file(dotted: str) -> list[Path]:
    """The files that importing a local module runs: each package's __init__ on the way, then the module."""
    files, path = [], ROOT
    for part in dotted.split("."):
        path = path / part
        if (path / "__init__.py").exists():
            files.append(path / "__init__.py")
        elif path.with_suffix(".py").exists():
            files.append(path.with_suffix(".py"))
            break
        else:
            break
    return files


def imports_of(start: list[Path], follow_local: bool = True) -> dict[str, set[str]]:
    """Third-party top-level module → files importing it, through the local modules the start files import."""
    todo = [p for root in start for p in ([root] if root.is_file() else sorted(root.rglob("*.py")))]
    done: set[Path] = set()
    found: dict[str, set[str]] = {}
    while todo:
        path = todo.pop()
        if path in done:
            continue
        done.add(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for dotted in names:
                top = dotted.split(".")[0]
                if top in sys.stdlib_module_names:
                    continue
                if top in LOCAL:
                    todo += module_file(dotted) if follow_local else []
                else:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path))
    return found


def undeclared(imports: dict[str, set[str]], modules: dict[str, list[str]], declared: set[str]) -> list[str]:
    problems = []
    for module, files in sorted(imports.items()):
        dists = {canonical(d) for d in modules.get(module, [])}
        if not dists:
            problems.append(f"{module} (imported by {sorted(files)[0]}) comes from no installed distribution")
        elif not dists & declared:
            problems.append(f"{module} (imported by {sorted(files)[0]}) comes from {sorted(dists)}: not declared")
    return problems


# --- environments ---------------------------------------------------------------------------------------------

FACTS = r"""
import importlib.metadata as md, json, re, sys
from packaging.requirements import Requirement
canonical = lambda name: re.sub(r"[-_.]+", "-", name).lower()
dists = {canonical(d.metadata["Name"]): d for d in md.distributions()}
reached, missing, seen, todo = set(), set(), set(), [Requirement(r) for r in json.loads(sys.argv[1])]
while todo:
    req = todo.pop()
    name = canonical(req.name)
    if (name, tuple(sorted(req.extras))) in seen:
        continue
    seen.add((name, tuple(sorted(req.extras))))
    if name not in dists:
        missing.add(name)
        continue
    reached.add(name)
    for text in dists[name].requires or []:
        sub = Requirement(text)
        if sub.marker is None or any(sub.marker.evaluate({"extra": e}) for e in (req.extras or {""})):
            todo.append(sub)
modules = {m: set(ds) for m, ds in md.packages_distributions().items()}
for dist in dists.values():  # Python 3.10 reads top_level.txt only; 3.11 also infers from RECORD, as here
    if dist.read_text("top_level.txt") is None:
        name = dist.metadata["Name"]
        for top in {f.parts[0] if len(f.parts) > 1 else f.stem for f in dist.files or []
                    if f.suffix == ".py" and f.parts[0] != ".."}:
            modules.setdefault(top, set()).add(name)
print(json.dumps({"reached": sorted(reached), "missing": sorted(missing),
                  "modules": {m: sorted(ds) for m, ds in modules.items()}}))
"""


def environment(python: Path | str, roots: list[str]) -> dict:
    """What an environment says: the packages `roots` pull in, those not installed, module → distributions."""
    done = subprocess.run([str(python), "-c", FACTS, json.dumps(roots)], capture_output=True, text=True,
                          check=True, timeout=120)
    return json.loads(done.stdout)


def orphans(lock: dict[str, Pin], facts: dict) -> list[str]:
    problems = [f"{name} is declared but not installed here: run make setup" for name in facts["missing"]]
    return problems + [f"{name}=={pin.version} is locked but nothing declared pulls it in"
                       for name, pin in sorted(lock.items()) if name not in facts["reached"]]


@pytest.fixture(scope="module")
def app_env() -> dict:
    return environment(sys.executable, [r for group in declared_app().values() for r in group])


@pytest.fixture(scope="module")
def rasa_env() -> dict:
    if not RASA_PYTHON.exists():
        pytest.skip(".venv-rasa is not installed (make setup)")
    return environment(RASA_PYTHON, declared_rasa())


# --- the checks -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", LOCKS)
def test_every_line_of_a_lock_is_one_pin_with_hashes_and_no_package_is_pinned_twice(name):
    pins, problems = parse_lock((REQUIREMENTS / name).read_text(encoding="utf-8"))
    assert pins
    assert problems == []


def test_every_dependency_in_pyproject_is_locked_at_its_version():
    assert declaration_problems(declared_app(), read_lock("app.txt"), "app.txt") == []


def test_every_direct_dependency_of_the_engine_is_locked_at_its_version_and_named_in_the_header():
    lock = read_lock("rasa.txt")
    assert declaration_problems({"rasa.in": declared_rasa()}, lock, "rasa.txt") == []
    text = (REQUIREMENTS / "rasa.txt").read_text(encoding="utf-8")
    header = "\n".join(re.match(r"(?:#.*\n)*", text)[0].splitlines())
    assert [r for r in declared_rasa() if f"#   {r} " not in header] == []


def test_app_lock_holds_only_what_pyproject_pulls_in(app_env):
    assert orphans(read_lock("app.txt"), app_env) == []


def test_engine_lock_holds_only_what_rasa_in_pulls_in(rasa_env):
    assert orphans(read_lock("rasa.txt"), rasa_env) == []


def test_every_import_in_bot_comes_from_a_runtime_dependency(app_env):
    declared = {split_requirement(r)[0] for r in declared_app()["runtime"]}
    assert undeclared(imports_of([ROOT / "bot"], follow_local=False), app_env["modules"], declared) == []


def test_every_import_in_tests_is_declared(app_env, rasa_env):
    """tests/ and the local modules they import: the app's runtime and extras; the engine-side tools that run in
    .venv-rasa (tests/tools) may also use the engine's direct dependencies."""
    declared = {split_requirement(r)[0] for group in declared_app().values() for r in group}
    engine = {split_requirement(r)[0] for r in declared_rasa()}
    imports = imports_of([ROOT / "tests"])
    app_side = {m: f for m, f in imports.items() if m in app_env["modules"]}
    engine_side = {m: f for m, f in imports.items() if m not in app_env["modules"]}
    assert undeclared(app_side, app_env["modules"], declared) + \
        undeclared(engine_side, rasa_env["modules"], engine) == []


def test_every_import_of_the_engine_and_actions_comes_from_rasa_in(rasa_env):
    declared = {split_requirement(r)[0] for r in declared_rasa()}
    start = [ROOT / name for name in ENGINE_CODE if (ROOT / name).exists()]
    assert undeclared(imports_of(start), rasa_env["modules"], declared) == []


# --- the checks can fail --------------------------------------------------------------------------------------

def test_a_lock_line_without_hash_unpinned_with_another_option_or_twice_is_reported():
    text = ("# header\nfoo==1.0 \\\n    --hash=sha256:" + "a" * 64 + "\n    # via bar\n"
            "bar==2.0\nbaz>=1 \\\n    --hash=sha256:" + "b" * 64 + "\n"
            "FOO==1.1 --hash=sha256:" + "c" * 64 + " --index-url=x\n")
    pins, problems = parse_lock(text)
    assert [p.name for p in pins] == ["foo", "bar", "foo"]
    assert len(problems) == 4
    assert "bar==2.0 has no --hash" in problems[0] and "'baz>=1' is not pinned" in problems[1]
    assert "unexpected '--index-url=x'" in problems[2] and "foo is pinned twice" in problems[3]


def test_a_declaration_missing_from_the_lock_at_another_version_or_unpinned_is_reported():
    lock = {"foo": Pin("foo", "1.0", 1, ["h"]), "bar-baz": Pin("bar-baz", "2.0", 2, ["h"])}
    groups = {"runtime": ["Foo==1.0", "bar_baz[x]==2.1"], "test": ["qux==3", "foo>=1"]}
    assert declaration_problems(groups, lock, "x.txt") == [
        "runtime: 'bar_baz[x]==2.1' but x.txt pins bar-baz==2.0",
        "test: 'qux==3' is missing from x.txt",
        "test: 'foo>=1' is not pinned with ==",
    ]


def test_an_orphan_or_an_uninstalled_declaration_is_reported():
    lock = {"foo": Pin("foo", "1.0", 1, ["h"]), "old": Pin("old", "0.1", 2, ["h"])}
    assert orphans(lock, {"reached": ["foo"], "missing": ["new"], "modules": {}}) == [
        "new is declared but not installed here: run make setup",
        "old==0.1 is locked but nothing declared pulls it in",
    ]


def test_an_undeclared_import_is_reported(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\nimport yaml\nfrom redis.asyncio import Redis\n\ndef f():\n    import ghost\n")
    imports = {k: {"m.py"} for k in imports_of([module], follow_local=False)}
    assert sorted(imports) == ["ghost", "redis", "yaml"]
    assert undeclared(imports, {"yaml": ["PyYAML"], "redis": ["redis"]}, {"pyyaml"}) == [
        "ghost (imported by m.py) comes from no installed distribution",
        "redis (imported by m.py) comes from ['redis']: not declared",
    ]
