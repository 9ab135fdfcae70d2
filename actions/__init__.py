"""Rasa custom actions: thin clients of the app API (no business logic here)."""
