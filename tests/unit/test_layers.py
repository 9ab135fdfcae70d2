"""One direction of imports between the resident side and the staff wing: bot.staff (alerts, handoff, the
console) imports bot.channels (inbox, outbox, senders, notices); bot.channels never imports bot.staff, and
asks the staff side through the StaffDesk it declares (bot/channels/desk.py), which bot/services.py wires."""
from __future__ import annotations

import ast
import subprocess
import sys

from bot.settings import ROOT


def module_level_imports(path) -> set[str]:
    """Modules a file imports when it is loaded (not inside a function or a TYPE_CHECKING block)."""
    found: set[str] = set()

    def visit(nodes) -> None:
        for node in nodes:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
                visit(node.body + node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body + node.orelse + node.finalbody + [n for h in node.handlers for n in h.body])

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found


def importers(package: str, target: str) -> list[str]:
    return sorted(str(path.relative_to(ROOT)) for path in (ROOT / package.replace(".", "/")).rglob("*.py")
                  if any(name == target or name.startswith(target + ".") for name in module_level_imports(path)))


def test_the_staff_wing_imports_the_channels_and_never_the_reverse():
    assert importers("bot.staff", "bot.channels")  # the direction chosen: staff above the resident channels
    assert importers("bot.channels", "bot.staff") == []


def test_loading_every_channel_module_loads_nothing_of_the_staff_wing():
    """Also through other packages (channels → intake → …): run in a fresh interpreter."""
    probe = ("import importlib, pkgutil, sys, bot.channels\n"
             "for m in pkgutil.walk_packages(bot.channels.__path__, 'bot.channels.'):\n"
             "    importlib.import_module(m.name)\n"
             "print(' '.join(sorted(n for n in sys.modules if n == 'bot.staff' or n.startswith('bot.staff.'))))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


def test_the_staff_wing_loads_alone():
    """Each staff module the channels' desk leads to imports on its own, first in a fresh interpreter (a
    cycle through bot.channels would fail here with a partly initialised module)."""
    for module in ("bot.staff.alerts.service", "bot.staff.handoff", "bot.staff.desk"):
        done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr


def test_the_checks_see_an_import_upwards(tmp_path):
    """The static check would catch a channel module importing the staff wing (it can fail)."""
    bad = tmp_path / "bad.py"
    bad.write_text("from bot.staff import handoff\nif True:\n    import bot.staff.alerts.service\n")
    assert module_level_imports(bad) == {"bot.staff.handoff", "bot.staff.alerts.service"}
    lazy = tmp_path / "lazy.py"
    lazy.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bot.staff import desk\n"
                    "def f():\n    from bot.staff import handoff\n")
    assert module_level_imports(lazy) == {"typing.TYPE_CHECKING"}


def test_the_conversation_reads_places_from_the_gazetteer_not_the_intake_system():
    """The forms and the gazetteer never import the bundled intake system (its tables are its own); the
    intake system seeds its offices from the gazetteer instead."""
    assert importers("bot.forms", "bot.intake") == []
    assert importers("bot.gazetteer", "bot.intake") == []
    assert importers("bot.gazetteer", "bot.forms") == [] and importers("bot.gazetteer", "bot.db") == []
    assert "bot.gazetteer.divisions.load" in module_level_imports(ROOT / "bot" / "intake" / "seed.py")
