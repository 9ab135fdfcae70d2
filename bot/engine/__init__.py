"""HTTP client of the Rasa engine (the engine is treated like a database server)."""
