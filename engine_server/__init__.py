"""The engine's own server-side parts (run inside `rasa run`, Python 3.10): the app's authenticated channel,
the tracker store that masks personal numbers at write, and the launcher that keeps the token out of `ps`."""
