"""救助小助手 — the app package (Python 3.11).

Only `bot.safety` and `bot.text` are also imported by the Rasa engine's custom components
(Python 3.10): they must stay stdlib + PyYAML only.
"""
