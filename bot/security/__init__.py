"""Who may call what, how often, and what proves it: shared limit store, rate limits, signed senders."""
