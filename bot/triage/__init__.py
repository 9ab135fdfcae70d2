"""Triage of one utterance onto the contract in taxonomy.yml."""
