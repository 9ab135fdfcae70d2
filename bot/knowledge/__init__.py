"""The policy knowledge base: loaded from policies/, checked at start-up, composed at run time."""
