"""The emergency safety net (stdlib + PyYAML only: the engine imports it too)."""
