"""Choosing sources: persisted picks with an audit trail, the wanted list, monitoring (scoring is in sources)."""
