"""Residents' channels: web chat and terminal now; WeChat next. All go through `conversation`."""
