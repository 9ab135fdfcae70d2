"""Regenerate the hash-pinned locks from their declarations, keeping every pin that still fits.

    python3.11 requirements/lock.py [app|rasa|pip ...] [-- pip-compile options, e.g. --upgrade-package hypothesis]

- requirements/app.txt   (.venv, Python 3.11) from pyproject.toml's dependencies and its `test` extra
- requirements/rasa.txt  (.venv-rasa, Python 3.10) from requirements/rasa.in
- requirements/pip.txt   the pip that `make setup` puts in both venvs

pip-tools runs in throw-away venvs under $TMPDIR (one per Python), with pip's own configuration, so each pin
gets the sha256 of every file pip may pick for that version: PyPI's and those of the local indexes and
find-links directories. `make setup` installs the locks with `pip install --require-hashes`;
tests/unit/test_dependency_locks.py checks that declarations and locks agree.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_TOOLS = "pip-tools==7.6.2"
PIP = "pip==24.0"
PYENV = Path.home() / ".pyenv" / "versions"
PYTHONS = {"3.11": PYENV / "3.11.7" / "bin" / "python3.11", "3.10": PYENV / "3.10.13" / "bin" / "python3.10"}
COMPILE = ["--generate-hashes", "--allow-unsafe", "--strip-extras", "--no-emit-index-url", "--no-emit-find-links",
           "--no-header", "--quiet"]


def python(version: str) -> str:
    path = PYTHONS[version]
    return str(path) if path.exists() else f"python{version}"


def tools(version: str) -> Path:
    """A venv with pip-tools for one Python (pip-compile resolves markers for the Python it runs on)."""
    venv = Path(tempfile.gettempdir()) / f"jiuzhu-lock-tools-{version}"
    if not (venv / "bin" / "pip-compile").exists():
        subprocess.run([python(version), "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", PIP, PIP_TOOLS], check=True)
    return venv


def declared_app() -> tuple[list[str], list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["dependencies"], project["optional-dependencies"]["test"]


def declared_rasa() -> list[tuple[str, str]]:
    """(requirement, why) for each line of requirements/rasa.in."""
    lines = []
    for line in (ROOT / "requirements" / "rasa.in").read_text(encoding="utf-8").splitlines():
        requirement, _, why = line.partition("#")
        if requirement.strip():
            lines.append((requirement.strip(), why.strip()))
    return lines


def wrap(prefix: str, items: list[str], width: int = 118) -> list[str]:
    lines, line = [], prefix
    for item in items:
        if len(line) + len(item) + 2 > width and line != prefix:
            lines.append(line.rstrip())
            line = "#     "
        line += item + ", "
    lines.append(line.rstrip(", "))
    return lines


def header(name: str) -> list[str]:
    install = "installed with --require-hashes"
    if name == "app":
        runtime, test = declared_app()
        return [
            "# Lock of the app's environment (.venv, Python 3.11): every package, transitive included, pinned with the",
            f"# sha256 of each file pip may pick for it (PyPI's and the local indexes'); {install}.",
            "# Direct dependencies, declared in pyproject.toml (tests/unit/test_dependency_locks.py keeps the two",
            "# in step):",
            *wrap("#   runtime: ", runtime),
            *wrap("#   test extra: ", test),
            "# Regenerate after changing them: python3.11 requirements/lock.py app  (pip-tools; keeps the other pins)",
        ]
    if name == "rasa":
        width = max(len(requirement) for requirement, _ in declared_rasa())
        return [
            "# Lock of the engine's and action server's environment (.venv-rasa, Python 3.10): every package,",
            f"# transitive included, pinned with the sha256 of each file pip may pick for it; {install}.",
            "# Its pins (not its hashes) are part of the trained model's cache key (bot/runtime/model.py).",
            "# Direct dependencies, declared in requirements/rasa.in; everything else is only pulled in by them:",
            *[f"#   {requirement:<{width}}  {why}" for requirement, why in declared_rasa()],
            "# Regenerate after changing them: python3.11 requirements/lock.py rasa  (pip-tools; keeps the other pins)",
        ]
    return ["# The pip that `make setup` puts in both venvs, with its hashes.",
            "# Regenerate: python3.11 requirements/lock.py pip"]


def source(name: str, scratch: Path) -> tuple[str, list[str]]:
    """(Python version, pip-compile arguments naming the declaration) for one lock."""
    if name == "app":
        return "3.11", ["--extra", "test", "pyproject.toml"]
    if name == "rasa":
        return "3.10", ["requirements/rasa.in"]
    (scratch / "pip.in").write_text(PIP + "\n")
    return "3.11", [str(scratch / "pip.in")]


def lock(name: str, extra: list[str]) -> None:
    target = ROOT / "requirements" / f"{name}.txt"
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / f"{name}.txt"
        if target.exists():  # pip-compile keeps the pins it finds in its output file
            out.write_text(target.read_text(encoding="utf-8"), encoding="utf-8")
        version, args = source(name, Path(scratch))
        compile_ = tools(version) / "bin" / "pip-compile"
        subprocess.run([str(compile_), *COMPILE, *extra, "-o", str(out), *args], cwd=ROOT, check=True)
        body = re.sub(rf"-r {re.escape(scratch)}/pip\.in", "-r pip.in", out.read_text(encoding="utf-8"))
    target.write_text("\n".join(header(name)) + "\n" + body.lstrip("\n"), encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")


def main(argv: list[str]) -> None:
    names, extra = (argv[: argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    for name in names or ["app", "rasa", "pip"]:
        lock(name, extra)


if __name__ == "__main__":
    main(sys.argv[1:])
