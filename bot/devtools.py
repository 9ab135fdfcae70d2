"""Where the app finds the development tools: the checkout's top-level dev/ package, beside bot/, not in it.

An installed package has no dev/ (pyproject packages only `bot*`), so there the tools are simply absent; in
a checkout they load whatever the process's path (the editable install maps only `bot`). Production never
asks (bot/app.py, bot/cli.py).
"""
from __future__ import annotations

import importlib
import logging
import sys
from types import ModuleType

from bot.settings import ROOT

logger = logging.getLogger(__name__)
DEV = ROOT / "dev"


def dev_module(name: str) -> ModuleType | None:
    """`dev.<name>` from this checkout, or None when there is no dev/ beside the package."""
    if not (DEV / "__init__.py").is_file():
        logger.info("no dev/ beside the bot package: development tools (dev.%s) not loaded", name)
        return None
    if str(ROOT) not in sys.path:
        sys.path.append(str(ROOT))
    return importlib.import_module(f"dev.{name}")
