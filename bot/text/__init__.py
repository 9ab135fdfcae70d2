"""Pure text helpers shared by the app and the engine's components (stdlib only)."""
