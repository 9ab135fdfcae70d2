"""Custom Rasa 3.6 graph components for Chinese (engine side, Python 3.10)."""
