"""Custom Rasa 3.6 graph components for Chinese (engine side, Python 3.10).

They read text the way the app does (bot.text, bot.safety: plain Python), so the project root is put on the
path once here; the engine runs from it anyway.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
