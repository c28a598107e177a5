"""Choosing sources: deterministic scoring, persisted picks with an audit trail, the wanted list, monitoring."""
