"""The staff wing's entry: accounts, login sessions, roles, CSRF and the audit log of the staff console
(`/console`). Screens for agents, reviewers and clerks build on `bot.staff.web` (`require_role`,
`checked_form`) and `bot.staff.audit.record`; this package imports from the resident side, never the reverse.
"""
